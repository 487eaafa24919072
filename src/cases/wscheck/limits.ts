/**
 * wscheck category 15, Limits and Resources: cases the Autobahn catalogue does not have.
 * (Filled in by its own change; see docs/coverage.md.)
 */
import type { CaseDefinition } from '../types.js';

export const limitCases: readonly CaseDefinition[] = [];
