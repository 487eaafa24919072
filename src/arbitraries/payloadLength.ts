import fc from 'fast-check';
import { ordered } from './_internals/ordered.js';

/** Constraints of {@link payloadLength}. */
export interface PayloadLengthConstraints {
  /** Smallest length, in octets (default 0). */
  readonly minLength?: number;
  /** Largest length, in octets (default {@link DEFAULT_MAX_PAYLOAD_LENGTH}). */
  readonly maxLength?: number;
}

/**
 * Default upper bound of payload lengths: past the 64-bit length encoding
 * boundary (65536) with room to spare, small enough for a live peer to echo
 * quickly.
 */
export const DEFAULT_MAX_PAYLOAD_LENGTH = 70_000;

/**
 * Payload lengths on either side of every boundary of the length encoding
 * (RFC 6455 §5.2): 0; 125, the last 7-bit length; 126, the first 16-bit one;
 * 65535, the last 16-bit one; 65536, the first 64-bit one.
 */
export const LENGTH_BOUNDARIES: readonly number[] = [0, 1, 124, 125, 126, 127, 65535, 65536, 65537];

/** @internal Check and default length constraints. */
export function lengthBounds(constraints: PayloadLengthConstraints, defaultMax = DEFAULT_MAX_PAYLOAD_LENGTH): { min: number; max: number } {
  const min = constraints.minLength ?? 0;
  const max = constraints.maxLength ?? Math.max(defaultMax, min);
  if (!Number.isInteger(min) || min < 0) throw new RangeError(`minLength must be a non-negative integer, got ${min}`);
  if (!Number.isInteger(max) || max < min) throw new RangeError(`maxLength must be an integer not below minLength (${min}), got ${max}`);
  return { min, max };
}

/**
 * A payload length in octets: mostly short, often exactly at a boundary of
 * the length encoding ({@link LENGTH_BOUNDARIES}), sometimes anywhere up to
 * `maxLength`. Shrinks towards short lengths first (then to the smallest
 * boundary that still fails).
 *
 * @example
 * ```ts
 * payloadLength({ maxLength: 200 }) // 0, 3, 125, 126, 17, 200, …
 * ```
 */
export function payloadLength(constraints: PayloadLengthConstraints = {}): fc.Arbitrary<number> {
  const { min, max } = lengthBounds(constraints);
  const bounds = LENGTH_BOUNDARIES.filter((b) => b >= min && b <= max);
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min, max: Math.min(max, min + 16) }), weight: 6 },
    ...(bounds.length > 0 ? [{ arbitrary: ordered(bounds), weight: 3 }] : []),
    { arbitrary: fc.integer({ min, max }), weight: 1 },
  );
}
