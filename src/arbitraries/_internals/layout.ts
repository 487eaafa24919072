/**
 * Where each field of each frame sits in the byte stream the tester writes
 * (RFC 6455 §5.2): the frame header (first two octets, extended payload
 * length, masking key) and the payload, with the positions that fall inside a
 * UTF-8 character of a text message. Chop patterns are resolved against it.
 *
 * @internal
 */
import { encodedFrameLength } from '../../codec/encode.js';
import { headerLength } from '../../codec/frame.js';
import { Opcode } from '../../codec/opcode.js';
import type { FrameDescription } from '../../model/scenario.js';
import type { Role } from '../../model/types.js';
import { countContinuationOctets, isContinuationOctet, nthContinuationOctet } from './utf8.js';

/** One frame's fields as stream offsets (each range is [start, end)). */
export interface FrameLayout {
  readonly start: number;
  /** Extended payload length field (empty when the 7-bit length is used). */
  readonly extendedLength: readonly [number, number];
  /** Masking key field (empty when the frame is not masked). */
  readonly maskKey: readonly [number, number];
  readonly payload: readonly [number, number];
  readonly end: number;
  /** The payload belongs to a text message (a text frame or a continuation of one). */
  readonly text: boolean;
  /** The frame's unmasked payload. */
  readonly data: Uint8Array;
}

/** Does the tester mask this frame? `auto` masks when the tester is the client, i.e. the peer is a server. */
export function isMasked(frame: FrameDescription, peerRole: Role): boolean {
  // An explicit null is an unmasked frame; only an absent key means `auto`.
  const key = frame.maskKey === undefined ? 'auto' : frame.maskKey;
  return key === 'auto' ? peerRole === 'server' : key !== null;
}

/** Lay out `frames` back to back as one stream written by the tester to a peer of `peerRole`. */
export function layoutStream(frames: readonly FrameDescription[], peerRole: Role): FrameLayout[] {
  const out: FrameLayout[] = [];
  let at = 0;
  let openText: boolean | null = null;
  for (const f of frames) {
    const masked = isMasked(f, peerRole);
    const spec = {
      opcode: f.opcode,
      payload: f.payload,
      maskKey: masked ? 0 : null,
      ...(f.lengthEncoding !== undefined ? { lengthEncoding: f.lengthEncoding } : {}),
      ...(f.declaredLength !== undefined ? { declaredLength: f.declaredLength } : {}),
    };
    const total = encodedFrameLength(spec);
    const header = total - f.payload.length;
    const ext = header - headerLength(7, masked);
    const fin = f.fin ?? true;
    let text = false;
    if (f.opcode === Opcode.Text || f.opcode === Opcode.Binary) {
      text = f.opcode === Opcode.Text;
      openText = fin ? null : text;
    } else if (f.opcode === Opcode.Continuation) {
      text = openText === true;
      if (fin) openText = null;
    }
    out.push({
      start: at,
      extendedLength: [at + 2, at + 2 + ext],
      maskKey: masked ? [at + 2 + ext, at + 6 + ext] : [at + 2 + ext, at + 2 + ext],
      payload: [at + header, at + total],
      end: at + total,
      text,
      data: f.payload,
    });
    at += total;
  }
  return out;
}

/** Total octets of a laid-out stream. */
export function streamLength(layout: readonly FrameLayout[]): number {
  return layout.length === 0 ? 0 : layout[layout.length - 1]!.end;
}

/** Where a cut can fall, from the coarsest to the most specific. */
export type CutTarget =
  /** any offset strictly inside the stream */
  | 'anywhere'
  /** between two frames: each side is its own write */
  | 'frame-boundary'
  /** inside a frame header (first two octets, extended length, masking key) */
  | 'header'
  /** strictly inside the 16- or 64-bit extended payload length */
  | 'extended-length'
  /** strictly inside the 4-octet masking key */
  | 'mask-key'
  /** strictly inside a payload */
  | 'payload'
  /** inside a UTF-8 character of a text message (before one of its continuation octets) */
  | 'character';

/** Every target, in the order the arbitraries use. */
export const CUT_TARGETS: readonly CutTarget[] = ['anywhere', 'frame-boundary', 'header', 'extended-length', 'mask-key', 'payload', 'character'];

/** Number of candidate offsets for `target`, and the `k`-th of them (offsets strictly inside the stream). */
interface Candidates {
  readonly count: number;
  at(k: number): number;
}

function ranges(list: readonly (readonly [number, number])[]): Candidates {
  const kept = list.filter(([a, b]) => b > a);
  const count = kept.reduce((n, [a, b]) => n + (b - a), 0);
  return {
    count,
    at(k) {
      let rest = k;
      for (const [a, b] of kept) {
        if (rest < b - a) return a + rest;
        rest -= b - a;
      }
      throw new RangeError(`candidate ${k} of ${count}`);
    },
  };
}

function candidates(layout: readonly FrameLayout[], target: CutTarget): Candidates {
  const total = streamLength(layout);
  switch (target) {
    case 'anywhere':
      return ranges([[1, total]]);
    case 'frame-boundary':
      return ranges(layout.slice(1).map((f) => [f.start, f.start + 1] as const));
    case 'header':
      return ranges(layout.map((f) => [f.start + 1, f.payload[0]] as const));
    case 'extended-length':
      return ranges(layout.map((f) => [f.extendedLength[0] + 1, f.extendedLength[1]] as const));
    case 'mask-key':
      return ranges(layout.map((f) => [f.maskKey[0] + 1, f.maskKey[1]] as const));
    case 'payload':
      return ranges(layout.map((f) => [f.payload[0] + 1, f.payload[1]] as const));
    case 'character': {
      // Counted, not listed: a long text holds tens of thousands of continuation octets.
      const texts = layout.filter((f) => f.text && f.data.length > 1).map((f) => ({ f, count: countContinuationOctets(f.data, 1) }));
      const count = texts.reduce((n, t) => n + t.count, 0);
      return {
        count,
        at(k) {
          let rest = k;
          for (const { f, count: n } of texts) {
            if (rest < n) return f.payload[0] + nthContinuationOctet(f.data, 1, rest);
            rest -= n;
          }
          throw new RangeError(`candidate ${k} of ${count}`);
        },
      };
    }
  }
}

/**
 * Resolve an abstract cut (a target and a choice among its candidates) to a
 * stream offset; a target with no candidate in this stream falls back to
 * `anywhere`. Returns null for a stream too short to cut.
 */
export function resolveCut(layout: readonly FrameLayout[], target: CutTarget, pick: number): number | null {
  let c = candidates(layout, target);
  if (c.count === 0) c = candidates(layout, 'anywhere');
  if (c.count === 0) return null;
  return c.at(pick % c.count);
}

/** The kinds of place a cut at `offset` falls on (a cut may be several: inside a header is also `anywhere`). */
export function classifyCut(layout: readonly FrameLayout[], offset: number): CutTarget[] {
  const kinds: CutTarget[] = ['anywhere'];
  for (const f of layout) {
    if (offset === f.start && f.start > 0) kinds.push('frame-boundary');
    if (offset <= f.start || offset >= f.end) continue;
    if (offset < f.payload[0]) kinds.push('header');
    if (offset > f.extendedLength[0] && offset < f.extendedLength[1]) kinds.push('extended-length');
    if (offset > f.maskKey[0] && offset < f.maskKey[1]) kinds.push('mask-key');
    if (offset > f.payload[0] && offset < f.payload[1]) {
      kinds.push('payload');
      if (f.text && isContinuationOctet(f.data[offset - f.payload[0]]!)) kinds.push('character');
    }
  }
  return kinds;
}
