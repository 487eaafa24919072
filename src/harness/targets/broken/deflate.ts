/**
 * permessage-deflate (RFC 7692) for the broken implementations, written apart
 * from wscheck's codec: reading an offer or an answer, and inflating a
 * received message with node:zlib. Only the deflate variations negotiate it
 * (every other broken peer ignores offers, so their demonstrations and the
 * catalogue's verdicts on them stay as they are); the base never compresses
 * what it sends, which RFC 7692 §6 allows ("an endpoint ... MAY send a
 * message uncompressed").
 */
import zlib from 'node:zlib';
import type { Variation } from './connection.js';

/** The variations that negotiate permessage-deflate. */
export const DEFLATE_VARIATIONS: readonly Variation[] = ['deflate-rsv1-continuation-accepted', 'deflate-window-bits-not-checked'];

export function negotiatesDeflate(variation: Variation | null): boolean {
  return variation !== null && DEFLATE_VARIATIONS.includes(variation);
}

/** What the broken client offers. */
export const CLIENT_DEFLATE_OFFER = 'permessage-deflate; client_max_window_bits';

const NAMES = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];

interface Element {
  readonly name: string;
  readonly params: ReadonlyMap<string, string | null>;
  /** A parameter appeared twice (RFC 7692 §7 makes that invalid). */
  readonly repeated: boolean;
}

function elements(value: string): Element[] {
  return value.split(',').map((item) => {
    const [name, ...rest] = item.split(';').map((s) => s.trim());
    const params = new Map<string, string | null>();
    let repeated = false;
    for (const p of rest) {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim();
      const v = eq < 0 ? null : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (params.has(key)) repeated = true;
      params.set(key, v);
    }
    return { name: name ?? '', params, repeated };
  });
}

/** §7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive". */
const WINDOW_BITS = /^(8|9|1[0-5])$/;

/**
 * Window bits as the bug `deflate-window-bits-not-checked` reads them: any
 * run of digits, the range never checked (undici before CVE-2026-2229).
 */
const ANY_DIGITS = /^[0-9]+$/;

/** §7: an element with only the four parameters, each once, with valid values; `window` judges window bits. */
function validParams(e: Element, window: RegExp, clientWindowNeedsValue: boolean): boolean {
  if (e.repeated) return false;
  for (const [key, v] of e.params) {
    if (!NAMES.includes(key)) return false;
    if (key.endsWith('_no_context_takeover') && v !== null) return false;
    if (key === 'server_max_window_bits' && (v === null || !window.test(v))) return false;
    if (key === 'client_max_window_bits' && (v === null ? clientWindowNeedsValue : !window.test(v))) return false;
  }
  return true;
}

/**
 * The server's answer to an offer: the value of its Sec-WebSocket-Extensions,
 * or null to decline. It accepts the first valid offer (§7: invalid ones are
 * declined), granting what that offer requests of the server's compressor,
 * which never compresses anyway.
 */
export function acceptDeflateOffer(value: string | undefined): string | null {
  if (value === undefined) return null;
  for (const e of elements(value)) {
    if (e.name !== 'permessage-deflate' || !validParams(e, WINDOW_BITS, false)) continue;
    let answer = 'permessage-deflate';
    if (e.params.has('server_no_context_takeover')) answer += '; server_no_context_takeover';
    const bits = e.params.get('server_max_window_bits');
    if (bits !== undefined && bits !== null) answer += `; server_max_window_bits=${bits}`;
    return answer;
  }
  return null;
}

/**
 * The client's check of the answer to `CLIENT_DEFLATE_OFFER` (§5, §7):
 * `deflate` if it agrees to permessage-deflate, `none` if it agrees to no
 * extension, or why the client must fail the connection.
 */
export function checkDeflateAnswer(value: string | undefined, variation: Variation | null): 'deflate' | 'none' | string {
  if (value === undefined) return 'none';
  const all = elements(value);
  if (all.some((e) => e.name !== 'permessage-deflate')) return 'an extension was selected that was not offered';
  // §5: a second permessage-deflate would claim RSV1 too.
  if (all.length !== 1) return 'permessage-deflate accepted more than once';
  const window = variation === 'deflate-window-bits-not-checked' ? ANY_DIGITS : WINDOW_BITS;
  return validParams(all[0]!, window, true) ? 'deflate' : 'invalid permessage-deflate parameters';
}

const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/** The largest LZ77 window (§7.1.2.1: "up to 32,768 bytes"). */
const WINDOW = 32768;

/**
 * Decompresses received messages (§7.2.2: the payload with 00 00 ff ff
 * appended), keeping the last 32 KiB of output as the window the next
 * message may refer to (context takeover), and stopping one octet past the
 * message limit.
 */
export class MessageInflater {
  private window: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessage: number) {}

  inflate(payload: Buffer): { readonly ok: true; readonly data: Buffer } | { readonly ok: false; readonly code: number; readonly reason: string } {
    let data: Buffer;
    try {
      data = zlib.inflateRawSync(Buffer.concat([payload, TRAILER]), {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: this.maxMessage + 1,
        ...(this.window.length > 0 ? { dictionary: this.window } : {}),
      });
    } catch (e) {
      // Node refuses output past maxOutputLength with a RangeError; anything else is bad data.
      if (e instanceof RangeError) return { ok: false, code: 1009, reason: 'message too big' };
      return { ok: false, code: 1007, reason: 'invalid compressed data' };
    }
    if (data.length > this.maxMessage) return { ok: false, code: 1009, reason: 'message too big' };
    this.window = Buffer.concat([this.window, data]).subarray(-WINDOW);
    return { ok: true, data };
  }
}
