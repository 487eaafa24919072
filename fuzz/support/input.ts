/**
 * How a fuzz target reads its input: a few octets of choices (role, limits,
 * where TCP cuts the stream), then the octets under test.
 *
 * The fuzzer picks the choices by mutating the same bytes as the data, so
 * coverage guidance reaches them too (a split inside a masking key is just a
 * different octet in the header). A short input reads as zeros, so every
 * input is valid; nothing here throws.
 */

/** A cursor over a fuzz input. Reads past the end give 0 and empty arrays. */
export class FuzzInput {
  private at = 0;

  constructor(readonly data: Uint8Array) {}

  /** Octets not read yet. */
  get remaining(): number {
    return Math.max(0, this.data.length - this.at);
  }

  /** One octet (0 past the end). */
  byte(): number {
    return this.at < this.data.length ? this.data[this.at++]! : (this.at++, 0);
  }

  /** A big-endian 16-bit number. */
  uint16(): number {
    return (this.byte() << 8) | this.byte();
  }

  /** An integer in [0, n), from one octet when n <= 256, else two. */
  below(n: number): number {
    if (n <= 1) return 0;
    return (n <= 256 ? this.byte() : this.uint16()) % n;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** Up to `n` octets (a view, not a copy). */
  take(n: number): Uint8Array {
    const start = Math.min(this.at, this.data.length);
    const end = Math.min(start + Math.max(0, n), this.data.length);
    this.at = Math.max(this.at, start) + Math.max(0, n);
    return this.data.subarray(start, end);
  }

  /** Every octet not read yet (a view). */
  rest(): Uint8Array {
    const start = Math.min(this.at, this.data.length);
    this.at = this.data.length;
    return this.data.subarray(start);
  }
}

/**
 * How a stream is cut into TCP reads: explicit cut offsets plus, optionally,
 * a cut every `every` octets (1 = one octet per read) over a window of
 * {@link EVERY_WINDOW} octets starting at the first explicit cut (or at the
 * start). Encoded in {@link CHOP_OCTETS} octets: a mode octet, then four
 * big-endian 16-bit offsets. Mode bits 0-2: how many of the offsets are used
 * (values above 4 mean 4); bit 3: also cut every `(mode >> 4) + 1` octets.
 *
 * The window keeps a run's cost bounded (a read costs the decoder a call)
 * while still letting the fuzzer put octet-by-octet reads anywhere: chop
 * bugs are local — a header, a masking key or a character split across reads.
 */
export interface ChopPlan {
  readonly cuts: readonly number[];
  readonly every: number | null;
}

export const CHOP_OCTETS = 9;

/** Octets over which `every` applies. */
export const EVERY_WINDOW = 16;

export function readChop(input: FuzzInput): ChopPlan {
  const mode = input.byte();
  const count = Math.min(mode & 7, 4);
  const offsets = [input.uint16(), input.uint16(), input.uint16(), input.uint16()];
  return { cuts: offsets.slice(0, count), every: (mode & 8) !== 0 ? (mode >> 4) + 1 : null };
}

/** The inverse of {@link readChop}, for seeds: at most four cuts. */
export function encodeChop(plan: ChopPlan): Uint8Array {
  const out = new Uint8Array(CHOP_OCTETS);
  const cuts = plan.cuts.slice(0, 4);
  const every = plan.every === null ? 0 : 8 | ((Math.min(Math.max(plan.every, 1), 16) - 1) << 4);
  out[0] = cuts.length | every;
  cuts.forEach((c, k) => {
    out[1 + 2 * k] = (c >> 8) & 0xff;
    out[2 + 2 * k] = c & 0xff;
  });
  return out;
}

/**
 * The reads `plan` makes of a stream of `length` octets: sorted, distinct cut
 * offsets strictly inside the stream (each explicit offset is taken modulo
 * `length + 1`, so every value lands somewhere).
 */
export function cutPoints(plan: ChopPlan, length: number): number[] {
  const set = new Set<number>();
  for (const c of plan.cuts) {
    const at = c % (length + 1);
    if (at > 0 && at < length) set.add(at);
  }
  if (plan.every !== null) {
    const from = plan.cuts.length > 0 ? plan.cuts[0]! % (length + 1) : 0;
    const to = Math.min(length, from + EVERY_WINDOW);
    for (let at = from + plan.every; at < to; at += plan.every) set.add(at);
  }
  return [...set].sort((a, b) => a - b);
}

/** `stream` cut at `points` (as from {@link cutPoints}): views, in order, none empty unless the stream is. */
export function chopAt(stream: Uint8Array, points: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(stream.subarray(at, p));
    at = p;
  }
  out.push(stream.subarray(at));
  return out;
}

/** A fuzz target found a bug: the message says which property broke and how. */
export class FuzzFinding extends Error {
  override readonly name = 'FuzzFinding';

  constructor(
    /** Short stable id of the broken property, e.g. `chop-invariance`. */
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
  }
}

/** Throw a {@link FuzzFinding} unless `condition` holds. */
export function check(condition: boolean, property: string, message: () => string): asserts condition {
  if (!condition) throw new FuzzFinding(property, message());
}

/** Octets as lower-case hex, shortened in the middle past `max` octets. */
export function hex(bytes: Uint8Array, max = 48): string {
  const part = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  if (bytes.length <= max) return part(bytes);
  const half = Math.floor(max / 2);
  return `${part(bytes.subarray(0, half))}…(${bytes.length} octets)…${part(bytes.subarray(bytes.length - half))}`;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Decompressed messages run to a megabyte; native comparison is many times a loop's speed there.
  if (a.length > 64) return Buffer.compare(a, b) === 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Octet sequences joined end to end (the harness's own copy: code under src/codec is instrumented when bundled). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
