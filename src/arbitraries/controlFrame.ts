import fc from 'fast-check';
import { MAX_CONTROL_PAYLOAD } from '../codec/frame.js';
import { Opcode } from '../codec/opcode.js';
import type { FrameDescription } from '../model/scenario.js';
import { binaryPayload } from './binaryPayload.js';

/** Constraints of {@link controlFrame}. */
export interface ControlFrameConstraints {
  /** Which control frames (default Ping and Pong; Close has its own builders). */
  readonly opcodes?: readonly (typeof Opcode.Ping | typeof Opcode.Pong)[];
  /** Largest payload (default and at most 125, RFC 6455 §5.5). */
  readonly maxLength?: number;
}

/**
 * A valid Ping or Pong frame (RFC 6455 §5.5.2, §5.5.3): FIN set, payload of
 * 0 to 125 octets (both ends included often). A Ping must be answered with a
 * Pong carrying the same payload; an unsolicited Pong must be ignored. Shrinks
 * towards an empty Ping.
 */
export function controlFrame(constraints: ControlFrameConstraints = {}): fc.Arbitrary<FrameDescription> {
  const opcodes = constraints.opcodes ?? [Opcode.Ping, Opcode.Pong];
  const maxLength = constraints.maxLength ?? MAX_CONTROL_PAYLOAD;
  if (maxLength < 0 || maxLength > MAX_CONTROL_PAYLOAD) throw new RangeError(`maxLength must be 0..125, got ${maxLength}`);
  if (opcodes.length === 0) throw new RangeError('controlFrame needs at least one opcode');
  return fc
    .tuple(fc.constantFrom(...opcodes), binaryPayload({ maxLength }))
    .map(([opcode, payload]): FrameDescription => ({ opcode, payload }));
}
