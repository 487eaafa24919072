/**
 * Does the set of acceptable traces depend on how the tester's writes are
 * cut? The simulation applies a scenario's segmentation (each piece its own
 * read for a peer that acts as frames complete; the whole activation as one
 * read for a peer that handles a read before its application runs, the
 * coarsest reading TCP allows). This pins the answer for the catalogue: the
 * expectation — event lists, closing behaviour, every trace's events and
 * closing fields — is the same under every pattern, because the reference
 * decoder is chunking-invariant (properties/codec.test.ts) and the tester
 * reacts to nothing between the pieces of one turn. What does change is
 * where in the tester's script a fail-fast peer acts.
 */
import { describe, expect, it } from 'vitest';
import { selectCases } from '../../src/cases/catalogue.js';
import { eventsEqual } from '../../src/model/events.js';
import { computeExpectation, type Expectation } from '../../src/model/oracle.js';
import { ALL_SEGMENTATIONS, segmentationName } from '../../src/model/segmentation.js';
import type { Role } from '../../src/model/types.js';

function sameExpectation(a: Expectation, b: Expectation): boolean {
  return (
    JSON.stringify(a.expectedClose) === JSON.stringify(b.expectedClose) &&
    eventsEqual(a.expected.OK ?? [], b.expected.OK ?? []) &&
    eventsEqual(a.expected['NON-STRICT'] ?? [], b.expected['NON-STRICT'] ?? []) &&
    a.traces.length === b.traces.length &&
    a.traces.every((t, k) => t.strict === b.traces[k]!.strict && eventsEqual(t.events, b.traces[k]!.events) && JSON.stringify(t.closing) === JSON.stringify(b.traces[k]!.closing))
  );
}

function differing(patterns: readonly string[], excluded: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const c of selectCases(patterns, excluded)) {
    const scenario = c.scenario();
    for (const role of ['server', 'client'] as Role[]) {
      const plain = computeExpectation(scenario, role);
      for (const s of ALL_SEGMENTATIONS) {
        if (!sameExpectation(plain, computeExpectation({ ...scenario, segmentation: s }, role))) out.push(`${c.id} ${role} ${segmentationName(s)}`);
      }
    }
  }
  return out;
}

describe('acceptable traces under a chopped replay', () => {
  it('are those of the plain run for every case of categories 1-7 and 10, both roles, every pattern', () => {
    expect(differing(['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '10.*'])).toEqual([]);
  }, 120_000);

  it('are those of the plain run for performance and compression cases (a sample)', () => {
    expect(differing(['9.1.1', '9.3.1', '9.5.1', '9.7.1', '12.1.1', '12.5.3', '13.3.1', '13.7.5'])).toEqual([]);
  }, 120_000);

  it('are simulated with the cuts: a fail-fast peer fails inside the frame that carries the invalid octet', () => {
    // 6.3.1: one text frame with an encoded surrogate in the middle.
    const scenario = selectCases(['6.3.1'])[0]!.scenario();
    const causeOfClose = (e: Expectation): number => e.traces.find((t) => t.strict)!.observations.find((o) => o.kind === 'close')!.cause.afterFrame;
    expect(causeOfClose(computeExpectation(scenario, 'server'))).toBe(1);
    // Cut at every octet, the peer fails before the frame is complete: "after frame 0".
    expect(causeOfClose(computeExpectation({ ...scenario, segmentation: { kind: 'octets' } }, 'server'))).toBe(0);
    // Cut only inside the header, the invalid octet arrives with the rest of the frame.
    expect(causeOfClose(computeExpectation({ ...scenario, segmentation: { kind: 'header' } }, 'server'))).toBe(1);
  });
});
