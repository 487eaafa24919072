/**
 * UTF-8 encoding of code points (RFC 3629 §3), written out so that the
 * arbitraries can also encode what RFC 3629 forbids: overlong forms,
 * surrogates and code points above U+10FFFF.
 *
 * @internal
 */

/** Octets of the shortest (well-formed, for valid code points) encoding of `cp`. */
export function utf8Width(cp: number): 1 | 2 | 3 | 4 {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Encode `cp` in exactly `width` octets with the generic bit layout of
 * RFC 3629 §3, whether or not the result is well-formed (an overlong form when
 * `width` is larger than needed; a surrogate or a value above U+10FFFF as is).
 */
export function encodeCodePointAs(cp: number, width: 1 | 2 | 3 | 4): number[] {
  switch (width) {
    case 1:
      return [cp & 0x7f];
    case 2:
      return [0xc0 | ((cp >> 6) & 0x1f), 0x80 | (cp & 0x3f)];
    case 3:
      return [0xe0 | ((cp >> 12) & 0x0f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
    case 4:
      return [0xf0 | ((cp >> 18) & 0x07), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  }
}

/** Well-formed UTF-8 of one code point (not a surrogate, at most U+10FFFF). */
export function encodeCodePoint(cp: number): number[] {
  return encodeCodePointAs(cp, utf8Width(cp));
}

/** Well-formed UTF-8 of a sequence of code points. */
export function encodeCodePoints(cps: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (const cp of cps) out.push(...encodeCodePoint(cp));
  return Uint8Array.from(out);
}

/** A continuation octet (10xxxxxx): a cut before it falls inside a character of well-formed UTF-8. */
export function isContinuationOctet(octet: number): boolean {
  return (octet & 0xc0) === 0x80;
}

/** Continuation octets among the four octets of `word`: bit 7 set and bit 6 clear, counted lane by lane. */
function continuationsInWord(word: number): number {
  const marks = (word & ~(word << 1) & 0x80808080) >>> 7;
  return Math.imul(marks, 0x01010101) >>> 24;
}

/**
 * Continuation octets in `bytes[from..to)`. Long texts hold tens of thousands
 * of them and a scenario picks a few, so they are counted four at a time
 * rather than listed.
 */
export function countContinuationOctets(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let n = 0;
  let i = from;
  if (i >= to) return 0;
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) if (isContinuationOctet(bytes[i++]!)) n++;
  const words = (to - i) >>> 2;
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) n += continuationsInWord(view[w]!);
    i += words << 2;
  }
  while (i < to) if (isContinuationOctet(bytes[i++]!)) n++;
  return n;
}

/** The index of the `k`-th (from 0) continuation octet in `bytes[from..)`, or -1 when there are not that many. */
export function nthContinuationOctet(bytes: Uint8Array, from: number, k: number): number {
  let rest = k;
  let i = from;
  const end = bytes.length;
  if (i >= end) return -1;
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) {
    if (isContinuationOctet(bytes[i]!) && rest-- === 0) return i;
    i++;
  }
  const words = (end - i) >>> 2;
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    let w = 0;
    for (; w < words; w++) {
      const c = continuationsInWord(view[w]!);
      if (c > rest) break;
      rest -= c;
    }
    i += w << 2;
  }
  for (; i < end; i++) if (isContinuationOctet(bytes[i]!) && rest-- === 0) return i;
  return -1;
}

/**
 * Fill exactly `length` octets with well-formed UTF-8 by repeating the
 * characters of `unit` in turn; a character that no longer fits is skipped in
 * favour of the next one that does, and ASCII `*` fills what none can.
 */
export function fillText(unit: readonly number[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  const encoded = unit.map(encodeCodePoint);
  let at = 0;
  let k = 0;
  // While every character fits, the text is the cycle of the unit's characters repeated: write one
  // cycle, then double it; only the last octets need the character-by-character choice below.
  const widest = Math.max(0, ...encoded.map((c) => c.length));
  if (encoded.length > 0) {
    const cycle = encoded.reduce((n, c) => n + c.length, 0);
    if (length - widest >= cycle) {
      for (const c of encoded) {
        out.set(c, at);
        at += c.length;
      }
      const whole = at + Math.floor((length - widest - at) / cycle) * cycle;
      while (at < whole) {
        const n = Math.min(at, whole - at);
        out.copyWithin(at, 0, n);
        at += n;
      }
    }
  }
  while (at < length) {
    const room = length - at;
    let chosen: number[] | null = null;
    for (let tries = 0; tries < encoded.length; tries++) {
      const c = encoded[(k + tries) % encoded.length]!;
      if (c.length <= room) {
        chosen = c;
        k = (k + tries + 1) % encoded.length;
        break;
      }
    }
    if (chosen === null) {
      out[at++] = 0x2a;
      continue;
    }
    out.set(chosen, at);
    at += chosen.length;
  }
  return out;
}

/** Fill exactly `length` octets by repeating `unit` (an empty unit gives zeros). */
export function fillBytes(unit: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (unit.length === 0) return out;
  const first = Math.min(unit.length, length);
  out.set(unit.subarray(0, first));
  // Doubling what is already written: a few copies instead of one per repetition.
  for (let at = first; at < length; ) {
    const n = Math.min(at, length - at);
    out.copyWithin(at, 0, n);
    at += n;
  }
  return out;
}
