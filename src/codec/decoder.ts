/**
 * Incremental frame and message decoder for either role (RFC 6455 §5).
 *
 * `decode(state, chunk)` is a pure transition over plain data: feed the octets
 * of any TCP chunking, get complete frames, reassembled messages and, at the
 * first protocol violation, a violation carrying the close code to fail the
 * connection with. Chunking never changes the events (only how many calls they
 * take). Limits are checked from the frame header, before any payload octet is
 * buffered.
 *
 * Payloads of unmasked frames that arrive whole in one chunk are subarrays of
 * that chunk (no copy): callers must not modify chunks after feeding them.
 * Buffers that grow across calls are shared between successive states and
 * written only past the length an older state knows, so every state stays
 * valid; a state that is stepped twice gets its own copy (see `appendOwned`).
 */
import { type CloseCodeRegistry, parseClosePayload } from './close.js';
import type { MessageExtension } from './extension.js';
import type { Frame } from './frame.js';
import { MAX_CONTROL_PAYLOAD } from './frame.js';
import { applyMaskInPlace } from './mask.js';
import { Opcode, isControlOpcode, isReservedOpcode, opcodeName } from './opcode.js';
import { UTF8_ACCEPT, utf8Advance } from './utf8.js';
import { type ProtocolViolation, type ViolationKind, violation } from './violation.js';

/** When invalid UTF-8 in a text message fails the connection. */
export type Utf8Policy =
  /** at the first octet that cannot start or continue a valid sequence (RFC 6455 §8.1 allows waiting, Autobahn 6.4 prefers this) */
  | 'fail-fast'
  /** only once the message is complete */
  | 'message-end'
  /** never (observation only; not a conforming receiver) */
  | 'off';

export interface DecoderOptions {
  /** The role of the endpoint that receives: a server requires masked frames, a client unmasked ones (§5.1). */
  readonly role: 'client' | 'server';
  /** Largest frame payload accepted; larger fails with 1009 before buffering. Default DEFAULT_MAX_PAYLOAD (64 MiB). */
  readonly maxFramePayload?: number;
  /** Largest message accepted, summed over its fragments and after extensions. Default DEFAULT_MAX_PAYLOAD (64 MiB). */
  readonly maxMessagePayload?: number;
  /**
   * When the message limit is checked: `header` (default) at the header of
   * the frame that takes the total over it, before its payload is read;
   * `message-end` only once the message is complete (what a receiver that
   * buffers the fragments first does; each frame still meets
   * `maxFramePayload` at its header).
   */
  readonly messageLimitAt?: 'header' | 'message-end';
  readonly utf8?: Utf8Policy;
  readonly closeCodes?: CloseCodeRegistry;
  /** §5.2 binds senders to the minimal length encoding; a receiver may also reject the others. Default false. */
  readonly rejectNonMinimalLength?: boolean;
  /** Validate close bodies (code, length 1, UTF-8 reason). Default true. */
  readonly validateClose?: boolean;
  /** Close code for a close reason that is not UTF-8 (see `parseClosePayload`). Default 1007. */
  readonly invalidCloseReasonCode?: 1007 | 1002;
  /**
   * Close code for a 64-bit length with its most significant bit set: 1002
   * (the frame is malformed, §5.2) by default; 1009 (a message too big to
   * process, §7.4.1) is as defensible and what several libraries send.
   */
  readonly lengthMsbCode?: 1002 | 1009;
  /** Accept frames with the wrong masking for the role instead of failing (observation only). Default false. */
  readonly acceptAnyMasking?: boolean;
  /** Negotiated extensions, in negotiation order. */
  readonly extensions?: readonly MessageExtension[];
  /** Emit a `frame` event for every frame (wire logs need them; throughput-only users may not). Default true. */
  readonly emitFrames?: boolean;
}

export interface FrameEvent {
  readonly type: 'frame';
  readonly frame: Frame;
  /** Stream offset of the frame's first header octet. */
  readonly offset: number;
  /** How the length was encoded on the wire. */
  readonly lengthEncoding: 7 | 16 | 64;
}

export interface MessageEvent {
  readonly type: 'message';
  readonly opcode: typeof Opcode.Text | typeof Opcode.Binary;
  /** Application data (after extensions). */
  readonly payload: Uint8Array;
  /** Number of frames the message arrived in. */
  readonly frames: number;
  /** RSV bits of the first frame claimed by an extension (0 when none). */
  readonly rsv: number;
}

export interface ControlEvent {
  readonly type: 'ping' | 'pong';
  readonly payload: Uint8Array;
}

export interface CloseEvent {
  readonly type: 'close';
  /** null for an empty close body. */
  readonly code: number | null;
  readonly reason: Uint8Array;
  readonly payload: Uint8Array;
}

export interface ViolationEvent {
  readonly type: 'violation';
  readonly violation: ProtocolViolation;
}

export type DecodeEvent = FrameEvent | MessageEvent | ControlEvent | CloseEvent | ViolationEvent;

/** A frame whose header is complete and whose payload is still arriving. */
interface FrameInProgress {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly maskKey: number | null;
  readonly length: number;
  readonly offset: number;
  readonly lengthEncoding: 7 | 16 | 64;
  /** Exactly `length` octets once the first partial piece arrived. */
  readonly payload: Uint8Array | null;
  readonly filled: number;
}

/** A data message whose first frame had FIN=0. */
interface MessageInProgress {
  readonly opcode: typeof Opcode.Text | typeof Opcode.Binary;
  readonly rsv: number;
  readonly fragments: Uint8Array[];
  readonly fragmentCount: number;
  readonly length: number;
}

/** Plain-data decoder state; treat as immutable. */
export interface DecoderState {
  /** Octets consumed so far (the stream offset of the next octet). */
  readonly offset: number;
  readonly failure: ProtocolViolation | null;
  /** Header octets of the next frame when a header spans chunks. */
  readonly partialHeader: Uint8Array | null;
  readonly frame: FrameInProgress | null;
  readonly message: MessageInProgress | null;
  /** UTF-8 automaton state of the text message being validated as it arrives, or -1. */
  readonly utf8: number;
}

export function initialDecoderState(offset = 0): DecoderState {
  return { offset, failure: null, partialHeader: null, frame: null, message: null, utf8: -1 };
}

export interface DecodeResult {
  readonly state: DecoderState;
  readonly events: DecodeEvent[];
}

/**
 * Default frame and message limit. Anything larger must be asked for: a peer
 * that announces a length must not make us allocate it unasked.
 */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;
/** Largest limit a decoder accepts (one contiguous buffer). */
export const MAX_PAYLOAD_LIMIT = 2 ** 31 - 1;
const EMPTY = new Uint8Array(0);

/** Fill level last written into a shared buffer or array, so a stale state can tell it no longer owns the tail. */
const owned = new WeakMap<object, number>();

function appendOwned<T>(list: T[], count: number, item: T): T[] {
  const owner = owned.get(list);
  const target = list.length === count && (owner === undefined || owner === count) ? list : list.slice(0, count);
  target.push(item);
  owned.set(target, count + 1);
  return target;
}

interface Resolved {
  readonly server: boolean;
  readonly maxFrame: number;
  readonly maxMessage: number;
  readonly messageLimitAtEnd: boolean;
  readonly utf8: Utf8Policy;
  readonly closeCodes: CloseCodeRegistry;
  readonly rejectNonMinimal: boolean;
  readonly validateClose: boolean;
  readonly anyMasking: boolean;
  readonly extensions: readonly MessageExtension[];
  readonly extensionRsv: number;
  readonly emitFrames: boolean;
}

const resolvedCache = new WeakMap<DecoderOptions, Resolved>();

function checkLimit(name: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_PAYLOAD;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAYLOAD_LIMIT) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_PAYLOAD_LIMIT}, got ${value}`);
  }
  return value;
}

function resolve(options: DecoderOptions): Resolved {
  let r = resolvedCache.get(options);
  if (r === undefined) {
    const extensions = options.extensions ?? [];
    let extensionRsv = 0;
    for (const e of extensions) extensionRsv |= e.rsvBits;
    r = {
      server: options.role === 'server',
      maxFrame: checkLimit('maxFramePayload', options.maxFramePayload),
      maxMessage: checkLimit('maxMessagePayload', options.maxMessagePayload),
      messageLimitAtEnd: options.messageLimitAt === 'message-end',
      utf8: options.utf8 ?? 'fail-fast',
      closeCodes: options.closeCodes ?? 'iana',
      rejectNonMinimal: options.rejectNonMinimalLength ?? false,
      validateClose: options.validateClose ?? true,
      anyMasking: options.acceptAnyMasking ?? false,
      extensions,
      extensionRsv,
      emitFrames: options.emitFrames ?? true,
    };
    resolvedCache.set(options, r);
  }
  return r;
}

/**
 * Consume `chunk` (which follows every chunk fed before) and return the next
 * state and the events it completed, in stream order. After a violation the
 * state is failed and further input is ignored.
 */
export function decode(state: DecoderState, chunk: Uint8Array, options: DecoderOptions): DecodeResult {
  const events: DecodeEvent[] = [];
  if (state.failure !== null || chunk.length === 0) return { state, events };
  const o = resolve(options);
  const base = state.offset;
  const n = chunk.length;
  let i = 0;
  let partialHeader = state.partialHeader;
  let frame = state.frame;
  let message = state.message;
  let utf8 = state.utf8;
  let failure: ProtocolViolation | null = null;

  const fail = (kind: ViolationKind, reason: string, at: number, code?: number): void => {
    failure = violation(kind, reason, at, code);
    events.push({ type: 'violation', violation: failure });
  };

  // Completes a frame whose full payload is `payload`; returns false when it failed the connection.
  const complete = (f: FrameInProgress, payload: Uint8Array, endOffset: number): boolean => {
    if (o.emitFrames) {
      events.push({
        type: 'frame',
        frame: { fin: f.fin, rsv: f.rsv, opcode: f.opcode, maskKey: f.maskKey, payload },
        offset: f.offset,
        lengthEncoding: f.lengthEncoding,
      });
    }
    const op = f.opcode;
    if (op === Opcode.Ping || op === Opcode.Pong) {
      events.push({ type: op === Opcode.Ping ? 'ping' : 'pong', payload });
      return true;
    }
    if (op === Opcode.Close) {
      if (o.validateClose) {
        const parsed = parseClosePayload(payload, {
          registry: o.closeCodes,
          offset: endOffset - payload.length,
          invalidReasonCode: options.invalidCloseReasonCode ?? 1007,
        });
        if (!parsed.ok) {
          failure = parsed.violation;
          events.push({ type: 'violation', violation: failure });
          return false;
        }
        events.push({ type: 'close', code: parsed.close.code, reason: parsed.close.reason, payload });
      } else {
        const code = payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : null;
        events.push({ type: 'close', code, reason: payload.length > 2 ? payload.subarray(2) : EMPTY, payload });
      }
      return true;
    }
    // Data frame: start, continue or finish a message.
    if (op !== Opcode.Continuation && f.fin) {
      if (o.messageLimitAtEnd && payload.length > o.maxMessage) {
        fail('message-too-big', `message of ${payload.length} octets exceeds the limit of ${o.maxMessage}`, endOffset - 1);
        return false;
      }
      return finishMessage(op as 1 | 2, f.rsv, payload, 1, endOffset);
    }
    if (op !== Opcode.Continuation) {
      message = {
        opcode: op as 1 | 2,
        rsv: f.rsv,
        fragments: appendOwned([], 0, payload),
        fragmentCount: 1,
        length: payload.length,
      };
      return true;
    }
    const m = message!;
    const fragments = appendOwned(m.fragments, m.fragmentCount, payload);
    const length = m.length + payload.length;
    if (f.fin && o.messageLimitAtEnd && length > o.maxMessage) {
      fail('message-too-big', `message of ${length} octets exceeds the limit of ${o.maxMessage}`, endOffset - 1);
      return false;
    }
    if (!f.fin) {
      message = { opcode: m.opcode, rsv: m.rsv, fragments, fragmentCount: m.fragmentCount + 1, length };
      return true;
    }
    message = null;
    return finishMessage(m.opcode, m.rsv, concat(fragments, m.fragmentCount + 1, length), m.fragmentCount + 1, endOffset);
  };

  const finishMessage = (opcode: 1 | 2, rsv: number, payload: Uint8Array, frames: number, endOffset: number): boolean => {
    let data = payload;
    const claimed = rsv & o.extensionRsv;
    if (claimed !== 0) {
      for (const ext of o.extensions) {
        const bits = rsv & ext.rsvBits;
        if (bits === 0) continue;
        const r = ext.decodeMessage(data, bits, o.maxMessage);
        if (!r.ok) {
          fail('extension-error', `${ext.name}: ${r.reason}`, endOffset, r.code);
          return false;
        }
        data = r.data;
      }
    }
    if (opcode === Opcode.Text && o.utf8 !== 'off') {
      if (utf8 >= 0 && claimed === 0) {
        // Already validated octet by octet; a sequence cut off by the end of the message is invalid there.
        if (utf8 !== UTF8_ACCEPT) {
          fail('invalid-utf8', 'text message ends inside a UTF-8 sequence', endOffset);
          return false;
        }
      } else {
        const r = utf8Advance(UTF8_ACCEPT, data);
        if (r !== UTF8_ACCEPT) {
          const at = r < 0 ? -r - 1 : data.length;
          fail('invalid-utf8', `text message is not UTF-8 (octet ${at} of the message)`, endOffset);
          return false;
        }
      }
    }
    utf8 = -1;
    events.push({ type: 'message', opcode, payload: data, frames, rsv: claimed });
    return true;
  };

  // Validates text payload octets as they arrive; `at` is the stream offset of piece[0].
  const checkUtf8 = (piece: Uint8Array, at: number): boolean => {
    const r = utf8Advance(utf8, piece);
    if (r < 0) {
      const bad = -r - 1;
      fail('invalid-utf8', `invalid UTF-8 octet 0x${piece[bad]!.toString(16).padStart(2, '0')} in a text message`, at + bad);
      return false;
    }
    utf8 = r;
    return true;
  };

  while (failure === null) {
    if (frame === null) {
      // ---- frame header ----
      let h: Uint8Array;
      let hStart: number;
      let hAvail: number;
      const headerOffset = base + i - (partialHeader?.length ?? 0);
      if (partialHeader === null) {
        if (i >= n) break;
        h = chunk;
        hStart = i;
        hAvail = n - i;
      } else {
        const joined = new Uint8Array(Math.min(partialHeader.length + (n - i), 14));
        joined.set(partialHeader);
        joined.set(chunk.subarray(i, i + joined.length - partialHeader.length), partialHeader.length);
        h = joined;
        hStart = 0;
        hAvail = joined.length;
      }
      const b0 = h[hStart]!;
      const fin = (b0 & 0x80) !== 0;
      const rsv = (b0 >> 4) & 0x7;
      const opcode = b0 & 0x0f;
      // Checks on the first octet are made once, when it first arrives.
      if (partialHeader === null) {
        if (isReservedOpcode(opcode)) {
          fail('reserved-opcode', `frame with ${opcodeName(opcode)}`, headerOffset);
          break;
        }
        const control = isControlOpcode(opcode);
        // §5.2: "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values".
        if ((rsv & ~o.extensionRsv) !== 0) {
          fail('reserved-rsv', `RSV bits ${rsv} set with no extension defining them`, headerOffset);
          break;
        }
        if (rsv !== 0 && (control || opcode === Opcode.Continuation)) {
          // RFC 7692 §6.1: the per-message bits belong to the first frame of a data message only.
          fail('reserved-rsv', `RSV bits ${rsv} on a ${opcodeName(opcode)} frame`, headerOffset);
          break;
        }
        // §5.5: "All control frames MUST NOT be fragmented."
        if (control && !fin) {
          fail('fragmented-control', `${opcodeName(opcode)} frame with FIN=0`, headerOffset);
          break;
        }
        // §5.4: a continuation needs an open message; a new message must wait for the open one to finish.
        if (opcode === Opcode.Continuation && message === null) {
          fail('continuation-without-start', 'continuation frame with no message in progress', headerOffset);
          break;
        }
        if ((opcode === Opcode.Text || opcode === Opcode.Binary) && message !== null) {
          fail('data-inside-fragmented', `${opcodeName(opcode)} frame inside a fragmented message`, headerOffset);
          break;
        }
      }
      if (hAvail < 2) {
        partialHeader = copyOf(h, hStart, hStart + hAvail);
        i = n;
        break;
      }
      const b1 = h[hStart + 1]!;
      const isMasked = (b1 & 0x80) !== 0;
      const len7 = b1 & 0x7f;
      if (partialHeader === null || partialHeader.length < 2) {
        if (!o.anyMasking && isMasked !== o.server) {
          // §5.1: a server "MUST close the connection upon receiving a frame that is not masked";
          // a client "MUST close a connection if it detects a masked frame".
          fail(
            o.server ? 'unmasked-client-frame' : 'masked-server-frame',
            o.server ? 'unmasked frame from a client' : 'masked frame from a server',
            headerOffset + 1,
          );
          break;
        }
      }
      const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
      const total = 2 + extra + (isMasked ? 4 : 0);
      if (len7 === 127 && hAvail >= 3 && (partialHeader === null || partialHeader.length < 3) && (h[hStart + 2]! & 0x80) !== 0) {
        // §5.2: "the most significant bit MUST be 0".
        fail('length-msb-set', 'most significant bit of the 64-bit payload length is set', headerOffset + 2, options.lengthMsbCode ?? 1002);
        break;
      }
      if (hAvail < total) {
        partialHeader = copyOf(h, hStart, hStart + hAvail);
        i = n;
        break;
      }
      // Whole header available.
      let length: number;
      // The length as written, exactly: above 2^53 a number rounds it, and a report must not.
      let lengthText: () => string = () => String(length);
      let encoding: 7 | 16 | 64;
      if (extra === 0) {
        length = len7;
        encoding = 7;
      } else if (extra === 2) {
        length = (h[hStart + 2]! << 8) | h[hStart + 3]!;
        encoding = 16;
      } else {
        const high = ((h[hStart + 2]! << 24) | (h[hStart + 3]! << 16) | (h[hStart + 4]! << 8) | h[hStart + 5]!) >>> 0;
        const low = ((h[hStart + 6]! << 24) | (h[hStart + 7]! << 16) | (h[hStart + 8]! << 8) | h[hStart + 9]!) >>> 0;
        length = high * 0x100000000 + low;
        lengthText = () => String((BigInt(high) << 32n) | BigInt(low));
        encoding = 64;
      }
      const lengthEnd = headerOffset + 2 + extra;
      if (isControlOpcode(opcode) && length > MAX_CONTROL_PAYLOAD) {
        // §5.5: "All control frames MUST have a payload length of 125 bytes or less".
        fail('control-too-long', `${opcodeName(opcode)} frame with a ${lengthText()}-octet payload`, lengthEnd - 1);
        break;
      }
      if (o.rejectNonMinimal && ((encoding === 16 && length <= 125) || (encoding === 64 && length <= 0xffff))) {
        fail('non-minimal-length', `length ${length} written in the ${encoding}-bit form`, lengthEnd - 1);
        break;
      }
      if (length > o.maxFrame) {
        fail('frame-too-big', `frame payload of ${lengthText()} octets exceeds the limit of ${o.maxFrame}`, lengthEnd - 1);
        break;
      }
      if (!isControlOpcode(opcode) && !o.messageLimitAtEnd) {
        const soFar = opcode === Opcode.Continuation ? message!.length : 0;
        if (soFar + length > o.maxMessage) {
          fail('message-too-big', `message of at least ${soFar + length} octets exceeds the limit of ${o.maxMessage}`, lengthEnd - 1);
          break;
        }
      }
      let maskKey: number | null = null;
      if (isMasked) {
        const k = hStart + 2 + extra;
        maskKey = ((h[k]! << 24) | (h[k + 1]! << 16) | (h[k + 2]! << 8) | h[k + 3]!) >>> 0;
      }
      // Advance past the header within this chunk.
      i += total - (partialHeader?.length ?? 0);
      partialHeader = null;
      if (opcode === Opcode.Text) utf8 = (rsv & o.extensionRsv) === 0 && o.utf8 === 'fail-fast' ? UTF8_ACCEPT : -1;
      frame = { fin, rsv, opcode, maskKey, length, offset: headerOffset, lengthEncoding: encoding, payload: null, filled: 0 };
    }

    // ---- payload ----
    const f: FrameInProgress = frame;
    const textPiece = utf8 >= 0 && (f.opcode === Opcode.Text || f.opcode === Opcode.Continuation);
    const need = f.length - f.filled;
    const avail = n - i;
    if (f.filled === 0 && avail >= need) {
      let payload: Uint8Array;
      if (need === 0) {
        payload = EMPTY;
      } else if (f.maskKey === null || f.maskKey === 0) {
        // Unmasked, or masked with the key 0 (XOR with zero changes nothing): no copy.
        payload = chunk.subarray(i, i + need);
      } else {
        payload = copyOf(chunk, i, i + need);
        applyMaskInPlace(payload, f.maskKey, 0);
      }
      if (textPiece && !checkUtf8(payload, base + i)) break;
      i += need;
      frame = null;
      if (!complete(f, payload, base + i)) break;
      continue;
    }
    if (avail === 0) break;
    const take = Math.min(avail, need);
    let buffer = f.payload;
    if (buffer === null) {
      buffer = new Uint8Array(f.length);
    } else if (owned.get(buffer) !== f.filled) {
      buffer = buffer.slice();
    }
    const piece = buffer.subarray(f.filled, f.filled + take);
    piece.set(chunk.subarray(i, i + take));
    if (f.maskKey !== null) applyMaskInPlace(piece, f.maskKey, f.filled);
    owned.set(buffer, f.filled + take);
    if (textPiece && !checkUtf8(piece, base + i)) break;
    i += take;
    if (f.filled + take < f.length) {
      frame = { ...f, payload: buffer, filled: f.filled + take };
      break;
    }
    frame = null;
    if (!complete(f, buffer, base + i)) break;
  }

  const next: DecoderState =
    failure !== null
      ? { offset: base + n, failure, partialHeader: null, frame: null, message: null, utf8: -1 }
      : { offset: base + n, failure: null, partialHeader, frame, message, utf8 };
  return { state: next, events };
}

/**
 * A copy of `source[start, end)`. Not `source.slice`: on a Node Buffer that is
 * a view, and unmasking it would write into the caller's chunk.
 */
function copyOf(source: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(source, start, end);
}

function concat(parts: readonly Uint8Array[], count: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (let k = 0; k < count; k++) {
    out.set(parts[k]!, at);
    at += parts[k]!.length;
  }
  return out;
}

/**
 * Stateful convenience wrapper for streaming callers: the same transitions,
 * holding the current state.
 */
export class FrameDecoder {
  state: DecoderState;

  constructor(
    readonly options: DecoderOptions,
    state: DecoderState = initialDecoderState(),
  ) {
    this.state = state;
  }

  /** Feed the next chunk; returns the events it completed. */
  push(chunk: Uint8Array): DecodeEvent[] {
    const r = decode(this.state, chunk, this.options);
    this.state = r.state;
    return r.events;
  }

  get failure(): ProtocolViolation | null {
    return this.state.failure;
  }

  /** True when no frame or message is partially received (a clean point to end the stream). */
  get atBoundary(): boolean {
    const s = this.state;
    return s.partialHeader === null && s.frame === null && s.message === null;
  }
}
