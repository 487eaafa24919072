/**
 * The incremental UTF-8 validator against the platform's strict decoder, and
 * the minimality of its fail-fast offset: the prefix before the reported
 * octet can still become valid; the prefix including it cannot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UTF8_ACCEPT, Utf8Validator, firstInvalidUtf8Offset, isValidUtf8, utf8Advance } from '../src/codec/utf8.js';

const SEED = 0x3629;
const strict = new TextDecoder('utf-8', { fatal: true });

function decodes(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Octets at the edges of every range the well-formedness table distinguishes. */
const EDGES = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
const CONTINUATIONS = [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf];

/** Can `prefix` be completed into valid UTF-8? Only continuation octets can finish a character; three suffice. */
function completable(prefix: Uint8Array): boolean {
  if (decodes(prefix)) return true;
  const tails: number[][] = [[]];
  for (let n = 1; n <= 3; n++) {
    for (const t of tails.filter((x) => x.length === n - 1)) {
      for (const c of CONTINUATIONS) {
        const tail = [...t, c];
        if (decodes(Uint8Array.from([...prefix, ...tail]))) return true;
        tails.push(tail);
      }
    }
  }
  return false;
}

/** Mostly-valid text with edge octets spliced in, so invalid inputs are near the boundary of validity. */
const utf8ish = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.array(fc.tuple(fc.nat(), fc.array(fc.constantFrom(...EDGES), { minLength: 1, maxLength: 4 })), { maxLength: 3 }),
  )
  .map(([text, splices]) => {
    const out = [...new TextEncoder().encode(text)];
    for (const [at, octets] of splices) out.splice(at % (out.length + 1), 0, ...octets);
    return Uint8Array.from(out);
  });

const anyBytes = fc.oneof(utf8ish, fc.uint8Array({ maxLength: 16 }));

describe('UTF-8 validator', () => {
  it('agrees with TextDecoder(fatal) on every complete input', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        expect(isValidUtf8(bytes)).toBe(decodes(bytes));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('fails at the first octet after which the input can no longer be valid', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const k = firstInvalidUtf8Offset(bytes);
        if (k === -1) return;
        expect(completable(bytes.subarray(0, k))).toBe(true);
        if (k < bytes.length) expect(completable(bytes.subarray(0, k + 1))).toBe(false);
        else expect(decodes(bytes)).toBe(false);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('reports the same offset however the input is split into chunks', () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const v = new Utf8Validator();
        let at = 0;
        for (const p of [...points, bytes.length]) {
          v.push(bytes.subarray(at, p));
          at = p;
        }
        expect(v.end()).toBe(firstInvalidUtf8Offset(bytes));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('gives long inputs (validated natively in bulk) the state and offset octet-by-octet validation gives', () => {
    // Pieces shorter than the native threshold walk the automaton only: the reference.
    const octetByOctet = (bytes: Uint8Array): number => {
      let s = UTF8_ACCEPT;
      for (let at = 0; at < bytes.length; at += 48) {
        const r = utf8Advance(s, bytes.subarray(at, at + 48));
        if (r < 0) return r - at;
        s = r;
      }
      return s;
    };
    const long = fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.integer({ min: 256, max: 3000 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EDGES)), { maxLength: 2 }))
      .map(([unit, length, splices]) => {
        const out = new TextEncoder().encode(unit.repeat(Math.ceil(length / unit.length))).slice(0, length);
        for (const [at, octet] of splices) out[at % length] = octet;
        return out;
      });
    fc.assert(
      fc.property(long, fc.integer({ min: 1, max: 3 }), (bytes, cut) => {
        const expected = octetByOctet(bytes);
        expect(utf8Advance(UTF8_ACCEPT, bytes)).toBe(expected);
        // Resumed inside a character: the automaton finishes it, then the bulk check takes the rest.
        const head = utf8Advance(UTF8_ACCEPT, bytes.subarray(0, cut));
        if (head < 0) return;
        const rest = utf8Advance(head, bytes.subarray(cut));
        expect(rest < 0 ? rest - cut : rest).toBe(expected);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('rejects the classic invalid forms at their second octet', () => {
    // Overlong, surrogate and above-U+10FFFF forms are decided by the second octet.
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xe0, 0x80, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xf0, 0x8f, 0xbf, 0xbf]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xc0, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x41, 0xce]))).toBe(2);
  });
});
