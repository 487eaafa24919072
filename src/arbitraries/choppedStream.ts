import fc from 'fast-check';
import type { FrameDescription, Step } from '../model/scenario.js';
import type { Role } from '../model/types.js';
import { cutSpec, resolveCuts } from './_internals/cutSpec.js';
import { CUT_TARGETS, type CutTarget, layoutStream } from './_internals/layout.js';

/** A `stream` step of a scenario: frames written as one byte stream cut into writes. */
export type StreamStep = Extract<Step, { readonly kind: 'stream' }>;

/** Constraints of {@link choppedStream}. */
export interface ChoppedStreamConstraints {
  /** Role of the peer: the tester masks its frames (`maskKey` absent or `auto`) when the peer is a server. */
  readonly peerRole: Role;
  /** Most cuts (default 6); 0 writes all the frames at once. */
  readonly maxCuts?: number;
  /**
   * Where cuts fall (default every {@link CutTarget}): anywhere, between
   * frames, inside a header, strictly inside an extended payload length or a
   * masking key, inside a payload, inside a UTF-8 character. A target with no
   * position in a given stream falls back to `anywhere`.
   */
  readonly targets?: readonly CutTarget[];
}

/**
 * TCP chop patterns over a whole byte stream: the frames are written back to
 * back, so the frames between two cuts coalesce into one write, and the
 * stream is cut where it hurts — inside a frame header, inside a 16- or 64-bit
 * extended length, inside a masking key, inside a character of a text
 * payload, or between frames. Cuts are drawn as abstract targets resolved
 * against the stream's layout, so they shrink apart from the frames: fewer
 * cuts first (down to one write), then earlier positions.
 *
 * @param frames - the frames to write (masking as the tester's role requires unless a frame says otherwise)
 */
export function choppedStream(frames: fc.Arbitrary<readonly FrameDescription[]>, constraints: ChoppedStreamConstraints): fc.Arbitrary<StreamStep> {
  const maxCuts = constraints.maxCuts ?? 6;
  const targets = constraints.targets ?? CUT_TARGETS;
  if (targets.length === 0) throw new RangeError('choppedStream needs at least one target');
  return fc.tuple(frames, fc.array(cutSpec(targets), { maxLength: maxCuts })).map(([list, specs]): StreamStep => ({
    kind: 'stream',
    frames: list,
    cuts: resolveCuts(layoutStream(list, constraints.peerRole), specs),
  }));
}
