/**
 * Splitting a message into frames (RFC 6455 §5.4).
 */

/**
 * How a sender ends a message whose length is an exact multiple of the
 * fragment size: `exact` ends on the last full fragment; `trailing-empty`
 * appends an empty final continuation frame, as the Autobahn testsuite's
 * fragmenter does (its catalogue verdicts count on those frames).
 */
export type FragmentTail = 'exact' | 'trailing-empty';

/**
 * Payload lengths of the frames for a message of `length` octets sent in
 * fragments of `size` octets. `size` 0 (or not less than the length, with
 * `exact`) gives one frame.
 */
export function fragmentLengths(length: number, size: number, tail: FragmentTail = 'exact'): number[] {
  if (size <= 0) return [length];
  if (!Number.isInteger(size)) throw new RangeError(`fragment size ${size} is not an integer`);
  const lengths: number[] = [];
  let at = 0;
  if (tail === 'exact') {
    if (length === 0) return [0];
    while (at < length) {
      const n = Math.min(size, length - at);
      lengths.push(n);
      at += n;
    }
    return lengths;
  }
  if (length <= size) return [length];
  // Past the first frame, a frame is final only when its end would pass the
  // message end, so a message ending exactly on a fragment boundary gets one
  // more, empty, frame.
  for (;;) {
    if (at + size > length) {
      lengths.push(length - at);
      return lengths;
    }
    lengths.push(size);
    at += size;
  }
}
