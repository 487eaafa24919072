/**
 * A choice among constants that shrinks towards the earlier ones, trying
 * every earlier one as an integer index does (`fc.constantFrom` only ever
 * offers the first).
 *
 * @internal
 */
import fc from 'fast-check';

/** One of `values`, shrinking towards the first. */
export function ordered<T>(values: readonly T[]): fc.Arbitrary<T> {
  if (values.length === 0) throw new RangeError('ordered needs at least one value');
  return fc.integer({ min: 0, max: values.length - 1 }).map((k) => values[k]!);
}
