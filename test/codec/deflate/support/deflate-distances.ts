/**
 * A small, slow, independent RFC 1951 decoder for tests: it decodes a raw
 * DEFLATE stream that ends at a block boundary (e.g. a permessage-deflate
 * payload with 00 00 ff ff appended) and reports the largest match distance
 * used, so tests can check a compressor against the window it agreed to
 * (RFC 7692 §7.2.1: "MUST NOT use an LZ77 sliding window longer than the w-th
 * power of 2 bytes"). `history` is the earlier output a distance may reach
 * into (context takeover).
 */

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

interface Huffman {
  count: number[];
  symbol: number[];
}

function huffman(lengths: readonly number[]): Huffman {
  const count = new Array<number>(16).fill(0);
  for (const l of lengths) count[l]!++;
  count[0] = 0;
  const offs = new Array<number>(16).fill(0);
  for (let len = 1; len < 16; len++) offs[len] = offs[len - 1]! + count[len - 1]!;
  const symbol = new Array<number>(lengths.length).fill(0);
  lengths.forEach((l, s) => {
    if (l !== 0) symbol[offs[l]!++] = s;
  });
  return { count, symbol };
}

export interface DeflateTrace {
  readonly output: Uint8Array;
  readonly maxDistance: number;
  readonly blocks: number;
}

export function traceDeflate(data: Uint8Array, history: Uint8Array = new Uint8Array(0)): DeflateTrace {
  let pos = 0;
  let bitBuf = 0;
  let bitCnt = 0;
  const out: number[] = Array.from(history);
  const start = out.length;
  let maxDistance = 0;
  let blocks = 0;

  const bits = (n: number): number => {
    while (bitCnt < n) {
      if (pos >= data.length) throw new RangeError('out of input');
      bitBuf |= data[pos++]! << bitCnt;
      bitCnt += 8;
    }
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCnt -= n;
    return v;
  };
  const decode = (h: Huffman): number => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new Error('bad code');
  };
  const codes = (lit: Huffman, dist: Huffman): void => {
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) {
        out.push(sym);
      } else if (sym === 256) {
        return;
      } else {
        const li = sym - 257;
        if (li >= 29) throw new Error('bad length symbol');
        const len = LENGTH_BASE[li]! + bits(LENGTH_EXTRA[li]!);
        const di = decode(dist);
        if (di >= 30) throw new Error('bad distance symbol');
        const d = DIST_BASE[di]! + bits(DIST_EXTRA[di]!);
        if (d > out.length) throw new Error(`distance ${d} too far back`);
        maxDistance = Math.max(maxDistance, d);
        for (let k = 0; k < len; k++) out.push(out[out.length - d]!);
      }
    }
  };

  let fixed: [Huffman, Huffman] | null = null;
  while (pos < data.length) {
    blocks++;
    const final = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = 0;
      bitCnt = 0;
      if (pos + 4 > data.length) throw new RangeError('out of input');
      const len = data[pos]! | (data[pos + 1]! << 8);
      const nlen = data[pos + 2]! | (data[pos + 3]! << 8);
      if ((len ^ 0xffff) !== nlen) throw new Error('bad stored lengths');
      pos += 4;
      for (let k = 0; k < len; k++) out.push(data[pos++]!);
    } else if (type === 1) {
      fixed ??= [
        huffman(Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8))),
        huffman(new Array<number>(30).fill(5)),
      ];
      codes(fixed[0], fixed[1]);
    } else if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      const clLengths = new Array<number>(19).fill(0);
      for (let k = 0; k < ncode; k++) clLengths[CL_ORDER[k]!] = bits(3);
      const cl = huffman(clLengths);
      const lengths: number[] = [];
      while (lengths.length < nlen + ndist) {
        const sym = decode(cl);
        if (sym < 16) lengths.push(sym);
        else if (sym === 16) {
          const prev = lengths[lengths.length - 1]!;
          for (let r = 3 + bits(2); r > 0; r--) lengths.push(prev);
        } else if (sym === 17) for (let r = 3 + bits(3); r > 0; r--) lengths.push(0);
        else for (let r = 11 + bits(7); r > 0; r--) lengths.push(0);
      }
      codes(huffman(lengths.slice(0, nlen)), huffman(lengths.slice(nlen)));
    } else {
      throw new Error('bad block type');
    }
    if (final === 1) break;
  }
  return { output: Uint8Array.from(out.slice(start)), maxDistance, blocks };
}
