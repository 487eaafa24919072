/**
 * The oracle takes a policy's second pass (the tester closing once the
 * expected events arrived) over from an earlier policy whose first pass was
 * the same run. Over thousands of generated scenarios in both roles, with
 * and without handshake variations and permessage-deflate, that gives the
 * very expectation simulating every second pass gives.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/arbitraries/index.js';
import { EXPLORATION_PAUSES, explorationScenario } from '../../src/harness/explore/exploration-case.js';
import { computeExpectation } from '../../src/model/oracle.js';

const SETS = [
  ['server', {}],
  ['client', {}],
  ['server', { deflate: true }],
  ['client', { opening: 'sometimes' as const }],
] as const;

describe('second passes taken over from an identical first pass', () => {
  it.each(SETS)('give the same expectation (%s, %j)', (role, extra) => {
    let shared = 0;
    for (const g of fc.sample(scenario({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES, ...extra }), { seed: 42, numRuns: 700 })) {
      const s = explorationScenario(g.scenario);
      const fast = computeExpectation(s, role);
      const exact = computeExpectation(s, role, { everySecondPass: true });
      expect(isDeepStrictEqual(fast, exact), g.label.summary).toBe(true);
      if (fast.finishWhen !== null && fast.traces.length > new Set(fast.traces.map((t) => JSON.stringify(t.events))).size) shared++;
    }
    // The shortcut is taken at all (policies with the same run are common).
    expect(shared).toBeGreaterThan(20);
  }, 120_000);
});
