/**
 * A `DeflateEngine` with no native code, for the model: its compressor writes
 * stored blocks only (RFC 1951 §3.2.4, valid DEFLATE at any window size, no
 * match ever reaches back), and its decompressor is `inflateRaw`, carrying
 * the sliding window from one call to the next. The oracle needs what a
 * compressed payload means, not a good ratio; real peers are never talked
 * to with it (the harness uses node:zlib).
 */
import type { DeflateEngine, InflateResult, RawDeflater, RawInflater } from './engine.js';
import { inflateRaw } from './inflate.js';
import { SlidingWindow } from './window.js';

/** RFC 1951 §3.2.4: LEN is two octets. */
const MAX_STORED = 0xffff;

function storedDeflater(): RawDeflater {
  return {
    compress(data: Uint8Array): Uint8Array {
      const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED));
      // Each block: a header octet (BFINAL 0, BTYPE 00, padding), LEN, NLEN; then the empty block of a sync flush.
      const out = new Uint8Array(data.length + blocks * 5 + 5);
      let at = 0;
      for (let from = 0; from < data.length; from += MAX_STORED) {
        const n = Math.min(MAX_STORED, data.length - from);
        out.set([0x00, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff], at);
        out.set(data.subarray(from, from + n), at + 5);
        at += 5 + n;
      }
      out.set([0x00, 0x00, 0x00, 0xff, 0xff], at);
      return out.subarray(0, at + 5);
    },
    reset(): void {},
    close(): void {},
  };
}

class WindowInflater implements RawInflater {
  private window = new SlidingWindow();
  private total = 0;

  constructor(dictionary: Uint8Array | undefined) {
    if (dictionary !== undefined) this.window.push(dictionary);
  }

  inflate(input: Uint8Array, maxOutput: number): InflateResult {
    const r = inflateRaw(input, this.window.contentsWith(), maxOutput);
    if (r.status === 'limit') return { status: 'limit', produced: maxOutput + 1 };
    if (r.status === 'error') return r;
    this.window.push(r.output);
    this.total += r.output.length;
    return r;
  }

  reset(): void {
    this.window = new SlidingWindow();
  }

  close(): void {}

  get produced(): number {
    return this.total;
  }
}

/** The model's engine: stored blocks out, the TypeScript decoder in. */
export const storedDeflateEngine: DeflateEngine = {
  name: 'stored',
  createDeflater: () => storedDeflater(),
  createInflater: (options) => new WindowInflater(options.dictionary),
};
