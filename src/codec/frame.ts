/**
 * The frame as data (RFC 6455 §5.2).
 *
 * `rsv` packs RSV1..RSV3 as they sit on the wire: RSV1 = 4, RSV2 = 2, RSV3 = 1
 * (the same numbering the Autobahn testsuite uses for its `rsv` field).
 * `maskKey` is the 32-bit masking key read big-endian from the wire (octet 0 is
 * the most significant), or `null` for an unmasked frame; a masked frame whose
 * key is 0 is still a masked frame. `payload` is always the unmasked
 * application data.
 */
export interface Frame {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly maskKey: number | null;
  readonly payload: Uint8Array;
}

export const RSV1 = 4;
export const RSV2 = 2;
export const RSV3 = 1;

/** Largest payload a control frame may carry (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

/**
 * How the payload length is written. RFC 6455 §5.2 requires the minimal
 * encoding of a sender; a tester needs the other two on purpose.
 */
export type LengthEncoding = 'minimal' | 7 | 16 | 64;

/** The encoding RFC 6455 §5.2 prescribes for a payload of `length` octets. */
export function minimalLengthEncoding(length: number): 7 | 16 | 64 {
  if (length <= 125) return 7;
  if (length <= 0xffff) return 16;
  return 64;
}

/** Octets in a frame header: 2 + extended length + masking key. */
export function headerLength(encoding: 7 | 16 | 64, masked: boolean): number {
  return 2 + (encoding === 7 ? 0 : encoding === 16 ? 2 : 8) + (masked ? 4 : 0);
}
