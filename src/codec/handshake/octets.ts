/**
 * Octet-level helpers shared by the handshake modules. Internal: not exported
 * from `handshake.ts`.
 *
 * HTTP header sections are octets, not text (RFC 7230 §3.2.4: field values
 * beyond US-ASCII are opaque data). wscheck maps them to strings as latin1 —
 * one character per octet, U+0000..U+00FF — which never fails and is exactly
 * reversible, so a report can show what the peer sent.
 *
 * @internal
 */

const CHUNK = 0x2000;

/** Decode `bytes[start, end)` as latin1: one character per octet. Never throws. */
export function latin1Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  const parts: string[] = [];
  for (let i = start; i < end; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + CHUNK, end)) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Encode head text as octets: characters U+0000..U+00FF become one octet each
 * (the inverse of {@link latin1Decode}), so a tester can put any octet on the
 * wire; a character above U+00FF, which cannot come from a parsed head, is
 * written as its UTF-8 encoding rather than silently truncated.
 */
export function encodeHeadText(text: string): Uint8Array {
  let wide = false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      wide = true;
      break;
    }
  }
  if (!wide) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const parts: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0xff) parts.push(cp);
    else for (const b of utf8Encode(ch)) parts.push(b);
  }
  return Uint8Array.from(parts);
}

const encoder = new TextEncoder();

/** UTF-8 encoding of `text` (for response bodies, which are not header octets). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * ASCII lowercase: folds A-Z only. `String.prototype.toLowerCase` would also
 * fold latin1 letters such as À, which HTTP's case-insensitivity does not.
 */
export function asciiLower(s: string): string {
  let out = s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      out = '';
      for (let j = 0; j < s.length; j++) {
        const d = s.charCodeAt(j);
        out += d >= 0x41 && d <= 0x5a ? String.fromCharCode(d + 0x20) : s[j]!;
      }
      break;
    }
  }
  return out;
}

/** ASCII case-insensitive equality (RFC 7230 §3.2 field names, §6.7 tokens). */
export function asciiEqualsIgnoreCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return false;
  }
  return true;
}

/**
 * tchar (RFC 7230 §3.2.6): "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-"
 * / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. Indexed by code unit.
 */
export const TCHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

/** Is `c` optional whitespace, SP or HTAB (RFC 7230 §3.2.3 OWS)? */
function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** `s[start, end)` without leading and trailing OWS (SP, HTAB only). Linear. */
export function trimOws(s: string, start = 0, end = s.length): string {
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Quote `s` for a message, escaping anything outside printable ASCII as \xNN. */
export function quoteForReason(s: string, max = 80): string {
  let out = '';
  const n = Math.min(s.length, max);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += s[i]!;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return '"' + out + (s.length > max ? '…' : '') + '"';
}
