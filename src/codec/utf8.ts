/**
 * Incremental UTF-8 validation (RFC 3629 §4, as required of text frames by
 * RFC 6455 §5.6 and §8.1).
 *
 * A deterministic automaton over octets. Its state is a small integer, so it
 * can sit in plain-data decoder state and continue across frame and fragment
 * boundaries. It rejects at the first octet after which no continuation could
 * make the input well-formed — overlong forms, surrogates (U+D800..DFFF) and
 * code points above U+10FFFF are rejected at their second octet, as the
 * well-formed byte sequence table (Unicode Table 3-7) allows.
 */
import { platformIsUtf8 } from './platform.js';

/** State at a character boundary: the input so far is complete and valid. */
export const UTF8_ACCEPT = 0;
/** Absorbing state: the input can no longer become valid. */
export const UTF8_REJECT = 8;

// Octet classes: 0 ASCII, 1 80-8F, 2 90-9F, 3 A0-BF, 4 never valid (C0 C1 F5-FF),
// 5 C2-DF, 6 E0, 7 E1-EC EE-EF, 8 ED, 9 F0, 10 F1-F3, 11 F4.
const CLASSES = 12;
const octetClass = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  octetClass[b] =
    b < 0x80 ? 0
    : b < 0x90 ? 1
    : b < 0xa0 ? 2
    : b < 0xc0 ? 3
    : b < 0xc2 ? 4
    : b < 0xe0 ? 5
    : b === 0xe0 ? 6
    : b === 0xed ? 8
    : b < 0xf0 ? 7
    : b === 0xf0 ? 9
    : b < 0xf4 ? 10
    : b === 0xf4 ? 11
    : 4;
}

// States: 0 boundary; 1/2/3 need that many continuation octets (80-BF);
// 4 after E0 (needs A0-BF), 5 after ED (80-9F), 6 after F0 (90-BF), 7 after F4 (80-8F).
const R = UTF8_REJECT;
// prettier-ignore
const transitions = new Uint8Array([
  /*        ASCII 80-8F 90-9F A0-BF  bad  C2-DF  E0  E1-EF  ED   F0  F1-F3  F4 */
  /* 0 */     0,    R,    R,    R,    R,    1,    4,    2,   5,   6,   3,    7,
  /* 1 */     R,    0,    0,    0,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 2 */     R,    1,    1,    1,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 3 */     R,    2,    2,    2,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 4 */     R,    R,    R,    1,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 5 */     R,    1,    1,    R,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 6 */     R,    R,    2,    2,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 7 */     R,    2,    R,    R,    R,    R,    R,    R,   R,   R,   R,    R,
  /* 8 */     R,    R,    R,    R,    R,    R,    R,    R,   R,   R,   R,    R,
]);

/**
 * Below this many octets the automaton costs less than a call into the
 * platform's validator; above it the validator wins by far (64 KiB of
 * two-octet characters: about 4 µs against 270 µs, `npx tsx bench/bytes.ts`). WHATWG's fatal
 * TextDecoder would be portable but is no faster than the automaton on
 * non-ASCII text.
 */
const NATIVE_MIN = 64;

/**
 * The end of the last character that is whole in `bytes[start..end)`: a
 * sequence cut off by `end` is left to the automaton, which carries it to the
 * next chunk instead of calling it invalid.
 */
function completeUpTo(bytes: Uint8Array, start: number, end: number): number {
  let k = end - 1;
  while (k > start && k > end - 4 && (bytes[k]! & 0xc0) === 0x80) k--;
  const lead = bytes[k]!;
  const width = lead < 0xc2 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 1;
  return k + width > end ? k : end;
}

/**
 * Advance the automaton over `bytes[start..end)`.
 *
 * Returns the new state (0..7) when every octet was acceptable, or
 * `-(i + 1)` where `i` is the index in `bytes` of the first octet that makes
 * the input invalid. A state other than UTF8_ACCEPT at the end of a message
 * means the message ends inside a character (invalid, at the end).
 */
export function utf8Advance(state: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = state;
  let i = start;
  let bulkTried = platformIsUtf8 === null;
  while (i < end) {
    if (s === 0) {
      if (!bulkTried && end - i >= NATIVE_MIN) {
        // Once at a character boundary, the rest goes to the platform's validator; it only says
        // valid or not, so an invalid rest is walked on below to find the exact octet.
        bulkTried = true;
        const whole = completeUpTo(bytes, i, end);
        if (platformIsUtf8!(bytes.subarray(i, whole))) i = whole;
      }
      // ASCII runs dominate real text; skip them without the table.
      while (i < end && bytes[i]! < 0x80) i++;
      if (i === end) break;
    }
    s = transitions[s * CLASSES + octetClass[bytes[i]!]!]!;
    if (s === R) return -(i + 1);
    i++;
  }
  return s;
}

/** Convenience wrapper for a whole input. Returns -1 when valid, else the offset of the first bad octet (the length when the input ends inside a character). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const r = utf8Advance(UTF8_ACCEPT, bytes);
  if (r < 0) return -r - 1;
  return r === UTF8_ACCEPT ? -1 : bytes.length;
}

/** True when `bytes` is well-formed UTF-8 (agrees with `TextDecoder('utf-8', { fatal: true })`). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return utf8Advance(UTF8_ACCEPT, bytes) === UTF8_ACCEPT;
}

/**
 * Stateful validator for streaming use: feed chunks, learn the absolute offset
 * of the first invalid octet.
 */
export class Utf8Validator {
  private state = UTF8_ACCEPT;
  private consumed = 0;
  private failedAt = -1;

  /** Feed a chunk. Returns -1 while valid, else the absolute offset of the first invalid octet. */
  push(chunk: Uint8Array): number {
    if (this.failedAt >= 0) return this.failedAt;
    const r = utf8Advance(this.state, chunk);
    if (r < 0) {
      this.failedAt = this.consumed + (-r - 1);
      this.state = UTF8_REJECT;
    } else {
      this.state = r;
      this.consumed += chunk.length;
    }
    return this.failedAt;
  }

  /** End of input. Returns -1 when the whole input was valid, else the offset of the first invalid octet (the total length if it ended inside a character). */
  end(): number {
    if (this.failedAt >= 0) return this.failedAt;
    if (this.state !== UTF8_ACCEPT) this.failedAt = this.consumed;
    return this.failedAt;
  }
}
