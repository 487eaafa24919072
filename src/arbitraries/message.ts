import fc from 'fast-check';
import { Opcode } from '../codec/opcode.js';
import type { DataOpcode } from '../codec/opcode.js';
import { binaryPayload } from './binaryPayload.js';
import type { Utf8Width } from './codePoint.js';
import type { PayloadLengthConstraints } from './payloadLength.js';
import { textPayload } from './textPayload.js';

/** An application message (RFC 6455 §5.6): its type and its payload. */
export interface Message {
  readonly opcode: DataOpcode;
  readonly payload: Uint8Array;
}

/** Constraints of {@link message}. */
export interface MessageConstraints extends PayloadLengthConstraints {
  /** Which message types (default both, text first). */
  readonly types?: readonly ('text' | 'binary')[];
  /** UTF-8 widths of the characters of text messages (default all four). */
  readonly widths?: readonly Utf8Width[];
}

/**
 * A text message (well-formed UTF-8 over all of Unicode) or a binary message,
 * of a length drawn around every length-encoding boundary (see
 * {@link textPayload}, {@link binaryPayload}). Shrinks towards short text.
 */
export function message(constraints: MessageConstraints = {}): fc.Arbitrary<Message> {
  const types = constraints.types ?? ['text', 'binary'];
  if (types.length === 0) throw new RangeError('message needs at least one type');
  const lengths: PayloadLengthConstraints = {
    ...(constraints.minLength !== undefined ? { minLength: constraints.minLength } : {}),
    ...(constraints.maxLength !== undefined ? { maxLength: constraints.maxLength } : {}),
  };
  const arbs: fc.Arbitrary<Message>[] = [];
  if (types.includes('text')) {
    arbs.push(
      textPayload({ ...lengths, ...(constraints.widths !== undefined ? { widths: constraints.widths } : {}) }).map((payload) => ({
        opcode: Opcode.Text,
        payload,
      })),
    );
  }
  if (types.includes('binary')) arbs.push(binaryPayload(lengths).map((payload) => ({ opcode: Opcode.Binary, payload })));
  return fc.oneof({ withCrossShrink: true }, ...arbs);
}
