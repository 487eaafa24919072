/**
 * wscheck category 18, permessage-deflate Negotiation and Abuse: cases the Autobahn catalogue does not have.
 * (Filled in by its own change; see docs/coverage.md.)
 */
import type { CaseDefinition } from '../types.js';

export const deflateNegotiationCases: readonly CaseDefinition[] = [];
