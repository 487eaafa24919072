/**
 * wscheck's own categories, numbered after Autobahn's (which end at 13, never
 * renumbered): the places where real WebSocket bugs lived and the Autobahn
 * catalogue does not look. Every case sets `origin: 'wscheck'`, names the
 * rule it checks (`rfc`) and, where one exists, the advisory it would have
 * caught.
 */
import { handshakeCases } from './handshake.js';
import { limitCases } from './limits.js';
import { lengthMaskingCases } from './lengths-masking.js';
import { closingCases } from './closing.js';
import { deflateNegotiationCases } from './deflate-negotiation.js';
import type { CaseDefinition } from '../types.js';

export const WSCHECK_CATEGORIES: Readonly<Record<string, string>> = {
  '14': 'Opening Handshake',
  '15': 'Limits and Resources',
  '16': 'Lengths and Masking',
  '17': 'Closing Handshake',
  '18': 'permessage-deflate Negotiation and Abuse',
};

export const wscheckCases: readonly CaseDefinition[] = [
  ...handshakeCases,
  ...limitCases,
  ...lengthMaskingCases,
  ...closingCases,
  ...deflateNegotiationCases,
];
