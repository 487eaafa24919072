/**
 * Abstract cuts: a target kind and a choice among that kind's positions,
 * resolved against a concrete stream. Drawing cuts this way keeps them
 * independent of the frames they cut, so the two shrink separately.
 *
 * @internal
 */
import fc from 'fast-check';
import { CUT_TARGETS, type CutTarget, type FrameLayout, resolveCut } from './layout.js';

/** A cut before it is resolved: where it should fall, and which of those places. */
export interface CutSpec {
  readonly target: CutTarget;
  readonly pick: number;
}

/** Shrinks towards `anywhere` (the first target) and the first position of a target. */
export function cutSpec(targets: readonly CutTarget[] = CUT_TARGETS): fc.Arbitrary<CutSpec> {
  return fc.record({ target: fc.constantFrom(...targets), pick: fc.nat() });
}

/** Ascending, distinct offsets strictly inside the stream. */
export function resolveCuts(layout: readonly FrameLayout[], specs: readonly CutSpec[]): number[] {
  const offsets = new Set<number>();
  for (const s of specs) {
    const at = resolveCut(layout, s.target, s.pick);
    if (at !== null) offsets.add(at);
  }
  return [...offsets].sort((a, b) => a - b);
}
