/**
 * Lints of the opening handshake: what RFC 6455 allows there but that points
 * at a risk (see lints.ts; they never change a verdict).
 */
import type { Lint } from './lints.js';
import type { OpeningOutcome } from './opening-outcome.js';

export function openingLints(outcome: OpeningOutcome | null): Lint[] {
  if (outcome?.kind !== 'invalid-upgrade' || !outcome.draft) return [];
  return [
    {
      id: 'pre-rfc-draft-handshake',
      message: 'the server upgraded with a pre-RFC (draft-hixie-75/76) handshake: it still speaks the drafts\' framing, which wscheck does not test (and which had its own bugs)',
      rule: 'RFC 6455 §4.4 (a server may keep older versions)',
    },
  ];
}
