/**
 * The values fast-check would try for a property over one arbitrary, taken
 * out of its runner so that exploration can judge many at once: the value of
 * run `k` for a seed, and the shrink candidates of a value, in fast-check's
 * order. Paths are fast-check's (`k:s1:s2…`: run k, then the s-th candidate
 * of each shrink), so `fc.check(fc.asyncProperty(arbitrary, …), { seed, path })`
 * reaches the same scenario as exploration does.
 */
import fc from 'fast-check';

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
