/**
 * wscheck category 16, Lengths and Masking: cases the Autobahn catalogue does not have.
 * (Filled in by its own change; see docs/coverage.md.)
 */
import type { CaseDefinition } from '../types.js';

export const lengthMaskingCases: readonly CaseDefinition[] = [];
