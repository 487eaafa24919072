/**
 * The oracle alone: milliseconds per generated scenario for
 * `computeExpectation` with its shortcuts (every simulation starting from the
 * tester's opening written once; policies whose choices their run never met,
 * second passes of identical first passes or of events that finish nothing,
 * taken over) and with every run simulated from the start
 * (`simulateEveryRun`), alternating rounds in the same process on the
 * compiled code (`npm run build` first).
 *
 *   npx tsx bench/oracle.ts [--scenarios N] [--rounds R]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import fc from 'fast-check';

if (!existsSync(new URL('../dist/model/oracle.js', import.meta.url))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
const { scenario } = await import('../dist/arbitraries/index.js');
const { EXPLORATION_PAUSES, explorationScenario } = await import('../dist/harness/explore/exploration-case.js');
const { computeExpectation } = await import('../dist/model/oracle.js');

const { values } = parseArgs({ options: { scenarios: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '4' } } });
const N = Number(values.scenarios);
const ROUNDS = Number(values.rounds);

console.log(`oracle bench: ${N} scenarios per role (seed 1), ${ROUNDS} rounds each way, alternating\n`);
console.log('| role | with the shortcuts (ms/scenario) | every run simulated from the start (ms/scenario) | ratio |');
console.log('|---|---|---|---|');
for (const role of ['server', 'client'] as const) {
  const list = fc.sample(scenario({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES }), { seed: 1, numRuns: N }).map((g) => explorationScenario(g.scenario));
  const time = (options: { simulateEveryRun?: boolean }): number => {
    const t = performance.now();
    for (const s of list) computeExpectation(s, role, options);
    return (performance.now() - t) / list.length;
  };
  time({});
  time({ simulateEveryRun: true });
  let fast = 0;
  let every = 0;
  for (let r = 0; r < ROUNDS; r++) {
    fast += time({});
    every += time({ simulateEveryRun: true });
  }
  console.log(`| ${role} | ${(fast / ROUNDS).toFixed(3)} | ${(every / ROUNDS).toFixed(3)} | ${(every / fast).toFixed(2)}× |`);
}
