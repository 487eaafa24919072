/**
 * Base64 with the standard alphabet and padding (RFC 4648 §4), as used by the
 * opening handshake: `Sec-WebSocket-Key` is "a nonce consisting of a randomly
 * selected 16-byte value that has been base64-encoded" and `Sec-WebSocket-Accept`
 * is a base64-encoded SHA-1 digest (RFC 6455 §4.1, §4.2.2, §11.3.1, §11.3.3).
 *
 * Pure: no `Buffer`, no `atob`/`btoa`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d; // '='

/** Sextet value of each character code below 256, or -1 if it is not in the alphabet. */
const SEXTET = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/**
 * Encode `bytes` as base64 (RFC 4648 §4) with `=` padding and no line breaks.
 */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const whole = n - (n % 3);
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + ALPHABET[v & 63]!;
    // Flush periodically so very large inputs build a flat array, not one deep rope.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  if (n - whole === 1) {
    const v = bytes[whole]! << 16;
    chunk += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + '==';
  } else if (n - whole === 2) {
    const v = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    chunk += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Decode base64 (RFC 4648 §4) strictly: returns `null` unless `text` is the
 * canonical encoding of some octet string. Rejected: a length that is not a
 * multiple of 4, any character outside the alphabet (including whitespace and
 * the URL-safe `-` `_`), `=` anywhere but the last one or two positions, and
 * non-zero pad bits (RFC 4648 §3.5 lets decoders reject those; rejecting them
 * makes decoding the exact inverse of {@link encodeBase64}).
 */
export function decodeBase64(text: string): Uint8Array | null {
  const n = text.length;
  if (n % 4 !== 0) return null;
  if (n === 0) return new Uint8Array(0);

  let padding = 0;
  if (text.charCodeAt(n - 1) === PAD) padding = text.charCodeAt(n - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - padding);

  const whole = padding === 0 ? n : n - 4;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const v = quad(text, i, 4);
    if (v < 0) return null;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (padding === 2) {
    const v = quad(text, n - 4, 2);
    // Two characters carry 12 bits for one octet: the low 4 must be zero.
    if (v < 0 || (v & 0xffff) !== 0) return null;
    out[o] = v >>> 16;
  } else if (padding === 1) {
    const v = quad(text, n - 4, 3);
    // Three characters carry 18 bits for two octets: the low 2 must be zero.
    if (v < 0 || (v & 0xff) !== 0) return null;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 0xff;
  }
  return out;
}

/**
 * The 24-bit value of `count` base64 characters at `start` (left-aligned, the
 * missing sextets zero), or -1 if one of them is not in the alphabet.
 */
function quad(text: string, start: number, count: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    let s = 0;
    if (k < count) {
      const code = text.charCodeAt(start + k);
      s = code < 256 ? SEXTET[code]! : -1;
      if (s < 0) return -1;
    }
    v = (v << 6) | s;
  }
  return v;
}
