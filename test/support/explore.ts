/** What a clean exploration looks like, for the tests that expect no false positive. */
import { expect } from 'vitest';
import type { ExploreOutcome } from '../../src/harness/explore/explore.js';

/** No counterexample, nothing flaky, nothing the oracle could not judge, and every one of `scenarios` run. */
export function expectNothingFound(outcome: ExploreOutcome, scenarios: number): void {
  expect(outcome.counterexample?.file.frames.join('\n') ?? null, outcome.counterexample?.file.firstDivergence ?? undefined).toBeNull();
  expect(outcome.flaky.map((f) => f.scenario.label.summary)).toEqual([]);
  expect(outcome.modelErrors).toEqual([]);
  expect(outcome.scenarios).toBe(scenarios);
}
