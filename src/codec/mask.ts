/**
 * Masking (RFC 6455 §5.3): octet i of the payload is XORed with octet (i mod 4)
 * of the masking key. The same operation masks and unmasks.
 *
 * The hot loop works on 32-bit words of an aligned view, which is several times
 * faster than an octet loop; the octets before the first aligned word and after
 * the last one are done singly.
 */

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Key octet `k` (0..3) of a big-endian 32-bit key. */
function keyOctet(key: number, k: number): number {
  return (key >>> (24 - 8 * (k & 3))) & 0xff;
}

/**
 * The 32-bit word to XOR into an aligned word whose first octet is payload
 * position `phase` (mod 4), in the machine's byte order.
 */
function wordKey(key: number, phase: number): number {
  const b0 = keyOctet(key, phase);
  const b1 = keyOctet(key, phase + 1);
  const b2 = keyOctet(key, phase + 2);
  const b3 = keyOctet(key, phase + 3);
  return littleEndian
    ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
    : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

/**
 * XOR `data` in place with `key`, where `data[0]` is payload octet number
 * `offset` (so a payload split across reads continues with the right key octet).
 */
export function applyMaskInPlace(data: Uint8Array, key: number, offset = 0): void {
  const length = data.length;
  if (key === 0 || length === 0) return;
  let i = 0;
  const misalign = (4 - ((data.byteOffset + 0) & 3)) & 3;
  const head = Math.min(misalign, length);
  for (; i < head; i++) data[i] ^= keyOctet(key, offset + i);
  const words = (length - i) >>> 2;
  if (words > 0) {
    const view = new Uint32Array(data.buffer, data.byteOffset + i, words);
    const w = wordKey(key, offset + i);
    let j = 0;
    const unrolled = words - (words & 3);
    for (; j < unrolled; j += 4) {
      view[j] ^= w;
      view[j + 1] ^= w;
      view[j + 2] ^= w;
      view[j + 3] ^= w;
    }
    for (; j < words; j++) view[j] ^= w;
    i += words << 2;
  }
  for (; i < length; i++) data[i] ^= keyOctet(key, offset + i);
}

/**
 * Copy `source` into `target` at `targetStart`, masking with `key` as payload
 * octets starting at `offset`.
 */
export function copyMasked(
  source: Uint8Array,
  target: Uint8Array,
  targetStart: number,
  key: number,
  offset = 0,
): void {
  target.set(source, targetStart);
  applyMaskInPlace(target.subarray(targetStart, targetStart + source.length), key, offset);
}

/** A masked copy of `payload` (the input is left untouched). */
export function masked(payload: Uint8Array, key: number, offset = 0): Uint8Array {
  const out = new Uint8Array(payload.length);
  copyMasked(payload, out, 0, key, offset);
  return out;
}

/** Four key octets as lower-case hex, as the Autobahn wire log writes them. */
export function maskKeyHex(key: number): string {
  return (key >>> 0).toString(16).padStart(8, '0');
}
