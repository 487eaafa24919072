/**
 * The last 32 KiB of decompressed octets: the LZ77 sliding window a peer's
 * next DEFLATE block may refer to. Kept so a decompressor can continue the
 * window after a DEFLATE stream ends (a block with BFINAL set), which the
 * engines' decompressors forget.
 */

/** 2^15: the largest DEFLATE window (RFC 1951 §2: "distances up to 32K"). */
export const WINDOW_CAPACITY = 32768;

/** A ring buffer holding the last {@link WINDOW_CAPACITY} octets pushed. @internal */
export class SlidingWindow {
  private buffer: Uint8Array | null = null;
  /** Where the next octet goes. */
  private end = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(data: Uint8Array): void {
    const n = data.length;
    if (n === 0) return;
    const buffer = (this.buffer ??= new Uint8Array(WINDOW_CAPACITY));
    if (n >= WINDOW_CAPACITY) {
      buffer.set(data.subarray(n - WINDOW_CAPACITY));
      this.end = 0;
      this.size = WINDOW_CAPACITY;
      return;
    }
    const first = Math.min(n, WINDOW_CAPACITY - this.end);
    buffer.set(data.subarray(0, first), this.end);
    if (first < n) buffer.set(data.subarray(first), 0);
    this.end = (this.end + n) % WINDOW_CAPACITY;
    this.size = Math.min(WINDOW_CAPACITY, this.size + n);
  }

  /** The window's octets, oldest first, followed by `more` — the last {@link WINDOW_CAPACITY} of them. */
  contentsWith(more: readonly Uint8Array[] = []): Uint8Array {
    let extra = 0;
    for (const m of more) extra += m.length;
    const total = Math.min(WINDOW_CAPACITY, this.size + extra);
    const out = new Uint8Array(total);
    // Fill from the end backwards: the newest octets are the ones that count.
    let at = total;
    for (let k = more.length - 1; k >= 0 && at > 0; k--) {
      const m = more[k]!;
      const take = Math.min(at, m.length);
      out.set(m.subarray(m.length - take), at - take);
      at -= take;
    }
    if (at > 0 && this.buffer !== null) {
      // `at` oldest-needed octets from the ring, ending at `end`.
      let from = this.end - at;
      if (from >= 0) {
        out.set(this.buffer.subarray(from, this.end), 0);
      } else {
        from += WINDOW_CAPACITY;
        const tail = this.buffer.subarray(from);
        out.set(tail, 0);
        out.set(this.buffer.subarray(0, this.end), tail.length);
      }
    }
    return out;
  }

  clear(): void {
    this.end = 0;
    this.size = 0;
  }
}
