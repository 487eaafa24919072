// One lane of the in-process measurement (bench/explore.ts): the exploration
// pipeline with no socket, on the compiled code users run: generate the
// lane's share of the runs (chunks in turn), compute each expectation with the
// oracle, and play the scenario once more against the reference peer standing
// in for the implementation. First its share of `warmup` scenarios from
// another seed (a fresh thread compiles as it goes: those are timed as the cold
// start), then it posts "ready"; on "go" it runs its share of `runs` and
// answers with the scenarios it ran and the events the reference peer gave.
import { parentPort, workerData } from 'node:worker_threads';

const { scenario } = await import('../../dist/arbitraries/index.js');
const { EXPLORATION_PAUSES, explorationScenario } = await import('../../dist/harness/explore/exploration-case.js');
const { RunCursor } = await import('../../dist/harness/explore/fast-check-path.js');
const { PLAN_CHUNK } = await import('../../dist/harness/explore/planner.js');
const { computeExpectation } = await import('../../dist/model/oracle.js');
const { allPolicies } = await import('../../dist/model/policy.js');
const { simulate } = await import('../../dist/model/simulate.js');

const { role, seed, warmupSeed, runs, warmup, lane, lanes } = workerData;
const reference = allPolicies()[0];

function run(cursor, count) {
  let scenarios = 0;
  let events = 0;
  // Acceptable traces the oracle kept (one per policy whose choices mattered), over all scenarios.
  let traces = 0;
  // Milliseconds in each step, for the breakdown per scenario.
  const ms = { generate: 0, oracle: 0, reference: 0 };
  for (let from = lane * PLAN_CHUNK; from < count; from += lanes * PLAN_CHUNK) {
    let t = performance.now();
    const chunk = cursor.valuesAt(from, Math.min(PLAN_CHUNK, count - from));
    ms.generate += performance.now() - t;
    for (const v of chunk) {
      const s = explorationScenario(v.value_.scenario);
      t = performance.now();
      traces += computeExpectation(s, role).traces.length;
      const expected = performance.now();
      events += simulate(s, role, reference, { finishWhen: null }).events.length;
      ms.oracle += expected - t;
      ms.reference += performance.now() - expected;
      scenarios++;
    }
  }
  return { scenarios, events, traces, ms };
}

const arbitrary = scenario({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES });
const started = performance.now();
const cold = run(new RunCursor(arbitrary, warmupSeed), warmup);
const coldMs = performance.now() - started;
parentPort.once('message', () => parentPort.postMessage(run(new RunCursor(arbitrary, seed), runs)));
parentPort.postMessage({ ready: true, cold: { scenarios: cold.scenarios, ms: coldMs } });
