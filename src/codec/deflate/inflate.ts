/**
 * A small raw DEFLATE (RFC 1951) decoder in plain TypeScript, so that the
 * model can give meaning to compressed payloads a scenario writes by hand
 * (category 18: bombs, corrupt data, empty blocks) without node:zlib. It
 * decodes one call's input on its own, starting from a given history (the
 * sliding window), and stops at `maxOutput + 1` octets, the same contract
 * as the engine's `RawInflater.inflate`. Clarity over speed: the model feeds
 * it a few messages per case.
 */

/** RFC 1951 §3.2.5: base lengths and extra bits of length codes 257…285. */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** RFC 1951 §3.2.5: base distances and extra bits of distance codes 0…29. */
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** RFC 1951 §3.2.7: the order in which code length code lengths are sent. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const MAX_BITS = 15;

/** A canonical Huffman code (RFC 1951 §3.2.2) as counts per length and symbols in code order. */
interface HuffmanCode {
  readonly count: Int32Array;
  readonly symbol: Int32Array;
}

class InflateError extends Error {}
class OutputLimit extends Error {}
class OutOfInput extends Error {}

function buildCode(lengths: readonly number[]): HuffmanCode {
  const count = new Int32Array(MAX_BITS + 1);
  for (const l of lengths) count[l]!++;
  count[0] = 0;
  // An over-subscribed code cannot be decoded unambiguously (incomplete codes are allowed).
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = left * 2 - count[len]!;
    if (left < 0) throw new InflateError('over-subscribed Huffman code');
  }
  const offsets = new Int32Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + count[len]!;
  const symbol = new Int32Array(lengths.length);
  lengths.forEach((l, s) => {
    if (l !== 0) symbol[offsets[l]!++] = s;
  });
  return { count, symbol };
}

let fixedCodes: { literal: HuffmanCode; distance: HuffmanCode } | null = null;

/** RFC 1951 §3.2.6: the fixed literal/length and distance codes. */
function fixed(): { literal: HuffmanCode; distance: HuffmanCode } {
  if (fixedCodes === null) {
    const lengths: number[] = [];
    for (let s = 0; s < 288; s++) lengths.push(s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
    fixedCodes = { literal: buildCode(lengths), distance: buildCode(new Array<number>(30).fill(5)) };
  }
  return fixedCodes;
}

/** Output with a history in front, growing as needed, never past `limit` octets of new output. */
class Output {
  private buffer: Uint8Array;
  private length: number;
  private readonly start: number;

  constructor(
    history: Uint8Array,
    private readonly limit: number,
  ) {
    this.start = history.length;
    this.buffer = new Uint8Array(history.length + Math.min(1024, limit));
    this.buffer.set(history);
    this.length = history.length;
  }

  get produced(): number {
    return this.length - this.start;
  }

  private room(n: number): void {
    if (this.produced + n > this.limit) throw new OutputLimit();
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.length + n, Math.min(this.buffer.length * 2, this.start + this.limit)));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  push(octet: number): void {
    this.room(1);
    this.buffer[this.length++] = octet;
  }

  append(octets: Uint8Array): void {
    this.room(octets.length);
    this.buffer.set(octets, this.length);
    this.length += octets.length;
  }

  copy(distance: number, length: number): void {
    // RFC 1951 §3.2.3: "a distance … back in the output stream"; here the history counts as output.
    if (distance > this.length) throw new InflateError(`a distance of ${distance} reaches before the start of the window`);
    this.room(length);
    for (let k = 0; k < length; k++, this.length++) this.buffer[this.length] = this.buffer[this.length - distance]!;
  }

  result(): Uint8Array {
    return this.buffer.slice(this.start, this.length);
  }
}

class BitReader {
  private at = 0;
  private bitBuffer = 0;
  private bitCount = 0;

  constructor(private readonly input: Uint8Array) {}

  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.at >= this.input.length) throw new OutOfInput();
      this.bitBuffer |= this.input[this.at++]! << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuffer & ((1 << n) - 1);
    this.bitBuffer >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** Drop the bits left in the current octet (stored blocks start on an octet boundary). */
  align(): void {
    this.bitBuffer = 0;
    this.bitCount = 0;
  }

  octets(n: number): Uint8Array {
    if (this.at + n > this.input.length) throw new OutOfInput();
    const out = this.input.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** No bit of the input is left. */
  get exhausted(): boolean {
    return this.at >= this.input.length && this.bitCount === 0;
  }

  /** Octets consumed, counting a partly used octet as consumed. */
  get consumed(): number {
    return this.at;
  }

  decode(code: HuffmanCode): number {
    // RFC 1951 §3.1.1: Huffman codes are packed starting with the most significant bit of the code.
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      value |= this.bits(1);
      const count = code.count[len]!;
      if (value - count < first) return code.symbol[index + (value - first)]!;
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw new InflateError('a Huffman code that matches no symbol');
  }
}

function dynamicCodes(r: BitReader): { literal: HuffmanCode; distance: HuffmanCode } {
  const nlen = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncode = r.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new InflateError('too many length or distance codes');
  const codeLengths = new Array<number>(19).fill(0);
  for (let k = 0; k < ncode; k++) codeLengths[CODE_LENGTH_ORDER[k]!] = r.bits(3);
  const lengthCode = buildCode(codeLengths);
  const lengths: number[] = [];
  while (lengths.length < nlen + ndist) {
    const symbol = r.decode(lengthCode);
    if (symbol < 16) {
      lengths.push(symbol);
      continue;
    }
    let repeat: number;
    let value = 0;
    if (symbol === 16) {
      if (lengths.length === 0) throw new InflateError('a repeated code length with no previous length');
      value = lengths[lengths.length - 1]!;
      repeat = 3 + r.bits(2);
    } else repeat = symbol === 17 ? 3 + r.bits(3) : 11 + r.bits(7);
    if (lengths.length + repeat > nlen + ndist) throw new InflateError('code lengths run past the declared count');
    for (let k = 0; k < repeat; k++) lengths.push(value);
  }
  if (lengths[256] === 0) throw new InflateError('no code for the end of the block');
  return { literal: buildCode(lengths.slice(0, nlen)), distance: buildCode(lengths.slice(nlen)) };
}

function huffmanBlock(r: BitReader, out: Output, codes: { literal: HuffmanCode; distance: HuffmanCode }): void {
  for (;;) {
    const symbol = r.decode(codes.literal);
    if (symbol < 256) out.push(symbol);
    else if (symbol === 256) return;
    else {
      const l = symbol - 257;
      if (l >= 29) throw new InflateError(`invalid length code ${symbol}`);
      const length = LENGTH_BASE[l]! + r.bits(LENGTH_EXTRA[l]!);
      const d = r.decode(codes.distance);
      if (d >= 30) throw new InflateError(`invalid distance code ${d}`);
      out.copy(DISTANCE_BASE[d]! + r.bits(DISTANCE_EXTRA[d]!), length);
    }
  }
}

/** What {@link inflateRaw} made of its input. */
export type RawInflateOutcome =
  | {
      readonly status: 'ok';
      readonly output: Uint8Array;
      /** Octets consumed: all of them, or up to the end of a block with BFINAL set. */
      readonly consumed: number;
      /** A block with BFINAL set ended the stream (the rest of the input is not read). */
      readonly streamEnd: boolean;
    }
  | { readonly status: 'limit' }
  | { readonly status: 'error'; readonly message: string };

/**
 * Decode raw DEFLATE data that follows `history` (the window: a distance may
 * reach into it). Input that ends inside a block yields what it decoded so far,
 * as a sync-flushing stream decoder would before it waits for more.
 */
export function inflateRaw(input: Uint8Array, history: Uint8Array, maxOutput: number): RawInflateOutcome {
  const r = new BitReader(input);
  const out = new Output(history, maxOutput);
  let streamEnd = false;
  try {
    while (!streamEnd) {
      if (r.exhausted) break;
      streamEnd = r.bits(1) === 1;
      const type = r.bits(2);
      if (type === 0) {
        r.align();
        const header = r.octets(4);
        const len = header[0]! | (header[1]! << 8);
        const nlen = header[2]! | (header[3]! << 8);
        // RFC 1951 §3.2.4: "NLEN is the one's complement of LEN".
        if ((len ^ 0xffff) !== nlen) throw new InflateError('a stored block whose NLEN is not the complement of LEN');
        out.append(r.octets(len));
      } else if (type === 1) huffmanBlock(r, out, fixed());
      else if (type === 2) huffmanBlock(r, out, dynamicCodes(r));
      else throw new InflateError('a block of the reserved type 11');
    }
  } catch (e) {
    if (e instanceof OutputLimit) return { status: 'limit' };
    if (e instanceof InflateError) return { status: 'error', message: e.message };
    if (!(e instanceof OutOfInput)) throw e;
    return { status: 'ok', output: out.result(), consumed: input.length, streamEnd: false };
  }
  return { status: 'ok', output: out.result(), consumed: streamEnd ? r.consumed : input.length, streamEnd };
}
