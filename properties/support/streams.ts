/**
 * fast-check generators for frame streams used by the codec properties:
 * valid conversations (messages fragmented anyhow, control frames between
 * fragments) and the same with exactly one violation of a named class.
 */
import fc from 'fast-check';
import type { FrameSpec } from '../../src/codec/encode.js';
import { Opcode } from '../../src/codec/opcode.js';
import type { ViolationKind } from '../../src/codec/violation.js';

export type Role = 'client' | 'server';

const encoder = new TextEncoder();

/** Payload sizes around every length-encoding boundary, and small ones most of the time. */
export const payloadLength = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(124, 125, 126, 127, 65535, 65536) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
);

export const bytes = (length: fc.Arbitrary<number> = payloadLength): fc.Arbitrary<Uint8Array> =>
  length.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

/** Valid UTF-8 text of any plane, including 4-octet characters. */
export const utf8Text = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => encoder.encode(s));

export interface Message {
  readonly opcode: 1 | 2;
  readonly payload: Uint8Array;
}

export const message: fc.Arbitrary<Message> = fc.oneof(
  utf8Text.map((payload) => ({ opcode: Opcode.Text as 1, payload })),
  bytes().map((payload) => ({ opcode: Opcode.Binary as 2, payload })),
);

const controlFrame: fc.Arbitrary<FrameSpec> = fc
  .tuple(fc.constantFrom(Opcode.Ping, Opcode.Pong), bytes(fc.integer({ min: 0, max: 125 })))
  .map(([opcode, payload]) => ({ opcode, payload }));

/** Split `payload` at sorted cut points into fragments (empty fragments allowed). */
function fragmentsOf(payload: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, payload.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(payload.subarray(at, p));
    at = p;
  }
  out.push(payload.subarray(at));
  return out;
}

export interface Conversation {
  readonly messages: readonly Message[];
  /** Frames in wire order (masking not yet applied). */
  readonly frames: readonly FrameSpec[];
}

/** Messages fragmented at arbitrary points (splitting characters too), with control frames in between. */
export const conversation: fc.Arbitrary<Conversation> = fc
  .array(
    fc.tuple(
      message,
      fc.array(fc.nat({ max: 70_000 }), { maxLength: 4 }),
      fc.array(fc.option(controlFrame, { freq: 3 }), { maxLength: 5 }),
    ),
    { maxLength: 6 },
  )
  .map((items) => {
    const frames: FrameSpec[] = [];
    const messages: Message[] = [];
    for (const [m, cuts, controls] of items) {
      messages.push(m);
      const parts = fragmentsOf(m.payload, cuts);
      parts.forEach((part, k) => {
        frames.push({ opcode: k === 0 ? m.opcode : Opcode.Continuation, fin: k === parts.length - 1, payload: part });
        const c = controls[k];
        if (c !== undefined && c !== null && k < parts.length - 1) frames.push(c);
      });
    }
    return { messages, frames };
  });

/** Mask frames as the sender of `role`'s peer must: clients mask, servers do not. */
export function maskedFor(receiverRole: Role, frames: readonly FrameSpec[], keys: readonly number[]): FrameSpec[] {
  return frames.map((f, k) => ({ ...f, maskKey: receiverRole === 'server' ? (keys[k % Math.max(keys.length, 1)] ?? 0x01020304) : null }));
}

export const maskKeys = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 8 });

/** Cut a stream into chunks at arbitrary points. */
export const chopping = fc.array(fc.integer({ min: 1, max: 70_000 }), { maxLength: 40 });

export function chop(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let k = 0;
  while (at < stream.length) {
    const n = sizes.length === 0 ? stream.length : sizes[k++ % sizes.length]!;
    out.push(stream.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** One broken frame of a named class, for a receiver of `role`, and the frames that must precede it. */
export interface Broken {
  readonly kind: ViolationKind;
  readonly code: number;
  readonly before: readonly FrameSpec[];
  readonly frame: FrameSpec;
  /** Decoder limits the case needs. */
  readonly limits?: { maxFramePayload?: number; maxMessagePayload?: number };
  /** The frame's masking is part of the violation: do not re-mask it. */
  readonly fixedMask?: boolean;
}

const invalidUtf8 = fc.constantFrom(
  [0xc0, 0x80], // overlong NUL
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // surrogate U+D800
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-octet form
  [0xce], // truncated at the end of the message
  [0xff],
  [0x80], // lone continuation
);

export function brokenFrame(role: Role): fc.Arbitrary<Broken> {
  const other = role === 'server' ? 'client' : 'server';
  return fc.oneof(
    fc.record({ rsv: fc.integer({ min: 1, max: 7 }), payload: utf8Text }).map(({ rsv, payload }) => ({
      kind: 'reserved-rsv' as const,
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Text, rsv, payload },
    })),
    fc.record({ opcode: fc.constantFrom(3, 4, 5, 6, 7, 11, 12, 13, 14, 15), payload: bytes(fc.integer({ min: 0, max: 20 })) }).map((r) => ({
      kind: 'reserved-opcode' as const,
      code: 1002,
      before: [],
      frame: { opcode: r.opcode, payload: r.payload },
    })),
    fc.constantFrom(Opcode.Close, Opcode.Ping, Opcode.Pong).map((opcode) => ({
      kind: 'fragmented-control' as const,
      code: 1002,
      before: [],
      frame: { opcode, fin: false, payload: new Uint8Array(0) },
    })),
    fc.record({ opcode: fc.constantFrom(Opcode.Close, Opcode.Ping, Opcode.Pong), n: fc.integer({ min: 126, max: 400 }) }).map((r) => ({
      kind: 'control-too-long' as const,
      code: 1002,
      before: [],
      frame: { opcode: r.opcode, payload: new Uint8Array(r.n).fill(0x41) },
    })),
    fc.constant(null).map(() => ({
      kind: role === 'server' ? ('unmasked-client-frame' as const) : ('masked-server-frame' as const),
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Binary, payload: new Uint8Array([1, 2, 3]), maskKey: other === 'client' ? null : 0x11223344 },
      fixedMask: true,
    })),
    fc.bigInt({ min: 1n << 63n, max: (1n << 64n) - 1n }).map((declaredLength) => ({
      kind: 'length-msb-set' as const,
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Binary, payload: new Uint8Array(0), lengthEncoding: 64 as const, declaredLength },
    })),
    bytes(fc.integer({ min: 0, max: 20 })).map((payload) => ({
      kind: 'continuation-without-start' as const,
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Continuation, payload },
    })),
    fc.constantFrom(Opcode.Text, Opcode.Binary).map((opcode) => ({
      kind: 'data-inside-fragmented' as const,
      code: 1002,
      before: [{ opcode: Opcode.Text, fin: false, payload: encoder.encode('abc') }],
      frame: { opcode, payload: encoder.encode('x') },
    })),
    fc.tuple(utf8Text, invalidUtf8, utf8Text).map(([a, bad, c]) => ({
      kind: 'invalid-utf8' as const,
      code: 1007,
      before: [],
      frame: { opcode: Opcode.Text, payload: Uint8Array.from([...a, ...bad, ...(bad.length === 1 && bad[0] === 0xce ? [] : c)]) },
    })),
    fc.integer({ min: 0, max: 255 }).map((b) => ({
      kind: 'close-payload-length-1' as const,
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Close, payload: new Uint8Array([b]) },
    })),
    fc.constantFrom(0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535).map((code) => ({
      kind: 'invalid-close-code' as const,
      code: 1002,
      before: [],
      frame: { opcode: Opcode.Close, payload: new Uint8Array([code >> 8, code & 0xff]) },
    })),
    fc.integer({ min: 1, max: 1000 }).map((limit) => ({
      kind: 'frame-too-big' as const,
      code: 1009,
      before: [],
      frame: { opcode: Opcode.Binary, payload: new Uint8Array(limit + 1) },
      limits: { maxFramePayload: limit },
    })),
    fc.integer({ min: 2, max: 1000 }).map((limit) => ({
      kind: 'message-too-big' as const,
      code: 1009,
      before: [{ opcode: Opcode.Binary, fin: false, payload: new Uint8Array(limit) }],
      frame: { opcode: Opcode.Continuation, payload: new Uint8Array(1) },
      limits: { maxMessagePayload: limit },
    })),
  );
}
