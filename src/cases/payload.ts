/** Payload builders for case data. */

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function hex(digits: string): Uint8Array {
  if (digits.length % 2 !== 0) throw new Error(`odd hex string ${digits}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** `unit` repeated cyclically and cut to exactly `length` octets. */
export function repeat(unit: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (length === 0) return out;
  out.set(unit.subarray(0, Math.min(unit.length, length)));
  // Doubling copies: log2(length) calls instead of `length` octet writes.
  let filled = Math.min(unit.length, length);
  while (filled < length) {
    const n = Math.min(filled, length - filled);
    out.copyWithin(filled, 0, n);
    filled += n;
  }
  return out;
}

export const EMPTY = new Uint8Array(0);
