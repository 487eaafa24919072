/**
 * How fast exploration runs and how soon it finds a bug.
 *
 *   npx tsx bench/explore.ts [--runs N] [--model-runs N] [--seeds 1,2,3] [--budget N] [--bugs SUBSTRING]
 *
 * - over TCP: `--runs` scenarios against builtin:ws as a server and as a
 *   client, as `wscheck explore` runs them (ws in a worker thread of its own,
 *   scenarios planned in another, 8 at a time); ws must pass every one;
 * - in-process: the same scenarios with no socket at all: generated, given
 *   their expectation by the oracle (which simulates every policy that
 *   matters), and played once more against the reference peer standing in
 *   for the implementation, one after the other in this thread;
 * - time to find: for every deliberately broken peer exploration can reach
 *   (src/harness/explore/broken-reach.ts), exploration with each
 *   seed until its first counterexample (re-checks included, no shrinking),
 *   within `--budget` scenarios; the median over the seeds of the scenarios
 *   and seconds it took. The ratio divides those seconds by what as many
 *   scenarios take against ws in the same run: how much of the time is the
 *   bug's own cost (timeouts of a peer that stops answering) rather than
 *   scenarios to get through.
 */
import { parseArgs } from 'node:util';
import { scenario as scenarioArbitrary } from '../src/arbitraries/index.js';
import { explore } from '../src/harness/explore/explore.js';
import { EXPLORATION_PAUSES, explorationScenario } from '../src/harness/explore/exploration-case.js';
import { valuesAt } from '../src/harness/explore/fast-check-path.js';
import { unreachableBecause } from '../src/harness/explore/broken-reach.js';
import { startLiveTarget } from '../src/harness/explore/live-target.js';
import { type BrokenBug, clientBugs, serverBugs } from '../src/harness/targets/broken/index.js';
import { computeExpectation } from '../src/model/oracle.js';
import { allPolicies } from '../src/model/policy.js';
import { simulate } from '../src/model/simulate.js';
import type { Role } from '../src/model/types.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    'model-runs': { type: 'string', default: '5000' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    budget: { type: 'string', default: '3000' },
    bugs: { type: 'string', default: '' },
  },
});
const RUNS = Number(values.runs);
const MODEL_RUNS = Number(values['model-runs']);
const SEEDS = values.seeds!.split(',').map(Number);
const BUDGET = Number(values.budget);
const CONCURRENCY = 8;
const ROLES: readonly Role[] = ['server', 'client'];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const noReplay = { replayCommand: (f: string) => f, counterexamplePath: 'bench.json' };

/** Scenarios per second against builtin:ws over loopback TCP, as the CLI runs them. */
async function overTcp(role: Role): Promise<number> {
  const target = await startLiveTarget('builtin:ws', role, { isolate: true });
  try {
    const o = await explore({ target, runs: RUNS, seed: SEEDS[0]!, concurrency: CONCURRENCY, planInWorker: true, ...noReplay });
    if (o.counterexample !== null || o.flaky.length > 0 || o.modelErrors.length > 0) {
      console.log(`  ws ${role}: NOT CLEAN (counterexample ${o.counterexample !== null}, ${o.flaky.length} flaky, ${o.modelErrors.length} unjudged): the rate below is not ws's`);
    }
    return o.scenarios / (o.elapsedMs / 1000);
  } finally {
    await target.close();
  }
}

/** Scenarios per second with no sockets: generate, expect, and play against the reference peer. */
function inProcess(role: Role): number {
  const arbitrary = scenarioArbitrary({ peerRole: role, pauseSeconds: EXPLORATION_PAUSES });
  const reference = allPolicies()[0]!;
  const started = performance.now();
  let events = 0;
  for (const v of valuesAt(arbitrary, SEEDS[0]!, 0, MODEL_RUNS)) {
    const s = explorationScenario(v.value_.scenario);
    computeExpectation(s, role);
    events += simulate(s, role, reference, { finishWhen: null }).events.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (events === 0) throw new Error('the reference peer answered nothing: the in-process figure would measure nothing');
  return MODEL_RUNS / seconds;
}

interface Found {
  readonly runs: number;
  readonly seconds: number;
}

/** First counterexample against one broken peer for one seed, or null within the budget. */
async function timeToFind(bug: BrokenBug, seed: number): Promise<Found | null> {
  const target = await startLiveTarget(`builtin:broken/${bug.name}`, bug.role, { isolate: true });
  try {
    const o = await explore({ target, runs: BUDGET, seed, concurrency: CONCURRENCY, planInWorker: true, maxShrinkRuns: 0, confirm: 0, ...noReplay });
    return o.found === null ? null : { runs: o.found.runs, seconds: o.found.elapsedMs / 1000 };
  } finally {
    await target.close();
  }
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits);

console.log(`exploration bench: ${RUNS} scenarios per role over TCP, ${MODEL_RUNS} in-process, seeds ${SEEDS.join(',')}, budget ${BUDGET}, ${CONCURRENCY} at a time`);
const tcp = new Map<Role, number>();
console.log('\n| role | over TCP against builtin:ws | in-process (model only) | in-process / TCP |\n|---|---|---|---|');
for (const role of ROLES) {
  const t = await overTcp(role);
  const m = inProcess(role);
  tcp.set(role, t);
  console.log(`| ${role} | ${fmt(t)}/s | ${fmt(m)}/s | ${fmt(m / t, 1)}× |`);
}

const bugs = [...serverBugs, ...clientBugs].filter((b) => unreachableBecause(b) === null && `${b.role}/${b.name}`.includes(values.bugs!));
console.log(`\n| broken peer | role | found (of ${SEEDS.length} seeds) | median scenarios | median seconds | seconds / same scenarios against ws |\n|---|---|---|---|---|---|`);
const medians: number[] = [];
for (const bug of bugs) {
  const found: Found[] = [];
  for (const seed of SEEDS) {
    const f = await timeToFind(bug, seed);
    if (f !== null) found.push(f);
  }
  if (found.length === 0) {
    console.log(`| \`${bug.name}\` | ${bug.role} | 0 | not within ${BUDGET} | – | – |`);
    continue;
  }
  const runs = median(found.map((f) => f.runs));
  const seconds = median(found.map((f) => f.seconds));
  if (found.length === SEEDS.length) medians.push(seconds);
  const wsSeconds = runs / tcp.get(bug.role)!;
  console.log(`| \`${bug.name}\` | ${bug.role} | ${found.length} | ${runs} | ${fmt(seconds, 2)} | ${fmt(seconds / wsSeconds, 1)}× |`);
}
if (medians.length > 0) console.log(`\nmedian over the peers found with every seed: ${fmt(median(medians), 2)} s (slowest ${fmt(Math.max(...medians), 2)} s)`);
process.exit(0);
