/** The thread that plans exploration's scenarios (see planner.ts): generate a chunk, compute each expectation, send it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { scenario } from '../../arbitraries/index.js';
import { ModelError, computeExpectation } from '../../model/oracle.js';
import { explorationScenario } from './exploration-case.js';
import { RunCursor } from './fast-check-path.js';
import type { PlanReply, PlanRequest, PlannedScenario, PlannerWorkerData } from './planner.js';

const data = workerData as PlannerWorkerData;
const arbitrary = scenario(data.constraints);
// Chunks are asked for in increasing order: the cursor carries the random stream from one to the next.
const cursor = new RunCursor(arbitrary, data.seed);
const port = parentPort!;

port.on('message', (m: PlanRequest) => {
  const plans = cursor.valuesAt(m.from, m.count).map((v, k): PlannedScenario => {
    const generated = v.value_;
    let expectation: PlannedScenario['expectation'];
    try {
      expectation = computeExpectation(explorationScenario(generated.scenario), data.constraints.peerRole);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      expectation = e.message;
    }
    return { index: m.from + k, generated, expectation };
  });
  port.postMessage({ from: m.from, plans } satisfies PlanReply);
});
