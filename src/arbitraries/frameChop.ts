import fc from 'fast-check';
import { ordered } from './_internals/ordered.js';
import { sometimes } from './_internals/sometimes.js';

/** Constraints of {@link frameChop}. */
export interface FrameChopConstraints {
  /** Largest piece (default 997, the Autobahn testsuite's odd-sized chop). */
  readonly maxChop?: number;
}

/**
 * The `chop` of a `frame` step: null (the frame is written at once) or the
 * size of the pieces the frame is written in, each its own TCP write — one
 * octet at a time, a few octets (so pieces end inside the header, the
 * extended length or the masking key), or large odd pieces. Shrinks towards
 * no chop, then the largest pieces (fewest writes).
 */
export function frameChop(constraints: FrameChopConstraints = {}): fc.Arbitrary<number | null> {
  const max = constraints.maxChop ?? 997;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxChop must be at least 1, got ${max}`);
  const sizes = [max, 1, 2, 3, 4, 5, 7, 13, 64].filter((s, k, all) => s <= max && all.indexOf(s) === k);
  return sometimes(fc.oneof({ withCrossShrink: true }, ordered(sizes), fc.integer({ min: 1, max })), 1, 1);
}
