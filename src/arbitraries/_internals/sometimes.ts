/**
 * Optional values with a chosen frequency that shrink to "absent" at every
 * step of shrinking, not only at the first: `fc.option` (a `oneof` with cross
 * shrinking) offers the absent value once, before the present one starts
 * shrinking, and never again; a one-element array offers its removal again
 * after each shrink of its element.
 *
 * @internal
 */
import fc from 'fast-check';

/**
 * `arb` in about `present` / (`present` + `absent`) of the draws (at most one
 * in two), else null.
 */
export function sometimes<T>(arb: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | null> {
  // An array of at most one element holds one about half the time.
  const holder = fc.array(arb, { maxLength: 1 });
  const drawn = absent > present ? fc.oneof({ arbitrary: fc.constant([] as T[]), weight: absent - present }, { arbitrary: holder, weight: 2 * present }) : holder;
  return drawn.map((list) => (list.length === 0 ? null : list[0]!));
}
