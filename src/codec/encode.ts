/**
 * Frame encoder (RFC 6455 §5.2) that writes any header a tester may need,
 * valid or not: any RSV bits and opcode, masking in either direction, FIN=0
 * control frames, over-long control payloads, non-minimal length encodings and
 * a declared length that differs from the payload (including the MSB of a
 * 64-bit length, which §5.2 says "MUST be 0").
 */
import { type LengthEncoding, headerLength, minimalLengthEncoding } from './frame.js';
import { copyMasked } from './mask.js';

export interface FrameSpec {
  readonly fin?: boolean;
  /** RSV1 = 4, RSV2 = 2, RSV3 = 1; values above 7 are rejected. */
  readonly rsv?: number;
  readonly opcode: number;
  /** Masking key (big-endian 32 bits), or null/undefined for an unmasked frame. */
  readonly maskKey?: number | null;
  readonly payload?: Uint8Array;
  /** Default 'minimal'. */
  readonly lengthEncoding?: LengthEncoding;
  /**
   * The payload length written in the header when it should lie about the
   * payload actually appended (e.g. 2^63 + 1, or a length longer than what
   * follows). A bigint reaches the full 64 bits.
   */
  readonly declaredLength?: number | bigint;
}

export class FrameEncodingError extends Error {
  override readonly name = 'FrameEncodingError';
}

function checkedLength(spec: FrameSpec, payloadLength: number): bigint {
  const declared = spec.declaredLength ?? payloadLength;
  const length = typeof declared === 'bigint' ? declared : BigInt(declared);
  if (length < 0n || length >= 1n << 64n) {
    throw new FrameEncodingError(`declared length ${length} does not fit in 64 bits`);
  }
  return length;
}

function encodingFor(spec: FrameSpec, length: bigint): 7 | 16 | 64 {
  const encoding = spec.lengthEncoding ?? 'minimal';
  if (encoding === 'minimal') {
    return length > BigInt(Number.MAX_SAFE_INTEGER) ? 64 : minimalLengthEncoding(Number(length));
  }
  const max = encoding === 7 ? 125n : encoding === 16 ? 0xffffn : (1n << 64n) - 1n;
  if (length > max) {
    throw new FrameEncodingError(`length ${length} cannot be written in the ${encoding}-bit length field`);
  }
  return encoding;
}

/** The common case: a true length in its minimal encoding (no BigInt work). */
function isPlain(spec: FrameSpec): boolean {
  return spec.declaredLength === undefined && (spec.lengthEncoding === undefined || spec.lengthEncoding === 'minimal');
}

/** Number of octets `encodeFrameInto` writes for `spec`. */
export function encodedFrameLength(spec: FrameSpec): number {
  const payloadLength = spec.payload?.length ?? 0;
  if (isPlain(spec)) return headerLength(minimalLengthEncoding(payloadLength), spec.maskKey != null) + payloadLength;
  const encoding = encodingFor(spec, checkedLength(spec, payloadLength));
  return headerLength(encoding, spec.maskKey != null) + payloadLength;
}

/**
 * Write the frame into `target` at `offset`; returns the offset after it.
 * The payload is masked on the way when `maskKey` is given.
 */
export function encodeFrameInto(spec: FrameSpec, target: Uint8Array, offset: number): number {
  const rsv = spec.rsv ?? 0;
  if (!Number.isInteger(rsv) || rsv < 0 || rsv > 7) throw new FrameEncodingError(`rsv ${rsv} is not 0..7`);
  if (!Number.isInteger(spec.opcode) || spec.opcode < 0 || spec.opcode > 15) {
    throw new FrameEncodingError(`opcode ${spec.opcode} is not 0..15`);
  }
  const payload = spec.payload ?? EMPTY;
  let length: number;
  let encoding: 7 | 16 | 64;
  let high = 0;
  let low: number;
  if (isPlain(spec)) {
    length = payload.length;
    encoding = minimalLengthEncoding(length);
    high = Math.floor(length / 0x100000000);
    low = length >>> 0;
  } else {
    const big = checkedLength(spec, payload.length);
    encoding = encodingFor(spec, big);
    length = Number(big & 0xffffn);
    high = Number(big >> 32n);
    low = Number(big & 0xffffffffn);
  }
  const maskKey = spec.maskKey ?? null;
  let at = offset;
  target[at++] = ((spec.fin ?? true) ? 0x80 : 0) | (rsv << 4) | spec.opcode;
  const maskBit = maskKey === null ? 0 : 0x80;
  if (encoding === 7) {
    target[at++] = maskBit | low;
  } else if (encoding === 16) {
    target[at++] = maskBit | 126;
    target[at++] = (low >> 8) & 0xff;
    target[at++] = low & 0xff;
  } else {
    target[at++] = maskBit | 127;
    writeUint32(target, at, high);
    writeUint32(target, at + 4, low);
    at += 8;
  }
  if (maskKey !== null) {
    writeUint32(target, at, maskKey);
    at += 4;
    copyMasked(payload, target, at, maskKey);
  } else {
    target.set(payload, at);
  }
  return at + payload.length;
}

/** Encode one frame into a new buffer. */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const out = new Uint8Array(encodedFrameLength(spec));
  encodeFrameInto(spec, out, 0);
  return out;
}

/** Encode several frames back to back into one buffer (one TCP write). */
export function encodeFrames(specs: readonly FrameSpec[]): Uint8Array {
  let total = 0;
  for (const spec of specs) total += encodedFrameLength(spec);
  const out = new Uint8Array(total);
  let at = 0;
  for (const spec of specs) at = encodeFrameInto(spec, out, at);
  return out;
}

function writeUint32(target: Uint8Array, at: number, value: number): void {
  target[at] = (value >>> 24) & 0xff;
  target[at + 1] = (value >>> 16) & 0xff;
  target[at + 2] = (value >>> 8) & 0xff;
  target[at + 3] = value & 0xff;
}

const EMPTY = new Uint8Array(0);
