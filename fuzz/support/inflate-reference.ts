/**
 * What a permessage-deflate receiver must make of each compressed message,
 * computed with zlib's one-shot `inflateRawSync` — no stream kept from one
 * message to the next, so the sliding window, a block left open at a message
 * end and a DEFLATE stream ended by BFINAL are all modelled here, in the
 * open, rather than inherited from the engine under test:
 *
 * - RFC 7692 §7.2.2 step 1: the payload with `00 00 ff ff` appended;
 * - the window a message starts from: the last 32 KiB of what earlier
 *   compressed messages decompressed to, when the receiver keeps it
 *   ("the LZ77 sliding window used to process the last compressed
 *   message"), or nothing ("MAY decompress each new message with an empty
 *   LZ77 sliding window") — handed to zlib as a preset dictionary;
 * - a DEFLATE stream that ends inside a message (a block with BFINAL set;
 *   §7.2.1 "The next DEFLATE block follows the padded data") goes on as a new
 *   stream over the same window: zlib says where it stopped
 *   (`bytesWritten`), the rest is decoded with the window as dictionary;
 * - a message that does not end at a block boundary leaves a block open,
 *   which the next message continues when the window is kept: the octets of
 *   that stream so far are kept and decoded again with the next message's,
 *   and what they gave before is skipped. Whether a message ended at a
 *   byte-aligned block boundary is asked of zlib with a probe: the octets
 *   `03 00` (an empty fixed-Huffman block with BFINAL set) end the stream
 *   there, with no output, exactly when it is at such a boundary.
 *
 * Limits: `tooBig` means more than `limit` octets decompress from the
 * message before any error (counted to the symbol, by a fresh zlib stream fed
 * the whole message: the one question a one-shot call cannot answer);
 * `invalid` that the data is not valid DEFLATE (zlib's reason). A message can
 * be both — a bomb with a corrupt tail — and then either refusal is right
 * (which one a streaming engine meets first depends on how its output buffers
 * fall). Each question is answered lazily, because only a refusal needs both.
 */
import zlib from 'node:zlib';
import { concat } from './input.js';

const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const PROBE = Uint8Array.of(0x03, 0x00);
/** 2^15, the largest window (RFC 1951: "distances up to 32K"). */
const WINDOW = 32768;
/** Above any output a fuzz input can decompress to (DEFLATE expands at most about 1032:1). */
const UNLIMITED = 1 << 30;
const { Z_SYNC_FLUSH } = zlib.constants;

export type ReferenceOutcome =
  | { readonly kind: 'data'; readonly data: Uint8Array }
  | {
      readonly kind: 'refused';
      /** zlib's reason when the compressed data is invalid (within this message), else null. */
      readonly invalid: () => string | null;
      /** More than the limit decompresses before any error. */
      readonly tooBig: () => boolean;
    };

type Segment =
  | { readonly kind: 'ok'; readonly output: Uint8Array; readonly consumed: number }
  | { readonly kind: 'big' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Run a zlib call of the oracle's own without stack traces: zlib's errors are
 * answers here (their message is the reason), and Node formats every one's
 * stack — through source maps, under tsx and Jazzer.js — when it destroys the
 * stream, a fifth of the target's time on invalid data.
 */
function quietly<T>(call: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return call();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function zlibReason(e: unknown): string | null {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_') ? (e as Error).message : null;
}

/** Decode one raw DEFLATE stream from `input` with window `dictionary`; `big` once more than `cap` octets come out. */
function inflateSegment(input: Uint8Array, dictionary: Uint8Array, cap: number): Segment {
  try {
    const r = quietly(() =>
      zlib.inflateRawSync(input, {
        finishFlush: Z_SYNC_FLUSH,
        info: true,
        maxOutputLength: cap + 1,
        ...(dictionary.length > 0 ? { dictionary } : {}),
      }),
    ) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    if (r.buffer.length > cap) return { kind: 'big' };
    return { kind: 'ok', output: r.buffer, consumed: r.engine.bytesWritten };
  } catch (e) {
    if (e instanceof RangeError && (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'big' };
    const reason = zlibReason(e);
    if (reason === null) throw e;
    return { kind: 'invalid', reason };
  }
}

/** Does the stream in `input` stop at a byte-aligned block boundary (or its end) after exactly `produced` octets? */
function endsAtBoundary(input: Uint8Array, dictionary: Uint8Array, produced: number): boolean {
  try {
    const r = quietly(() =>
      zlib.inflateRawSync(concat([input, PROBE]), {
        info: true,
        maxOutputLength: produced + 1,
        ...(dictionary.length > 0 ? { dictionary } : {}),
      }),
    ) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    const consumed = r.engine.bytesWritten;
    return r.buffer.length === produced && (consumed === input.length || consumed === input.length + PROBE.length);
  } catch {
    return false;
  }
}

/** The native handle under a zlib stream and the `[availOut, availIn]` its `writeSync` reports into (lib/zlib.js). */
interface ZlibInternals {
  _handle: { writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void };
  _writeState: Uint32Array;
}

/**
 * Does more than `cap` octets decompress from `input` before zlib finds it
 * invalid? Exact to the symbol, not to the octet: a single input octet can
 * hold several codes (up to four 258-octet matches under a dynamic code), so
 * cutting the input at octet boundaries misses what the octet holding the
 * error decodes to before it. zlib writes output in symbol order and never
 * for a symbol after an error; with its output buffer full it still decodes
 * ahead up to the next octet it must write — a match's distance is checked,
 * a block header read — and reports an error met there. So: a fresh stream,
 * room for exactly `cap` octets; if it fills, a call with no room (an error
 * there lies before octet `cap` + 1), then one with room for one octet (zlib
 * now stands at a symbol it must write, so an octet comes out, error after it
 * or not, unless the input is used up or the stream ended).
 */
function passesBeforeError(input: Uint8Array, dictionary: Uint8Array, cap: number): boolean {
  const stream = zlib.createInflateRaw({ chunkSize: 64, ...(dictionary.length > 0 ? { dictionary } : {}) });
  stream.on('error', () => {});
  const { _handle: handle, _writeState: state } = stream as unknown as ZlibInternals;
  const out = new Uint8Array(Math.max(cap, 1));
  let inOff = 0;
  /** Octets written into a room of `room`, or null when zlib reported an error. */
  const write = (room: number): number | null => {
    const inLen = input.length - inOff;
    quietly(() => handle.writeSync(Z_SYNC_FLUSH, input, inOff, inLen, out, 0, room));
    if (stream.destroyed) return null;
    inOff += inLen - state[1]!;
    return room - state[0]!;
  };
  try {
    const first = write(cap);
    if (first === null || first < cap) return false;
    if (write(0) === null) return false;
    const one = write(1);
    return one === null || one === 1;
  } finally {
    stream.close();
  }
}

/** The last {@link WINDOW} octets of `a` followed by `b`: the LZ77 window after `b` was written. */
export function windowOf(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length >= WINDOW) return b.slice(b.length - WINDOW);
  const keep = Math.min(a.length, WINDOW - b.length);
  return concat([a.subarray(a.length - keep), b]);
}

/** The receiving side of one connection's permessage-deflate, message by message. */
export class ReferenceInflater {
  /** What earlier compressed messages decompressed to (the last 32 KiB), while the window is kept. */
  private history: Uint8Array = new Uint8Array(0);
  /** A stream left inside a block: its octets from its start, its starting window, what it gave so far. */
  private open: { input: Uint8Array; dictionary: Uint8Array; produced: number } | null = null;

  /** `keepsWindow`: the receiver decompresses each message with the window of the previous ones. */
  constructor(readonly keepsWindow: boolean) {}

  /** A message whose first frame had RSV1 set, with payload `payload`, under a limit of `limit` octets. */
  message(payload: Uint8Array, limit: number): ReferenceOutcome {
    const open = this.open;
    const input = concat(open === null ? [payload, TRAILER] : [open.input, payload, TRAILER]);
    let dictionary = open !== null ? open.dictionary : this.keepsWindow ? this.history : new Uint8Array(0);
    let skip = open !== null ? open.produced : 0;
    const parts: Uint8Array[] = [];
    let total = 0;
    let at = 0;
    for (;;) {
      const segment = input.subarray(at);
      const cap = skip + (limit - total);
      const r = inflateSegment(segment, dictionary, cap);
      if (r.kind !== 'ok') return this.refusal(r, segment, dictionary, cap);
      if (r.consumed === 0) return this.refusal({ kind: 'invalid', reason: 'a DEFLATE stream that ends before it starts' }, segment, dictionary, cap);
      const fresh = r.output.subarray(skip);
      parts.push(fresh);
      total += fresh.length;
      if (r.consumed < segment.length) {
        // A block with BFINAL set ended the stream; the rest is a new one over the same window.
        dictionary = windowOf(dictionary, r.output);
        skip = 0;
        at += r.consumed;
        continue;
      }
      // All consumed: the next message starts a new stream over the window, or continues this one.
      this.open = this.keepsWindow && !endsAtBoundary(segment, dictionary, r.output.length) ? { input: segment.slice(), dictionary, produced: r.output.length } : null;
      break;
    }
    const data = concat(parts);
    if (this.keepsWindow) this.history = windowOf(this.history, data);
    return { kind: 'data', data };
  }

  private refusal(r: Exclude<Segment, { kind: 'ok' }>, segment: Uint8Array, dictionary: Uint8Array, cap: number): ReferenceOutcome {
    let invalid: string | null | undefined = r.kind === 'invalid' ? r.reason : undefined;
    let tooBig: boolean | undefined = r.kind === 'big' ? true : undefined;
    return {
      kind: 'refused',
      invalid: () => {
        if (invalid === undefined) {
          const whole = inflateSegment(segment, dictionary, UNLIMITED);
          invalid = whole.kind === 'invalid' ? whole.reason : null;
        }
        return invalid;
      },
      tooBig: () => (tooBig ??= passesBeforeError(segment, dictionary, cap)),
    };
  }
}
