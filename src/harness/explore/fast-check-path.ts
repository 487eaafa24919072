/**
 * The values fast-check would try for a property over one arbitrary, taken
 * out of its runner so that exploration can judge many at once: the value of
 * run `k` for a seed, and the shrink candidates of a value, in fast-check's
 * order. Paths are fast-check's (`k:s1:s2…`: run k, then the s-th candidate
 * of each shrink), so `fc.check(fc.asyncProperty(arbitrary, …), { seed, path })`
 * reaches the same scenario as exploration does.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { xorshift128plus } from 'pure-rand/generator/xorshift128plus';

/** Passes generation through unchanged, keeping each generated value with its shrink context. */
class Recorder<T> extends fc.Arbitrary<T> {
  readonly values: fc.Value<T>[] = [];

  constructor(private readonly inner: fc.Arbitrary<T>) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    const v = this.inner.generate(mrng, biasFactor);
    this.values.push(v);
    return v;
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.inner.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.inner.shrink(value, context);
  }
}

/**
 * Values of runs `from` … `from + count - 1` for `seed`, exactly as `fc.check`
 * generates them (same random stream, same bias per run index). Generation
 * runs through fast-check's own runner with a property that always holds.
 */
export function valuesAt<T>(arbitrary: fc.Arbitrary<T>, seed: number, from: number, count: number): fc.Value<T>[] {
  const recorder = new Recorder(arbitrary);
  fc.check(
    fc.property(recorder, () => true),
    { seed, path: String(from), numRuns: count, examples: [], endOnFailure: true },
  );
  return recorder.values;
}

/**
 * fast-check's bias for run `runId` (its runner's `runIdToFrequency`): runs
 * later in a search draw from wider ranges.
 */
function biasOf(runId: number): number {
  return 2 + Math.floor(Math.log(runId + 1) * Math.LOG10E);
}

/**
 * The values of a search in run order, as {@link valuesAt} gives them, for a
 * caller that asks for increasing runs. `valuesAt` reaches run `k` by walking
 * fast-check's random stream from the start (a jump of its generator per
 * run), which makes a search of N runs cost N²/2 jumps. This keeps the
 * generator where the last call left it. It re-creates fast-check's runner (the default generator,
 * xorshift128+, jumped once per run, and the run's bias), so it checks itself
 * against `valuesAt` on the first runs and falls back to `valuesAt` should a
 * fast-check release change either.
 */
export class RunCursor<T> {
  private rng = xorshift128plus(0);
  /** Runs the generator has been jumped past. */
  private position = 0;
  private readonly faithful: boolean;

  constructor(
    private readonly arbitrary: fc.Arbitrary<T>,
    private readonly seed: number,
  ) {
    this.rewind();
    const reference = valuesAt(arbitrary, seed, 0, 3).map((v) => v.value_);
    this.faithful = isDeepStrictEqual(
      this.generate(0, 3).map((v) => v.value_),
      reference,
    );
  }

  /** Does it follow fast-check's runner (else it delegates to `valuesAt`)? */
  get followsFastCheck(): boolean {
    return this.faithful;
  }

  /** Values of runs `from` … `from + count - 1`. */
  valuesAt(from: number, count: number): fc.Value<T>[] {
    return this.faithful ? this.generate(from, count) : valuesAt(this.arbitrary, this.seed, from, count);
  }

  private rewind(): void {
    // fast-check's readSeed: a seed outside int32 is folded into one.
    const seed32 = this.seed | 0;
    this.rng = xorshift128plus(this.seed === seed32 ? seed32 : seed32 ^ ((this.seed - seed32) * 4294967296));
    this.position = 0;
  }

  private generate(from: number, count: number): fc.Value<T>[] {
    if (from < this.position) this.rewind();
    while (this.position < from) {
      this.rng.jump();
      this.position++;
    }
    const out: fc.Value<T>[] = [];
    for (let k = 0; k < count; k++) {
      this.rng.jump();
      this.position++;
      out.push(this.arbitrary.generate(new fc.Random(this.rng), biasOf(from + k)));
    }
    return out;
  }
}

/** The shrink candidates of `value`, lazily, in the order fast-check tries them. */
export function shrinkCandidates<T>(arbitrary: fc.Arbitrary<T>, value: fc.Value<T>): Iterator<fc.Value<T>> {
  return arbitrary.shrink(value.value_, value.context)[Symbol.iterator]();
}

export class PathError extends Error {
  override readonly name = 'PathError';
}

/** The value a fast-check path leads to (`k` or `k:s1:s2…`). */
export function valueAtPath<T>(arbitrary: fc.Arbitrary<T>, seed: number, path: string): fc.Value<T> {
  const segments = path.split(':').map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  if (segments.length === 0 || segments.some((n) => !Number.isSafeInteger(n))) {
    throw new PathError(`"${path}" is not a fast-check path; expected numbers separated by colons, like 12:0:3`);
  }
  let value = valuesAt(arbitrary, seed, segments[0]!, 1)[0]!;
  for (const [k, skip] of segments.slice(1).entries()) {
    const candidates = shrinkCandidates(arbitrary, value);
    let next: IteratorResult<fc.Value<T>> = candidates.next();
    for (let i = 0; i < skip && !next.done; i++) next = candidates.next();
    if (next.done) throw new PathError(`path ${path} leads nowhere at segment ${k + 2}: the value has fewer than ${skip + 1} shrink candidates (another seed or wscheck version?)`);
    value = next.value;
  }
  return value;
}
