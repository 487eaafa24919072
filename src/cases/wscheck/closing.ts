/**
 * wscheck category 17, Closing Handshake: cases the Autobahn catalogue does not have.
 * (Filled in by its own change; see docs/coverage.md.)
 */
import type { CaseDefinition } from '../types.js';

export const closingCases: readonly CaseDefinition[] = [];
