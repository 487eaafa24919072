/**
 * The octets a broken implementation has read and not yet parsed: a list of
 * chunks, so a 16 MiB frame arriving in 64 KiB reads is copied once, not once
 * per read. Part of the broken implementations' own base (independent of
 * wscheck's codec: a broken peer must be able to accept what the reference
 * rejects).
 */
export class ReadBuffer {
  private chunks: Buffer[] = [];
  /** Octets already taken from `chunks[0]`. */
  private offset = 0;
  private size = 0;

  /** Octets buffered. */
  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /**
   * The octet at `index`, or 0 past the end. The correct base never reads
   * past the end; the read-boundary bugs do, and then see zeros (what an
   * unchecked index into a zeroed buffer gives in C).
   */
  byte(index: number): number {
    if (index >= this.size) return 0;
    let i = index + this.offset;
    for (const c of this.chunks) {
      if (i < c.length) return c[i]!;
      i -= c.length;
    }
    return 0;
  }

  /** Four octets at `index` as an unsigned big-endian number. */
  uint32(index: number): number {
    return ((this.byte(index) << 24) | (this.byte(index + 1) << 16) | (this.byte(index + 2) << 8) | this.byte(index + 3)) >>> 0;
  }

  /** Remove and return the first `n` octets (fewer if fewer are buffered). */
  take(n: number): Buffer {
    const want = Math.min(n, this.size);
    const first = this.chunks[0];
    if (first !== undefined && this.offset + want <= first.length) {
      const out = first.subarray(this.offset, this.offset + want);
      this.advance(want);
      return out;
    }
    const out = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const c = this.chunks[0]!;
      const n2 = Math.min(c.length - this.offset, want - filled);
      c.copy(out, filled, this.offset, this.offset + n2);
      filled += n2;
      this.advance(n2);
    }
    return out;
  }

  /** Forget everything buffered. */
  clear(): void {
    this.chunks = [];
    this.offset = 0;
    this.size = 0;
  }

  private advance(n: number): void {
    this.size -= n;
    this.offset += n;
    while (this.chunks.length > 0 && this.offset >= this.chunks[0]!.length) {
      this.offset -= this.chunks[0]!.length;
      this.chunks.shift();
    }
  }
}
