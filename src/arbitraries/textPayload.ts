import fc from 'fast-check';
import { type Utf8Width, codePoint } from './codePoint.js';
import { fillText } from './_internals/utf8.js';
import { type PayloadLengthConstraints, payloadLength } from './payloadLength.js';

/** Constraints of {@link textPayload}; lengths count octets, not characters. */
export interface TextPayloadConstraints extends PayloadLengthConstraints {
  /** UTF-8 widths of the characters (default all four). */
  readonly widths?: readonly Utf8Width[];
  /** Most distinct characters the text cycles through (default 8). */
  readonly maxCharacters?: number;
}

/**
 * Well-formed UTF-8 (RFC 3629) of an exact octet length drawn by
 * {@link payloadLength}: a short run of characters from all of Unicode (1- to
 * 4-octet ones) repeated until the length is reached, ASCII filling the last
 * octets a wide character cannot. The empty text is included. Shrinks
 * towards short, narrow text.
 */
export function textPayload(constraints: TextPayloadConstraints = {}): fc.Arbitrary<Uint8Array> {
  const characters = fc.array(codePoint(constraints.widths !== undefined ? { widths: constraints.widths } : {}), {
    minLength: 1,
    maxLength: constraints.maxCharacters ?? 8,
  });
  return fc.tuple(payloadLength(constraints), characters).map(([length, unit]) => fillText(unit, length));
}
