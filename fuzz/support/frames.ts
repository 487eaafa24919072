/**
 * An independent, deliberately naive reading of a received stream: the
 * oracle the fuzz targets check the reference decoder (and judge other
 * implementations) against.
 *
 * It walks the whole stream at once, frame by frame, straight from RFC 6455
 * §5.2 (header), §5.1 (masking), §5.4 (fragmentation), §5.5 (control frames),
 * §5.5.1 and §7.4 (close bodies), §8.1 (UTF-8, checked with the platform's
 * `TextDecoder` rather than wscheck's automaton) and the configured limits.
 * For every frame it lists *every* violation the frame has, each with the
 * offset the reference decoder reports for it and the octet after which the
 * decoder promises to have noticed it. No incremental state, no shared
 * buffers: nothing it does depends on how TCP cut the stream.
 */
import type { DecoderOptions } from '../../src/codec/decoder.js';
import type { ViolationKind } from '../../src/codec/violation.js';
import { concat } from './input.js';

/** Close codes a receiver accepts (RFC 6455 §7.4.1, §7.4.2; IANA adds 1012-1014). */
export function closeCodeAllowed(code: number, registry: 'iana' | 'rfc6455'): boolean {
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1011) return true;
  return registry === 'iana' && code >= 1012 && code <= 1014;
}

/** Code RFC 6455 §7.4.1 gives each class of violation. */
export const CODE: Record<ViolationKind, number> = {
  'reserved-rsv': 1002,
  'reserved-opcode': 1002,
  'fragmented-control': 1002,
  'control-too-long': 1002,
  'unmasked-client-frame': 1002,
  'masked-server-frame': 1002,
  'length-msb-set': 1002,
  'non-minimal-length': 1002,
  'continuation-without-start': 1002,
  'data-inside-fragmented': 1002,
  'invalid-utf8': 1007,
  'close-payload-length-1': 1002,
  'invalid-close-code': 1002,
  'frame-too-big': 1009,
  'message-too-big': 1009,
  'extension-error': 1002,
};

export interface FrameViolation {
  readonly kind: ViolationKind;
  /** The close code the reference decoder fails with (its options may choose among defensible ones). */
  readonly code: number;
  /** The offset the reference decoder reports. */
  readonly offset: number;
  /** The decoder promises to have failed once the octet at this offset was received. */
  readonly certainAt: number;
}

/** A frame as the walker found it; `end` may lie past the stream (a frame still arriving). */
export interface WalkedFrame {
  readonly start: number;
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  /** The 7-bit length field (126 and 127 announce an extended length). */
  readonly len7: number;
  /** Declared payload length, or null while the extended length is incomplete. */
  readonly length: number | null;
  /** Offset after the header (with masking key), or null while the header is incomplete. */
  readonly headerEnd: number | null;
  /** Offset after the payload; Infinity when unknown. */
  readonly end: number;
  /** True when the whole frame is in the stream. */
  readonly complete: boolean;
  /** Unmasked payload octets received so far. */
  readonly payload: Uint8Array;
  readonly violations: readonly FrameViolation[];
  /** Octets of the fragmented data message in progress before this frame, or null when none is. */
  readonly messageBefore: number | null;
}

/** What a conforming receiver delivers, in order; `frame` is the index of the frame that completed it. */
export type Delivery =
  | { readonly type: 'message'; readonly opcode: 1 | 2; readonly payload: Uint8Array; readonly frames: number; readonly frame: number }
  | { readonly type: 'ping' | 'pong'; readonly payload: Uint8Array; readonly frame: number }
  | { readonly type: 'close'; readonly code: number | null; readonly reason: Uint8Array; readonly frame: number };

export interface Walk {
  readonly frames: readonly WalkedFrame[];
  /** Deliveries of the frames before the first violating frame (including deliveries after a Close). */
  readonly deliveries: readonly Delivery[];
  /** Index into `frames` of the first frame with a violation, or -1. */
  readonly failedFrame: number;
  /** Offset after the last complete frame before any violation. */
  readonly boundary: number;
}

const MAX_CONTROL = 125;
const EMPTY = new Uint8Array(0);

function frame(
  start: number,
  fin: boolean,
  rsv: number,
  opcode: number,
  masked: boolean,
  len7: number,
  length: number | null,
  headerEnd: number | null,
  end: number,
  payload: Uint8Array,
  violations: FrameViolation[],
  messageBefore: number | null,
): WalkedFrame {
  return { start, fin, rsv, opcode, masked, len7, length, headerEnd, end, complete: end !== Infinity && payload.length === end - headerEnd!, payload, violations, messageBefore };
}

function isControl(op: number): boolean {
  return (op & 8) !== 0;
}

function isReserved(op: number): boolean {
  return (op >= 3 && op <= 7) || op >= 11;
}

/**
 * UTF-8 well-formedness from the Unicode Standard's Table 3-7 (well-formed
 * byte sequences), written as a plain scan — not wscheck's automaton, which
 * it checks. Returns -1 when `bytes` is a well-formed prefix of some text
 * (possibly ending inside a character), else the index of the first octet
 * that no well-formed text can have there.
 */
export function firstIllFormed(bytes: Uint8Array, start = 0): number {
  const n = bytes.length;
  let i = start;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Number of continuation octets, and the range the first of them must fall in.
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) (need = 2), (lo = 0xa0);
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b === 0xed) (need = 2), (hi = 0x9f);
    else if (b === 0xf0) (need = 3), (lo = 0x90);
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) (need = 3), (hi = 0x8f);
    else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1;
      const c = bytes[i + k]!;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i + k;
    }
    i += need + 1;
  }
  return -1;
}

/** True when `bytes` is complete, well-formed UTF-8 (no character cut off at the end). */
export function wellFormed(bytes: Uint8Array): boolean {
  if (firstIllFormed(bytes) >= 0) return false;
  // A well-formed prefix is complete when its last character is: walk back over continuation octets.
  let k = bytes.length - 1;
  let cont = 0;
  while (k >= 0 && cont < 4 && (bytes[k]! & 0xc0) === 0x80) (k--, cont++);
  if (k < 0) return cont === 0;
  const b = bytes[k]!;
  const len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
  return len === cont + 1;
}

/**
 * Walk `stream` as a receiver configured with `options` (no extensions).
 * Stops after the first frame that has a violation.
 */
export function walkStream(stream: Uint8Array, options: DecoderOptions): Walk {
  const n = stream.length;
  const bytes = new Uint8Array(stream.buffer, stream.byteOffset, n);
  const server = options.role === 'server';
  const maxFrame = options.maxFramePayload ?? 64 * 1024 * 1024;
  const maxMessage = options.maxMessagePayload ?? 64 * 1024 * 1024;
  const policy = options.utf8 ?? 'fail-fast';
  const registry = options.closeCodes ?? 'iana';
  const validateClose = options.validateClose ?? true;
  // Newer decoders let the caller pick 1009 for a length with its top bit set.
  const msbCode = (options as { readonly lengthMsbCode?: number }).lengthMsbCode ?? 1002;

  const frames: WalkedFrame[] = [];
  const deliveries: Delivery[] = [];
  // The data message in progress.
  let message: { opcode: 1 | 2; parts: Uint8Array[]; length: number } | null = null;
  let at = 0;
  let boundary = 0;

  while (at < n) {
    const s = at;
    const v: FrameViolation[] = [];
    const b0 = stream[s]!;
    const fin = (b0 & 0x80) !== 0;
    const rsv = (b0 >> 4) & 7;
    const opcode = b0 & 0x0f;
    const control = isControl(opcode);
    // §5.2 opcode and RSV, §5.5 FIN on control frames, §5.4 message sequencing: all on octet 0.
    const octet0 = (kind: ViolationKind) => v.push({ kind, code: CODE[kind], offset: s, certainAt: s });
    if (isReserved(opcode)) octet0('reserved-opcode');
    if (rsv !== 0) octet0('reserved-rsv');
    if (control && !fin) octet0('fragmented-control');
    if (opcode === 0 && message === null) octet0('continuation-without-start');
    if ((opcode === 1 || opcode === 2) && message !== null) octet0('data-inside-fragmented');

    if (n - s < 2) {
      frames.push(frame(s, fin, rsv, opcode, false, 0, null, null, Infinity, EMPTY, v, message?.length ?? null));
      break;
    }
    const b1 = stream[s + 1]!;
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    // §5.1: servers receive masked frames only, clients unmasked ones only.
    if (!(options.acceptAnyMasking ?? false) && masked !== server) {
      v.push({ kind: server ? 'unmasked-client-frame' : 'masked-server-frame', code: 1002, offset: s + 1, certainAt: s + 1 });
    }
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    // §5.2: "the most significant bit MUST be 0".
    if (len7 === 127 && n - s >= 3 && (stream[s + 2]! & 0x80) !== 0) v.push({ kind: 'length-msb-set', code: msbCode, offset: s + 2, certainAt: s + 2 });
    const headerEnd = s + 2 + extra + (masked ? 4 : 0);
    if (n < s + 2 + extra) {
      frames.push(frame(s, fin, rsv, opcode, masked, len7, null, null, Infinity, EMPTY, v, message?.length ?? null));
      break;
    }
    let length = len7;
    if (extra === 2) length = (stream[s + 2]! << 8) | stream[s + 3]!;
    if (extra === 8) {
      let x = 0;
      for (let k = 0; k < 8; k++) x = x * 256 + stream[s + 2 + k]!;
      length = x;
    }
    // The decoder checks lengths once the whole header (masking key included) is in.
    const lengthAt = s + 2 + extra - 1;
    const header = (kind: ViolationKind) => v.push({ kind, code: CODE[kind], offset: lengthAt, certainAt: headerEnd - 1 });
    if (control && length > MAX_CONTROL) header('control-too-long');
    if ((options.rejectNonMinimalLength ?? false) && ((extra === 2 && length <= 125) || (extra === 8 && length <= 0xffff))) header('non-minimal-length');
    if (length > maxFrame) header('frame-too-big');
    if (!control && (opcode === 0 && message !== null ? message.length : 0) + length > maxMessage) header('message-too-big');

    if (n < headerEnd) {
      frames.push(frame(s, fin, rsv, opcode, masked, len7, length, null, Infinity, EMPTY, v, message?.length ?? null));
      break;
    }
    const end = headerEnd + length;
    const complete = end <= n;
    // A copy (a plain Uint8Array's slice; on a Node Buffer slice is a view, and unmasking would write into the input).
    const payload = end === headerEnd ? EMPTY : bytes.slice(headerEnd, Math.min(end, n));
    if (masked) {
      for (let k = 0; k < 4; k++) {
        const key = stream[headerEnd - 4 + k]!;
        for (let i = k; i < payload.length; i += 4) payload[i] ^= key;
      }
    }

    // A header violation makes the payload irrelevant: the decoder never looks at it.
    if (v.length === 0 && opcode === 8 && complete && validateClose) {
      // §5.5.1: a body, if any, starts with a 2-octet code; §7.4: which codes; §8.1: the reason is UTF-8.
      if (payload.length === 1) v.push({ kind: 'close-payload-length-1', code: 1002, offset: headerEnd, certainAt: end - 1 });
      else if (payload.length >= 2) {
        const code = (payload[0]! << 8) | payload[1]!;
        const reason = payload.subarray(2);
        if (!closeCodeAllowed(code, registry)) v.push({ kind: 'invalid-close-code', code: 1002, offset: headerEnd, certainAt: end - 1 });
        else if (!wellFormed(reason)) {
          const bad = firstIllFormed(reason);
          v.push({ kind: 'invalid-utf8', code: options.invalidCloseReasonCode ?? 1007, offset: headerEnd + 2 + (bad < 0 ? reason.length : bad), certainAt: end - 1 });
        }
      }
    }
    const textOpcode = opcode === 1 || (opcode === 0 && message !== null && message.opcode === 1);
    if (v.length === 0 && textOpcode && policy !== 'off') {
      const before = opcode === 0 && message !== null ? message.length : 0;
      const sofar = before === 0 ? payload : concat([...message!.parts, payload]);
      // Octets before this frame were checked with the frames they came in; a character may straddle the
      // boundary, so rescan from the start of the last character before it.
      let from = before;
      for (let k = 0; k < 4 && from > 0; k++) if ((sofar[--from]! & 0xc0) !== 0x80) break;
      const bad = policy === 'fail-fast' ? firstIllFormed(sofar, from) : -1;
      if (bad >= 0) {
        v.push({ kind: 'invalid-utf8', code: 1007, offset: headerEnd + bad - before, certainAt: headerEnd + bad - before });
      } else if (complete && fin && !wellFormed(sofar)) {
        v.push({ kind: 'invalid-utf8', code: 1007, offset: end, certainAt: end - 1 });
      }
    }

    frames.push(frame(s, fin, rsv, opcode, masked, len7, length, headerEnd, end, payload, v, message?.length ?? null));
    if (v.length > 0 || !complete) break;

    // A valid, complete frame: deliver.
    const index = frames.length - 1;
    if (opcode === 9 || opcode === 10) deliveries.push({ type: opcode === 9 ? 'ping' : 'pong', payload, frame: index });
    else if (opcode === 8) {
      const code = payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : null;
      deliveries.push({ type: 'close', code, reason: payload.length > 2 ? payload.subarray(2) : EMPTY, frame: index });
    } else if (opcode === 1 || opcode === 2) {
      if (fin) deliveries.push({ type: 'message', opcode, payload, frames: 1, frame: index });
      else message = { opcode, parts: [payload], length: payload.length };
    } else if (message !== null) {
      message.parts.push(payload);
      message.length += payload.length;
      if (fin) {
        deliveries.push({ type: 'message', opcode: message.opcode, payload: concat(message.parts), frames: message.parts.length, frame: index });
        message = null;
      }
    }
    at = end;
    boundary = end;
  }

  const failedFrame = frames.findIndex((f) => f.violations.length > 0);
  return { frames, deliveries, failedFrame, boundary };
}

/** Frame boundaries only (no judgement): start offsets and ends of the frames in `stream`, the last one maybe incomplete. */
export function frameSpans(stream: Uint8Array): { start: number; headerEnd: number; end: number }[] {
  const spans: { start: number; headerEnd: number; end: number }[] = [];
  let at = 0;
  while (at < stream.length) {
    const s = at;
    if (stream.length - s < 2) {
      spans.push({ start: s, headerEnd: Infinity, end: Infinity });
      break;
    }
    const b1 = stream[s + 1]!;
    const len7 = b1 & 0x7f;
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerEnd = s + 2 + extra + ((b1 & 0x80) !== 0 ? 4 : 0);
    if (stream.length < s + 2 + extra) {
      spans.push({ start: s, headerEnd, end: Infinity });
      break;
    }
    let length = len7;
    if (extra === 2) length = (stream[s + 2]! << 8) | stream[s + 3]!;
    if (extra === 8) {
      let x = 0;
      for (let k = 0; k < 8; k++) x = x * 256 + stream[s + 2 + k]!;
      length = x;
    }
    const end = headerEnd + length;
    spans.push({ start: s, headerEnd, end });
    if (end > stream.length) break;
    at = end;
  }
  return spans;
}
