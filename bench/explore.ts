/**
 * How fast exploration runs and how soon it finds a bug, on the compiled code
 * users run (dist/: `npm run build` first).
 *
 *   npx tsx bench/explore.ts [--runs N] [--model-runs N] [--warmup N] [--seeds 1,2,3] [--budget N] [--bugs SUBSTRING]
 *
 * - over TCP: `--runs` scenarios against builtin:ws as a server and as a
 *   client, as `wscheck explore` runs them (ws in a worker thread of its own,
 *   scenarios planned in another, 8 at a time); ws must pass every one;
 * - in-process: `--model-runs` scenarios with no socket at all: generated,
 *   given their expectation by the oracle (which simulates every policy that
 *   matters), and played once more against the reference peer standing in
 *   for the implementation; in one lane (one core), then in one lane per core
 *   (worker threads, each taking every n-th chunk of runs). Each lane first
 *   runs its share of `--warmup` scenarios of another seed, timed apart as
 *   the cold start: a fresh thread is slower while V8 compiles the model,
 *   which a long exploration pays once;
 * - time to find: for every deliberately broken peer exploration can reach
 *   (src/harness/explore/broken-reach.ts), exploration with each
 *   seed until its first counterexample (re-checks included, no shrinking),
 *   within `--budget` scenarios; the median over the seeds of the scenarios
 *   and seconds it took. The ratio divides those seconds by what as many
 *   scenarios take against ws in the same run: how much of the time is the
 *   bug's own cost (timeouts of a peer that stops answering) rather than
 *   scenarios to get through.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { BrokenBug } from '../dist/harness/targets/broken/index.js';
import type { Role } from '../dist/model/types.js';

if (!existsSync(new URL('../dist/harness/explore/explore.js', import.meta.url))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
const { explore } = await import('../dist/harness/explore/explore.js');
const { explorationConstraints, explorationLimits, unreachableBecause } = await import('../dist/harness/explore/broken-reach.js');
const { startLiveTarget } = await import('../dist/harness/explore/live-target.js');
const { PLANNING_HEAP } = await import('../dist/harness/explore/planner.js');
const { clientBugs, serverBugs } = await import('../dist/harness/targets/broken/index.js');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    'model-runs': { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '3000' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    budget: { type: 'string', default: '3000' },
    bugs: { type: 'string', default: '' },
  },
});
const RUNS = Number(values.runs);
const MODEL_RUNS = Number(values['model-runs']);
const WARMUP = Number(values.warmup);
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

/**
 * Scenarios per second with no sockets, in `lanes` worker threads: generate,
 * expect, and play against the reference peer. Timed from the moment every
 * lane has loaded and warmed up; the warm-up's own rate is the cold start.
 */
interface LaneResult {
  readonly scenarios: number;
  readonly events: number;
  /** Acceptable traces the oracle kept: one per policy whose choices mattered. */
  readonly traces: number;
  /** Milliseconds spent generating, in the oracle, and playing against the reference peer. */
  readonly ms: { readonly generate: number; readonly oracle: number; readonly reference: number };
}

/** Per scenario, in one lane: where the in-process time goes. */
const breakdown = new Map<Role, LaneResult>();

interface Rates {
  /** Scenarios per second once warmed up. */
  readonly warm: number;
  /** Scenarios per second of the warm-up, in threads that had run nothing before. */
  readonly cold: number;
}

async function inProcess(role: Role, lanes: number): Promise<Rates> {
  const workers = Array.from(
    { length: lanes },
    (_, lane) =>
      new Worker(new URL('./support/in-process-lane.mjs', import.meta.url), {
        workerData: { role, seed: SEEDS[0]!, warmupSeed: SEEDS[0]! + 1000, runs: MODEL_RUNS, warmup: WARMUP, lane, lanes },
        resourceLimits: PLANNING_HEAP,
      }),
  );
  try {
    const readies = await Promise.all(
      workers.map((w) => new Promise<{ cold: { scenarios: number; ms: number } }>((resolve, reject) => w.once('message', resolve).once('error', reject))),
    );
    // The lanes warm up side by side; the slowest one sets the pace, as it does below.
    const cold = WARMUP / (Math.max(...readies.map((r) => r.cold.ms)) / 1000);
    const started = performance.now();
    const results = await Promise.all(
      workers.map((w) => new Promise<LaneResult>((resolve, reject) => w.once('message', resolve).once('error', reject).postMessage('go'))),
    );
    if (lanes === 1) breakdown.set(role, results[0]!);
    const seconds = (performance.now() - started) / 1000;
    const scenarios = results.reduce((n, r) => n + r.scenarios, 0);
    if (scenarios !== MODEL_RUNS || results.every((r) => r.events === 0)) {
      throw new Error(`the lanes ran ${scenarios} of ${MODEL_RUNS} scenarios, or the reference peer answered nothing: the in-process figure would be wrong`);
    }
    return { warm: MODEL_RUNS / seconds, cold };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

interface Found {
  readonly runs: number;
  readonly seconds: number;
}

/** First counterexample against one broken peer for one seed, or null within the budget. */
async function timeToFind(bug: BrokenBug, seed: number): Promise<Found | null> {
  const limits = explorationLimits(bug);
  const target = await startLiveTarget(`builtin:broken/${bug.name}`, bug.role, { isolate: true, ...(limits !== undefined ? { limits } : {}) });
  try {
    // As a user would look for it: with the catalogue's limits, --handshake or --deflate where the bug needs them.
    const constraints = explorationConstraints(bug);
    const o = await explore({ target, runs: BUDGET, seed, concurrency: CONCURRENCY, planInWorker: true, maxShrinkRuns: 0, confirm: 0, constraints, ...noReplay });
    return o.found === null ? null : { runs: o.found.runs, seconds: o.found.elapsedMs / 1000 };
  } finally {
    await target.close();
  }
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits);

console.log(
  `exploration bench: ${RUNS} scenarios per role over TCP, ${MODEL_RUNS} in-process after a warm-up of ${WARMUP}, seeds ${SEEDS.join(',')}, budget ${BUDGET}, ${CONCURRENCY} at a time`,
);
const tcp = new Map<Role, number>();
const cores = availableParallelism();
console.log(
  `\n| role | over TCP against builtin:ws | in-process, 1 lane | in-process, ${cores} lanes (one per core) | 1 lane / TCP | cold: the first ${WARMUP}, 1 lane | cold, ${cores} lanes |\n|---|---|---|---|---|---|---|`,
);
for (const role of ROLES) {
  const t = await overTcp(role);
  const one = await inProcess(role, 1);
  const all = await inProcess(role, cores);
  tcp.set(role, t);
  const cold = (r: Rates): string => (WARMUP > 0 ? `${fmt(r.cold)}/s` : '–');
  console.log(`| ${role} | ${fmt(t)}/s | ${fmt(one.warm)}/s | ${fmt(all.warm)}/s | ${fmt(one.warm / t, 1)}× | ${cold(one)} | ${cold(all)} |`);
}

console.log('\n| role | generate (fast-check) | oracle (every policy that matters) | reference run | ms per scenario, 1 lane | policies simulated per scenario |\n|---|---|---|---|---|---|');
for (const [role, { ms, traces }] of breakdown) {
  const per = (x: number): string => (x / MODEL_RUNS).toFixed(3);
  console.log(`| ${role} | ${per(ms.generate)} | ${per(ms.oracle)} | ${per(ms.reference)} | ${per(ms.generate + ms.oracle + ms.reference)} | ${(traces / MODEL_RUNS).toFixed(2)} |`);
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
