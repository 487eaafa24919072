import type { FrameDescription } from '../model/scenario.js';
import type { Role } from '../model/types.js';
import { type CutTarget, classifyCut, layoutStream } from './_internals/layout.js';

export type { CutTarget } from './_internals/layout.js';

/**
 * Where each cut of a `stream` step falls (for reports and coverage
 * statistics): for every cut, the kinds of place it is — `anywhere` always,
 * plus `frame-boundary`, `header`, `extended-length`, `mask-key`, `payload`,
 * `character` as they apply.
 */
export function cutKinds(frames: readonly FrameDescription[], peerRole: Role, cuts: readonly number[]): CutTarget[][] {
  const layout = layoutStream(frames, peerRole);
  return cuts.map((c) => classifyCut(layout, c));
}
