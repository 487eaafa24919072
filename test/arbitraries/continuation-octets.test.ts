/**
 * Cuts inside characters are found by counting continuation octets four at a
 * time; the count and the k-th position must be exactly what an octet-by-octet
 * walk gives, on views at any alignment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countContinuationOctets, nthContinuationOctet } from '../../src/arbitraries/_internals/utf8.js';

const positions = (bytes: Uint8Array, from: number): number[] => {
  const out: number[] = [];
  for (let i = from; i < bytes.length; i++) if ((bytes[i]! & 0xc0) === 0x80) out.push(i);
  return out;
};

// Octets drawn near the 10xxxxxx pattern and its neighbours, inside a larger buffer at any offset.
const view = fc
  .tuple(fc.array(fc.constantFrom(0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xf0, 0xff), { maxLength: 70 }), fc.integer({ min: 0, max: 7 }))
  .map(([octets, skew]) => new Uint8Array(new Uint8Array(skew + octets.length).fill(0x80).buffer, skew, octets.length).map((_, i) => octets[i]!));

describe('continuation octets', () => {
  it('are counted as an octet-by-octet walk counts them', () => {
    fc.assert(
      fc.property(view, fc.integer({ min: 0, max: 3 }), (bytes, from) => {
        expect(countContinuationOctets(bytes, from)).toBe(positions(bytes, from).length);
      }),
      { seed: 0x80, numRuns: 2000 },
    );
  });

  it('are found by rank where an octet-by-octet walk finds them, and -1 past the last', () => {
    fc.assert(
      fc.property(view, fc.integer({ min: 0, max: 3 }), fc.nat(80), (bytes, from, k) => {
        expect(nthContinuationOctet(bytes, from, k)).toBe(positions(bytes, from)[k] ?? -1);
      }),
      { seed: 0x80, numRuns: 2000 },
    );
  });
});
