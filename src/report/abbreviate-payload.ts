/**
 * The short payload texts of Autobahn reports (../shared/autobahn/semantics.md
 * §5.4): `expected` and `received` events and the frame lines (RF/TF) of the
 * wire log show at most 64 octets of a payload, as text when they decode as
 * UTF-8 and as hex otherwise; the octet lines (RO/TO) always show hex.
 */

/** Payloads longer than this are cut. */
const ABBREVIATE_ABOVE = 60;
/** …to this many octets. */
const KEEP_OCTETS = 64;
const ELLIPSIS = ' ...';

/**
 * Abbreviate a frame or message payload as Autobahn reports it: if longer than
 * 60 octets, keep the first 64 and append `" ..."`; the kept octets are shown
 * as text when they decode as UTF-8, else as `"0x"` + lower-case hex. So
 * `03 e8` is `"0x03e8"`, and a cut through a multi-byte character turns a text
 * payload into hex. `length` is the payload's true length when `bytes` holds
 * only its first octets (wire logs keep no more than 64).
 *
 * The decoder is the one the testsuite's Python 2 uses, which is RFC 3629
 * UTF-8 except that it accepts encoded UTF-16 surrogates (`ED A0 80` decodes to
 * a lone U+D800): published reports show case 6.20.1's payload as `"\ud800"`,
 * not as `"0xeda080"`.
 */
export function abbreviatePayload(bytes: Uint8Array, length = bytes.length): string {
  const truncated = length > ABBREVIATE_ABOVE;
  const kept = truncated ? bytes.subarray(0, KEEP_OCTETS) : bytes;
  const text = decodeUtf8AllowingSurrogates(kept);
  return (text ?? '0x' + toHex(kept)) + (truncated ? ELLIPSIS : '');
}

/**
 * Abbreviate raw octets as the RO/TO lines of the wire log show them: the
 * lower-case hex of at most 64 octets, plus `" ..."` when there are more than 60.
 */
export function abbreviateOctets(bytes: Uint8Array, length = bytes.length): string {
  const truncated = length > ABBREVIATE_ABOVE;
  return toHex(truncated ? bytes.subarray(0, KEEP_OCTETS) : bytes) + (truncated ? ELLIPSIS : '');
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Decode UTF-8 (RFC 3629 §4: no overlong forms, nothing above U+10FFFF, no
 * truncated sequences) but let three-octet encodings of U+D800..U+DFFF through
 * as single UTF-16 code units. Returns undefined when the octets do not decode.
 */
function decodeUtf8AllowingSurrogates(bytes: Uint8Array): string | undefined {
  const units: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      units.push(b0);
      i += 1;
      continue;
    }
    let need: number;
    let cp: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      if (b0 === 0xe0) lo = 0xa0; // overlong below U+0800
      // 0xED is not restricted to 80..9F: surrogates pass (see above).
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      if (b0 === 0xf0) lo = 0x90; // overlong below U+10000
      if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
    } else {
      return undefined;
    }
    if (i + need >= bytes.length) return undefined; // truncated sequence
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if (k === 1 ? b < lo || b > hi : b < 0x80 || b > 0xbf) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      units.push(0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
    } else {
      units.push(cp);
    }
    i += need + 1;
  }
  return String.fromCharCode(...units);
}
