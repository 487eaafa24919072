import fc from 'fast-check';
import { fillBytes } from './_internals/utf8.js';
import { type PayloadLengthConstraints, payloadLength } from './payloadLength.js';

/** Constraints of {@link binaryPayload}. */
export interface BinaryPayloadConstraints extends PayloadLengthConstraints {
  /** Length of the random pattern the payload repeats (default 16). */
  readonly maxPattern?: number;
}

/**
 * Octets of a length drawn by {@link payloadLength}: a random pattern of up to
 * `maxPattern` octets repeated to the length (so short payloads are fully
 * random and long ones cost nothing to generate or shrink). Shrinks towards
 * short payloads of zeros.
 */
export function binaryPayload(constraints: BinaryPayloadConstraints = {}): fc.Arbitrary<Uint8Array> {
  const pattern = fc.uint8Array({ minLength: 1, maxLength: constraints.maxPattern ?? 16 });
  return fc.tuple(payloadLength(constraints), pattern).map(([length, unit]) => fillBytes(unit, length));
}
