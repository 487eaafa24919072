/**
 * Writing DEFLATE (RFC 1951) by hand: a bit writer, the fixed Huffman code,
 * and messages built from stored and fixed-Huffman blocks as RFC 7692 §7.2.1
 * sends them. wscheck's compressed test data is written with it, so each
 * scenario and case says exactly which blocks go on the wire; what they
 * decompress to is the inflater's business (the tests hold it to zlib).
 */

/** Bits written least significant first, Huffman codes most significant first (RFC 1951 §3.1.1). */
export class BitWriter {
  private readonly out: number[] = [];
  private acc = 0;
  private used = 0;

  bits(value: number, n: number): this {
    for (let i = 0; i < n; i++) {
      this.acc |= ((value >>> i) & 1) << this.used;
      if (++this.used === 8) this.flushOctet();
    }
    return this;
  }

  /** A Huffman code of `n` bits. */
  code(value: number, n: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
    return this;
  }

  /** Pad with zero bits to the next octet boundary (before a stored block's LEN). */
  align(): this {
    if (this.used > 0) this.flushOctet();
    return this;
  }

  /** Whole octets, after {@link align}. */
  octets(data: Uint8Array): this {
    this.align();
    for (const b of data) this.out.push(b);
    return this;
  }

  private flushOctet(): void {
    this.out.push(this.acc);
    this.acc = 0;
    this.used = 0;
  }

  /** The octets written, the last one padded with zero bits. */
  bytes(): Uint8Array {
    this.align();
    return Uint8Array.from(this.out);
  }
}

/** RFC 1951 §3.2.5: base length and extra bits of length symbols 257–285. */
export const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
export const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** RFC 1951 §3.2.5: base distance and extra bits of distance codes 0–29. */
export const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
export const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** RFC 1951 §3.2.6: a literal/length symbol in the fixed code. */
export function fixedSymbol(w: BitWriter, s: number): void {
  if (s < 144) w.code(0x30 + s, 8);
  else if (s < 256) w.code(0x190 + s - 144, 9);
  else if (s < 280) w.code(s - 256, 7);
  else w.code(0xc0 + s - 280, 8);
}

/** A copy of `length` (3–258) octets from `distance` (1–32768) back, in the fixed code. */
export function fixedMatch(w: BitWriter, length: number, distance: number): void {
  let l = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[l]! > length) l--;
  fixedSymbol(w, 257 + l);
  w.bits(length - LENGTH_BASE[l]!, LENGTH_EXTRA[l]!);
  let d = DIST_BASE.length - 1;
  while (DIST_BASE[d]! > distance) d--;
  w.code(d, 5);
  w.bits(distance - DIST_BASE[d]!, DIST_EXTRA[d]!);
}

/** RFC 1951 §3.2.4: LEN is two octets. */
const MAX_STORED = 0xffff;

/** How one block of a message is written. */
export type BlockType = 'stored' | 'fixed';

/** One block of a message: `length` octets of its data, written as `type`. */
export interface Block {
  readonly type: BlockType;
  readonly length: number;
}

function storedBlocks(w: BitWriter, data: Uint8Array): void {
  let from = 0;
  do {
    const n = Math.min(MAX_STORED, data.length - from);
    w.bits(0, 1).bits(0, 2).align();
    w.octets(Uint8Array.of(n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff));
    w.octets(data.subarray(from, from + n));
    from += n;
  } while (from < data.length);
}

/**
 * A fixed-Huffman block: literals, and a copy from distance 1 for every run
 * of three or more octets equal to the one before them in the same block (so
 * nothing reaches back past the block, whatever the window: RFC 7692 §7.2.1
 * lets the receiver's window be as small as 256 octets).
 */
function fixedBlock(w: BitWriter, data: Uint8Array): void {
  w.bits(0, 1).bits(1, 2);
  let i = 0;
  while (i < data.length) {
    if (i > 0) {
      let run = 0;
      while (run < 258 && i + run < data.length && data[i + run] === data[i - 1]) run++;
      if (run >= 3) {
        fixedMatch(w, run, 1);
        i += run;
        continue;
      }
    }
    fixedSymbol(w, data[i]!);
    i++;
  }
  fixedSymbol(w, 256);
}

/**
 * The payload of a compressed message (RFC 7692 §7.2.1): `data` in the given
 * blocks (lengths summing to its length; empty blocks allowed), flushed with
 * an empty stored block whose LEN and NLEN, the `00 00 ff ff` the receiver
 * appends, are left off. No block sets BFINAL, so the receiver's context
 * carries on into the next message. An empty message is the single octet 00
 * (§7.2.3.6).
 */
export function deflatedMessage(data: Uint8Array, blocks: readonly Block[]): Uint8Array {
  const w = new BitWriter();
  let at = 0;
  for (const b of blocks) {
    const part = data.subarray(at, at + b.length);
    at += b.length;
    if (b.type === 'stored') storedBlocks(w, part);
    else fixedBlock(w, part);
  }
  if (at !== data.length) throw new RangeError(`blocks cover ${at} of ${data.length} octets`);
  w.bits(0, 1).bits(0, 2);
  return w.bytes();
}
