import fc from 'fast-check';
import { ordered } from './_internals/ordered.js';

/** Octets in the UTF-8 form of a character. */
export type Utf8Width = 1 | 2 | 3 | 4;

/** Constraints of {@link codePoint}. */
export interface CodePointConstraints {
  /** Which UTF-8 widths to draw from (default all four, equally often). */
  readonly widths?: readonly Utf8Width[];
}

/** First code point, and number of code points, of each width (3-octet: without the 2048 surrogates, RFC 3629 §3). */
const CLASSES: Record<Utf8Width, readonly [number, number]> = {
  1: [0x00, 0x80],
  2: [0x80, 0x780],
  3: [0x800, 0xf800 - 0x800],
  4: [0x10000, 0x100000],
};

/** Edges where the UTF-8 automaton changes state (Unicode Table 3-7). */
const EDGES: Record<Utf8Width, readonly number[]> = {
  1: [0x7f],
  2: [0x80, 0x7ff],
  3: [0x800, 0xfff, 0x1000, 0xd7ff, 0xe000, 0xfffd, 0xffff],
  4: [0x10000, 0x3ffff, 0x40000, 0xfffff, 0x100000, 0x10ffff],
};

/** The code point at `position` in the class of `width`: from its start, or from its end when negative. */
function pointOf(width: Utf8Width, position: number): number {
  const [first, size] = CLASSES[width];
  const k = position >= 0 ? position % size : size + Math.max(position, -size);
  const cp = first + k;
  // Skip the surrogates, which are not characters.
  return width === 3 && cp >= 0xd800 ? cp + 0x800 : cp;
}

/**
 * A Unicode scalar value (any code point but a surrogate), drawn evenly over
 * the four UTF-8 widths, often near the start or end of a width and at the
 * edges where the UTF-8 automaton changes state (U+07FF/U+0800,
 * U+D7FF/U+E000, U+FFFF/U+10000, U+10FFFF). Shrinks towards the narrowest
 * width that still fails, then towards the first character of that width
 * (U+0000, U+0080, U+0800, U+10000).
 */
export function codePoint(constraints: CodePointConstraints = {}): fc.Arbitrary<number> {
  const widths: Utf8Width[] = [...new Set<Utf8Width>(constraints.widths ?? [1, 2, 3, 4])].sort((a, b) => a - b);
  if (widths.length === 0) throw new RangeError('codePoint needs at least one width');
  const main = fc
    .tuple(fc.integer({ min: 0, max: widths.length - 1 }), fc.integer({ min: -8, max: 0x10ffff }))
    .map(([w, position]) => pointOf(widths[w]!, position));
  const edges = widths.flatMap((w) => EDGES[w]);
  return fc.oneof({ withCrossShrink: true }, { arbitrary: main, weight: 5 }, { arbitrary: ordered(edges), weight: 1 });
}
