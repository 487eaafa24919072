/**
 * SHA-1 (FIPS 180-4 §6.1), needed for the opening handshake: RFC 6455 §4.2.2
 * derives `Sec-WebSocket-Accept` from the SHA-1 of the client's key.
 *
 * Pure (no `node:crypto`, no Web Crypto — which is asynchronous), so the codec
 * runs in any JavaScript runtime. SHA-1 is used here only as the RFC's fixed
 * transform, not for security.
 *
 * The compression function works on 32-bit words with `| 0` arithmetic and a
 * message schedule allocated once per module, so hashing allocates nothing per
 * 64-octet block.
 */

/** Length of a SHA-1 digest in octets (FIPS 180-4 §1: 160 bits). */
export const SHA1_DIGEST_LENGTH = 20;

/** Message schedule W0..W79 (FIPS 180-4 §6.1.2 step 1), reused by every call. */
const schedule = new Int32Array(80);
/** The final one or two blocks: message tail, the 0x80 octet, zeros, the bit length. */
const lastBlocks = new Uint8Array(128);

/**
 * Fold one 64-octet block of `bytes` starting at `offset` into `state`
 * (FIPS 180-4 §6.1.2 steps 1-4).
 */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) {
    const i = offset + 4 * t;
    w[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }

  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;

  // Four rounds of twenty steps; f and K per FIPS 180-4 §4.1.1 and §4.2.1. The
  // sums stay below 2^35, exact in a double, so `| 0` reduces them mod 2^32.
  for (let t = 0; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w[t]! + 0x5a827999) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! + 0x6ed9eba1) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w[t]! + 0x8f1bbcdc) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! + 0xca62c1d6) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }

  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}

/**
 * The SHA-1 digest of `data` (FIPS 180-4 §6.1): 20 octets, big-endian words
 * H0..H4. Works for any length a `Uint8Array` can have.
 */
export function sha1(data: Uint8Array): Uint8Array {
  // Initial hash value, FIPS 180-4 §5.3.1.
  const state = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0]);

  const length = data.length;
  const fullBlocksEnd = length - (length % 64);
  for (let offset = 0; offset < fullBlocksEnd; offset += 64) compress(state, data, offset);

  // Padding, FIPS 180-4 §5.1.1: the tail, one 1 bit, zeros, then the message
  // length in bits as a 64-bit big-endian integer, filling one or two blocks.
  const tail = length - fullBlocksEnd;
  lastBlocks.fill(0);
  lastBlocks.set(data.subarray(fullBlocksEnd), 0);
  lastBlocks[tail] = 0x80;
  const padded = tail + 1 + 8 <= 64 ? 64 : 128;
  const bitsHigh = Math.floor(length / 0x20000000); // length * 8 / 2^32, exact below 2^53
  const bitsLow = (length * 8) >>> 0;
  writeWord(lastBlocks, padded - 8, bitsHigh);
  writeWord(lastBlocks, padded - 4, bitsLow);
  compress(state, lastBlocks, 0);
  if (padded === 128) compress(state, lastBlocks, 64);

  const digest = new Uint8Array(SHA1_DIGEST_LENGTH);
  for (let i = 0; i < 5; i++) writeWord(digest, 4 * i, state[i]!);
  return digest;
}

function writeWord(target: Uint8Array, offset: number, word: number): void {
  target[offset] = word >>> 24;
  target[offset + 1] = word >>> 16;
  target[offset + 2] = word >>> 8;
  target[offset + 3] = word;
}
