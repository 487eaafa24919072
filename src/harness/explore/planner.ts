/**
 * Scenarios of the search, planned ahead: generated (fast-check) and given
 * their expectation (the oracle simulates every policy), in order of run
 * index. Both are pure and cost about as much as running the scenario over
 * TCP, so the CLI plans in a worker thread of its own while the tester's
 * thread only runs and judges; in-thread planning generates only, and the
 * harness computes each expectation when the case starts.
 */
import { Worker } from 'node:worker_threads';
import type fc from 'fast-check';
import type { GeneratedScenario, ScenarioConstraints } from '../../arbitraries/index.js';
import type { Expectation } from '../../model/oracle.js';
import { RunCursor } from './fast-check-path.js';

export interface PlannedScenario {
  readonly index: number;
  readonly generated: GeneratedScenario;
  /** The expectation of the exploration case; null: computed when it runs; a string: the oracle's ModelError. */
  readonly expectation: Expectation | string | null;
}

export interface Planner {
  /** The scenario of run `index`. Ask in increasing order (what was asked for before is dropped). */
  plan(index: number): Promise<PlannedScenario>;
  close(): Promise<void>;
}

/** Scenarios generated this many at a time. */
export const PLAN_CHUNK = 32;

/** Plans in the calling thread: generation only, chunk by chunk. */
export function inThreadPlanner(arbitrary: fc.Arbitrary<GeneratedScenario>, seed: number): Planner {
  const cursor = new RunCursor(arbitrary, seed);
  let from = 0;
  let chunk: fc.Value<GeneratedScenario>[] = [];
  return {
    plan: (index) => {
      if (index < from || index >= from + chunk.length) {
        from = index - (index % PLAN_CHUNK);
        chunk = cursor.valuesAt(from, PLAN_CHUNK);
      }
      return Promise.resolve({ index, generated: chunk[index - from]!.value_, expectation: null });
    },
    close: async () => {},
  };
}

/**
 * The heap of a planning thread. Planning (generation and the oracle's
 * simulations) makes many short-lived buffers; with V8's default young
 * generation they cost a scavenge every few scenarios, and a larger one
 * plans faster (docs/performance.md, "In-process", measured with
 * bench/explore.ts, whose in-process lanes use the same limits).
 */
export const PLANNING_HEAP = { maxYoungGenerationSizeMb: 96 } as const;

/** What the planning thread needs (plain data: it crosses to the worker). */
export interface PlannerWorkerData {
  readonly seed: number;
  readonly constraints: ScenarioConstraints;
}

export interface PlanRequest {
  readonly from: number;
  readonly count: number;
}

export interface PlanReply {
  readonly from: number;
  readonly plans: readonly PlannedScenario[];
}

function startWorker(data: PlannerWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./planner-worker.js', import.meta.url), { workerData: data, resourceLimits: PLANNING_HEAP });
  const entry = new URL('./planner-worker.ts', import.meta.url).href;
  return new Worker(new URL('../isolation/tsx-bootstrap.mjs', import.meta.url), { workerData: { ...data, entry }, resourceLimits: PLANNING_HEAP });
}

/**
 * Plans in `threads` worker threads, chunk by chunk in turn, at least
 * `ahead` chunks beyond the latest index asked for (and enough to keep every
 * thread busy). Every chunk is a pure function of the seed and its index, so
 * the plans do not depend on the number of threads. `constraints` must be
 * plain data (no message encoding: its functions cannot cross threads).
 */
export function workerPlanner(constraints: ScenarioConstraints, seed: number, options: { readonly ahead?: number; readonly threads?: number } = {}): Planner {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`planning threads must be a positive integer, got ${threads}`);
  const ahead = Math.max(options.ahead ?? 2, 2 * threads);
  const workers = Array.from({ length: threads }, () => startWorker({ seed, constraints }));
  const chunks = new Map<number, { promise: Promise<PlanReply>; resolve: (r: PlanReply) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  const failAll = (e: Error): void => {
    failure ??= e;
    for (const c of chunks.values()) c.reject(failure);
  };
  for (const worker of workers) {
    worker.on('message', (r: PlanReply) => chunks.get(r.from)?.resolve(r));
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('a planning thread exited')));
  }
  const request = (from: number): void => {
    if (chunks.has(from)) return;
    let resolve!: (r: PlanReply) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<PlanReply>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    chunks.set(from, { promise, resolve, reject });
    if (failure !== null) reject(failure);
    else workers[(from / PLAN_CHUNK) % threads]!.postMessage({ from, count: PLAN_CHUNK } satisfies PlanRequest);
  };
  return {
    plan: async (index) => {
      const from = index - (index % PLAN_CHUNK);
      for (const k of chunks.keys()) if (k + PLAN_CHUNK <= from - PLAN_CHUNK) chunks.delete(k);
      for (let k = 0; k <= ahead; k++) request(from + k * PLAN_CHUNK);
      const reply = await chunks.get(from)!.promise;
      return reply.plans[index - from]!;
    },
    close: async () => {
      for (const worker of workers) worker.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
