import fc from 'fast-check';
import { encodeCodePointAs } from './_internals/utf8.js';
import { textPayload } from './textPayload.js';

/**
 * How a text is not UTF-8 (RFC 3629 §3, Unicode Table 3-7):
 * - `overlong`: a character in more octets than it needs (C0 80, E0 80 80, F0 8F BF BF);
 * - `surrogate`: U+D800..U+DFFF encoded as a character (ED A0 80 .. ED BF BF);
 * - `above-max`: a code point above U+10FFFF (F4 90 80 80 .. F7 BF BF BF);
 * - `truncated`: the text ends inside a character (a lead octet with too few continuations);
 * - `interrupted`: a character cut short by the next character;
 * - `lone-continuation`: a continuation octet (80..BF) where a character starts;
 * - `invalid-octet`: an octet that never occurs in UTF-8 (C0, C1, F5..FF).
 */
export type Utf8Flaw = 'overlong' | 'surrogate' | 'above-max' | 'truncated' | 'interrupted' | 'lone-continuation' | 'invalid-octet';

/** Every {@link Utf8Flaw}. */
export const UTF8_FLAWS: readonly Utf8Flaw[] = ['overlong', 'surrogate', 'above-max', 'truncated', 'interrupted', 'lone-continuation', 'invalid-octet'];

/** Octets that are not UTF-8, with what is wrong and where. */
export interface InvalidUtf8 {
  readonly bytes: Uint8Array;
  readonly flaw: Utf8Flaw;
  /** Offset of the first octet of the flawed sequence. */
  readonly offset: number;
}

/** Constraints of {@link invalidUtf8}. */
export interface InvalidUtf8Constraints {
  /** Which flaws (default all). */
  readonly flaws?: readonly Utf8Flaw[];
  /** Longest valid text before and after the flaw, each (default 16 octets). */
  readonly maxContextLength?: number;
}

/** The flawed sequence alone. */
function flawOctets(flaw: Utf8Flaw): fc.Arbitrary<number[]> {
  switch (flaw) {
    case 'overlong':
      return fc.oneof(
        fc.integer({ min: 0, max: 0x7f }).map((cp) => encodeCodePointAs(cp, 2)),
        fc.integer({ min: 0, max: 0x7ff }).map((cp) => encodeCodePointAs(cp, 3)),
        fc.integer({ min: 0, max: 0xffff }).map((cp) => encodeCodePointAs(cp, 4)),
      );
    case 'surrogate':
      return fc.integer({ min: 0xd800, max: 0xdfff }).map((cp) => encodeCodePointAs(cp, 3));
    case 'above-max':
      return fc.integer({ min: 0x110000, max: 0x1fffff }).map((cp) => encodeCodePointAs(cp, 4));
    case 'truncated':
    case 'interrupted':
      // A well-formed 2- to 4-octet character less at least its last octet.
      return fc
        .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 0x10ffff }), fc.nat())
        .map(([width, n, cut]) => {
          const w = width as 2 | 3 | 4;
          const lo = w === 2 ? 0x80 : w === 3 ? 0x800 : 0x10000;
          const hi = w === 2 ? 0x7ff : w === 3 ? 0xffff : 0x10ffff;
          let cp = lo + (n % (hi - lo + 1));
          if (cp >= 0xd800 && cp <= 0xdfff) cp -= 0x800;
          const full = encodeCodePointAs(cp, w);
          return full.slice(0, 1 + (cut % (w - 1)));
        });
    case 'lone-continuation':
      return fc.integer({ min: 0x80, max: 0xbf }).map((b) => [b]);
    case 'invalid-octet':
      return fc.constantFrom(0xc0, 0xc1, 0xf5, 0xf6, 0xf7, 0xf8, 0xfb, 0xfc, 0xfd, 0xfe, 0xff).map((b) => [b]);
  }
}

/**
 * Text that is not UTF-8 because of exactly one {@link Utf8Flaw}: valid text
 * (all of Unicode) before and after one flawed sequence — a `truncated` one
 * ends the text, an `interrupted` one is followed by an ASCII character. A
 * receiver must fail the connection with 1007 (RFC 6455 §8.1). Shrinks
 * towards the bare flaw.
 */
export function invalidUtf8(constraints: InvalidUtf8Constraints = {}): fc.Arbitrary<InvalidUtf8> {
  const flaws = constraints.flaws ?? UTF8_FLAWS;
  if (flaws.length === 0) throw new RangeError('invalidUtf8 needs at least one flaw');
  const context = textPayload({ maxLength: constraints.maxContextLength ?? 16 });
  const flawed = fc.oneof(...flaws.map((flaw) => flawOctets(flaw).map((octets) => ({ flaw, octets }))));
  return fc.tuple(flawed, context, context).map(([{ flaw, octets }, before, after]): InvalidUtf8 => {
    const tail = flaw === 'truncated' ? [] : flaw === 'interrupted' ? [0x78, ...after] : [...after];
    return { bytes: Uint8Array.from([...before, ...octets, ...tail]), flaw, offset: before.length };
  });
}
