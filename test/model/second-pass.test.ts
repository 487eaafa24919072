/**
 * The oracle takes runs over instead of simulating them again: a policy's
 * first pass from a simulated policy it differs from only in choices that
 * run never met, its second pass (the tester closing once the expected
 * events arrived) from an earlier policy whose first pass was the same run,
 * or from its own first pass when its events finish nothing; and every
 * simulation of a scenario starts from the tester's opening written once.
 * Over thousands of generated scenarios in both roles, with and without
 * handshake variations, permessage-deflate and declared limits, that gives the
 * very expectation simulating every policy twice gives.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/arbitraries/index.js';
import { EXPLORATION_PAUSES, explorationScenario } from '../../src/harness/explore/exploration-case.js';
import { computeExpectation } from '../../src/model/oracle.js';
import { selectCases } from '../../src/cases/catalogue.js';
import { ALL_SEGMENTATIONS, segmentationName } from '../../src/model/segmentation.js';
import type { Role } from '../../src/model/types.js';

const SETS = [
  ['server', {}],
  ['client', {}],
  ['server', { deflate: true }],
  ['client', { opening: 'sometimes' as const }],
  ['server', { limits: { maxMessage: 65536 } }],
  ['client', { corruption: 'always' as const }],
] as const;

describe('runs taken over instead of simulated again', () => {
  it.each(SETS)('give the same expectation (%s, %j)', (role, extra) => {
    let shared = 0;
    for (const g of fc.sample(scenario({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES, ...extra }), { seed: 42, numRuns: 700 })) {
      const s = explorationScenario(g.scenario);
      const fast = computeExpectation(s, role);
      const exact = computeExpectation(s, role, { simulateEveryRun: true });
      expect(isDeepStrictEqual(fast, exact), g.label.summary).toBe(true);
      if (fast.finishWhen !== null && fast.traces.length > new Set(fast.traces.map((t) => JSON.stringify(t.events))).size) shared++;
    }
    // Second passes are taken over at all (policies with the same run are common); with a corruption in
    // every scenario the tester never closes on its own, so there is no second pass.
    if (!('corruption' in extra)) expect(shared).toBeGreaterThan(20);
  }, 120_000);

  it('give the same expectation for the catalogue, plain and chopped (the opening is written, then cut, once)', () => {
    const differing: string[] = [];
    let chopped = 0;
    for (const [k, c] of selectCases(['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '10.*', '9.1.1', '12.1.1', '13.3.1']).entries()) {
      // Each case plain and under one pattern, the patterns taken in turn so that every one meets every category.
      const chop = ALL_SEGMENTATIONS[k % ALL_SEGMENTATIONS.length]!;
      for (const role of ['server', 'client'] as Role[]) {
        for (const scenario of [c.scenario(), { ...c.scenario(), segmentation: chop }]) {
          const fast = computeExpectation(scenario, role);
          if (!isDeepStrictEqual(fast, computeExpectation(scenario, role, { simulateEveryRun: true }))) {
            differing.push(`${c.id} ${role}${scenario.segmentation === undefined ? '' : ` chop ${segmentationName(chop)}`}`);
          }
          if (scenario.segmentation !== undefined) chopped++;
        }
      }
    }
    expect(differing).toEqual([]);
    expect(chopped).toBeGreaterThan(400);
  }, 120_000);

  it('give the same expectation for generated scenarios replayed chopped (the segmenter goes on from the opening)', () => {
    let chopped = 0;
    for (const [role, seed] of [['server', 7], ['client', 8]] as const) {
      for (const [k, g] of fc.sample(scenario({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES }), { seed, numRuns: 400 }).entries()) {
        const s = { ...explorationScenario(g.scenario), segmentation: ALL_SEGMENTATIONS[k % ALL_SEGMENTATIONS.length]! };
        expect(isDeepStrictEqual(computeExpectation(s, role), computeExpectation(s, role, { simulateEveryRun: true })), g.label.summary).toBe(true);
        chopped++;
      }
    }
    expect(chopped).toBe(800);
  }, 120_000);
});
