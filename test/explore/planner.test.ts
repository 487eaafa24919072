/**
 * Planning: the scenarios and their expectations are a function of the seed
 * and the run index alone, however many threads plan them, and the cursor
 * that keeps fast-check's random stream between chunks gives exactly the
 * values fast-check's own runner gives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scenario } from '../../src/arbitraries/index.js';
import { EXPLORATION_PAUSES, explorationScenario } from '../../src/harness/explore/exploration-case.js';
import { RunCursor, valuesAt } from '../../src/harness/explore/fast-check-path.js';
import { type Planner, PLAN_CHUNK, inThreadPlanner, workerPlanner } from '../../src/harness/explore/planner.js';
import { computeExpectation } from '../../src/model/oracle.js';

const constraints = { peerRole: 'server' as const, pauseSeconds: EXPLORATION_PAUSES };
const SEED = 77;

describe('the run cursor', () => {
  it("gives fast-check's values for every run, asked in increasing order, for int32 seeds and larger ones", () => {
    const arbitrary = scenario(constraints);
    for (const seed of [SEED, 0, -5, 0xfedcba98]) {
      const cursor = new RunCursor(arbitrary, seed);
      expect(cursor.followsFastCheck).toBe(true);
      // Gaps, a restart below the current run, and runs past 1000 (where the bias grows).
      for (const [from, count] of [[0, 4], [4, 3], [40, 2], [7, 2], [1500, 3]] as const) {
        expect(cursor.valuesAt(from, count).map((v) => v.value_)).toEqual(valuesAt(arbitrary, seed, from, count).map((v) => v.value_));
      }
    }
  });
});

describe('planning threads', () => {
  const planners: Planner[] = [];
  afterEach(async () => {
    await Promise.all(planners.map((p) => p.close()));
    planners.length = 0;
  });

  it('plan the same scenarios, with the expectations the oracle gives in this thread, with one thread or three', async () => {
    const here = inThreadPlanner(scenario(constraints), SEED);
    const one = workerPlanner(constraints, SEED, { threads: 1 });
    const three = workerPlanner(constraints, SEED, { threads: 3 });
    planners.push(here, one, three);
    // Past several chunks, so that every one of the three threads planned some.
    for (let index = 0; index < 4 * PLAN_CHUNK; index += 5) {
      const [a, b, c] = await Promise.all([here.plan(index), one.plan(index), three.plan(index)]);
      expect(b.generated.scenario).toEqual(a.generated.scenario);
      expect(c.generated.scenario).toEqual(a.generated.scenario);
      const expected = computeExpectation(explorationScenario(a.generated.scenario), 'server');
      expect(b.expectation).toEqual(expected);
      expect(c.expectation).toEqual(expected);
    }
  }, 60_000);

  it('refuses a number of threads that is not a positive whole number', () => {
    expect(() => workerPlanner(constraints, SEED, { threads: 0 })).toThrow(/positive integer, got 0/);
  });
});
