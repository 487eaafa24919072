/**
 * Exploration: fast-check generates scenarios, each runs against the live
 * implementation and is judged by the oracle; the first failure is shrunk to
 * the smallest scenario that still fails. Every failing run is checked again
 * before it counts (shrinking must not chase timing), and a scenario whose
 * verdict changes between runs is reported as flaky rather than used.
 *
 * Scenarios run `concurrency` at a time, each on its own connection, and the
 * answer does not depend on how many: the search returns the first failing
 * run in fast-check's order and every shrink round the first failing
 * candidate in fast-check's order (first-failure.ts), exactly what fast-check
 * itself would find running them one by one. A seed and path replay the
 * counterexample under fast-check too (fast-check-path.ts).
 */
import type fc from 'fast-check';
import { type GeneratedScenario, type ScenarioConstraints, scenario as scenarioArbitrary } from '../../arbitraries/index.js';
import type { CaseDefinition } from '../../cases/types.js';
import { describeScenario } from '../../model/describe.js';
import { ModelError } from '../../model/oracle.js';
import { rememberExpectation } from '../assemble.js';
import type { CaseResult } from '../result.js';
import { COUNTEREXAMPLE_FORMAT, type CounterexampleFile, encodeScenario } from './counterexample.js';
import { EXPLORATION_PAUSES, explorationCase } from './exploration-case.js';
import { shrinkCandidates, valueAtPath, valuesAt } from './fast-check-path.js';
import { type Found, Lanes, firstFailure } from './first-failure.js';
import type { LiveTarget } from './live-target.js';
import { type PlannedScenario, type Planner, inThreadPlanner, workerPlanner } from './planner.js';
import { type Judgement, flakyText, judgeWithRecheck, passes } from './recheck.js';

export { passes } from './recheck.js';
export { EXPLORATION_PAUSES, explorationCase } from './exploration-case.js';

export interface ExploreOptions {
  readonly target: LiveTarget;
  /** Scenarios to try before declaring victory (re-checks and shrinking come on top). */
  readonly runs: number;
  readonly seed?: number;
  /** fast-check path, to start from a known counterexample (it is run, then shrunk further). */
  readonly path?: string;
  /** Stop generating after this many seconds (shrinking a failure found in time still finishes). */
  readonly timeLimitSeconds?: number;
  readonly constraints?: Omit<ScenarioConstraints, 'peerRole'>;
  /** Extra runs that must fail too before a failure counts, during the search and at every shrink step (default 2). */
  readonly recheck?: number;
  /** Runs of the shrunk counterexample at the end; if not all fail, it is reported as flaky (default 5). */
  readonly confirm?: number;
  /** Most runs spent shrinking (default 3000); the smallest failing scenario so far is kept. */
  readonly maxShrinkRuns?: number;
  /** The replay command for a counterexample file at this path. */
  readonly replayCommand: (file: string) => string;
  /** Where the counterexample will be written (for its replay command). */
  readonly counterexamplePath: string;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Scenarios run at once, each on its own connection (default 1). The outcome does not depend on it. */
  readonly concurrency?: number;
  /**
   * Generate the search's scenarios and compute their expectations in a
   * worker thread, ahead of the runs (default false; the CLI does). Needs
   * constraints that are plain data (no message `encoding`).
   */
  readonly planInWorker?: boolean;
  /**
   * Planning threads when planning in workers (default 1). More help when
   * the implementation answers faster than one thread plans (a native server
   * on a machine with cores to spare); the scenarios are the same.
   */
  readonly planners?: number;
}

/**
 * The seed of the masking keys of search run `index` (never 0): each run its
 * own keys, as a real client's, yet the same in every run of it.
 */
export function searchMaskSeed(baseSeed: number, index: number): number {
  return (Math.imul(baseSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0 || 1;
}

/** The peer did not agree to permessage-deflate in a scenario that asked for it. */
export class DeflateDeclinedError extends Error {
  override readonly name = 'DeflateDeclinedError';
  constructor(target: string, role: 'server' | 'client') {
    super(
      role === 'server'
        ? `${target} declined permessage-deflate; enable it in the server (e.g. perMessageDeflate for ws) or explore without --deflate`
        : `${target} did not offer permessage-deflate; enable it in the client or explore without --deflate`,
    );
  }
}

/** Milliseconds between the pieces of a counterexample whose failure depends on the peer reading them apart. */
const SPACED_PIECES_MS = 5;

export interface ExploreProgress {
  /** Connections run so far: scenarios, re-checks and shrink candidates. */
  readonly runs: number;
  /** Generated scenarios judged (the search). */
  readonly scenarios: number;
  /** Shrink steps taken (each made the counterexample smaller). */
  readonly shrinkSteps: number;
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
  readonly shrinking: boolean;
  readonly elapsedMs: number;
  /** Runs per second of wall-clock time. */
  readonly scenariosPerSecond: number;
}

export interface Flaky {
  readonly scenario: GeneratedScenario;
  /** fast-check path of the scenario. */
  readonly path: string;
  readonly verdicts: readonly string[];
  readonly failed: number;
  readonly runs: number;
  /** A failing run of it. */
  readonly result: CaseResult;
}

export interface ExploreOutcome {
  readonly runs: number;
  /** Generated scenarios judged by the search. */
  readonly scenarios: number;
  readonly shrinkSteps: number;
  readonly shrinkRuns: number;
  /** Shrink candidates that failed only in some of their runs (not shrunk into). */
  readonly flakyShrinkCandidates: number;
  readonly elapsedMs: number;
  readonly scenariosPerSecond: number;
  readonly seed: number;
  readonly concurrency: number;
  /** The time limit stopped the search before `runs` scenarios. */
  readonly interrupted: boolean;
  /** Scenarios of the search whose verdict changed between runs, in search order. */
  readonly flaky: readonly Flaky[];
  /** Scenarios the oracle could not judge (a model bug: please report). */
  readonly modelErrors: readonly string[];
  /** Search position (scenarios judged, counting the failing one) and time of the first failure. */
  readonly found: { readonly runs: number; readonly elapsedMs: number } | null;
  readonly counterexample: { readonly file: CounterexampleFile; readonly result: CaseResult; readonly scenario: GeneratedScenario } | null;
}

/** Run indices `0 … until - 1`. */
function* indices(until: number): Generator<number> {
  for (let k = 0; k < until; k++) yield k;
}

export async function explore(o: ExploreOptions): Promise<ExploreOutcome> {
  const started = performance.now();
  const recheck = o.recheck ?? 2;
  const lanes = new Lanes(Math.max(1, Math.floor(o.concurrency ?? 1)));
  const baseSeed = o.seed ?? ((Date.now() ^ 0x5bd1e995) >>> 0);
  const constraints: ScenarioConstraints = { peerRole: o.target.peerRole, pauseSeconds: EXPLORATION_PAUSES, ...o.constraints };
  const arbitrary = scenarioArbitrary(constraints);
  const replay = o.replayCommand(o.counterexamplePath);
  const maxShrinkRuns = o.maxShrinkRuns ?? 3000;

  let runs = 0;
  let scenarios = 0;
  let shrinkSteps = 0;
  let shrinkRuns = 0;
  let shrinking = false;
  let flakyShrinkCandidates = 0;
  const flaky: Flaky[] = [];
  const modelErrors: string[] = [];

  const elapsed = () => performance.now() - started;
  const rate = () => runs / Math.max(elapsed() / 1000, 1e-3);
  const progress = (): void => {
    o.onProgress?.({ runs, scenarios, shrinkSteps, shrinkRuns, shrinking, elapsedMs: elapsed(), scenariosPerSecond: rate() });
  };

  // One case per scenario, so that its re-checks find the expectation already computed.
  const cases = new WeakMap<GeneratedScenario, CaseDefinition>();
  const caseOf = (g: GeneratedScenario): CaseDefinition => {
    let c = cases.get(g);
    if (c === undefined) {
      c = explorationCase(g.scenario, g.label.summary);
      cases.set(g, c);
    }
    return c;
  };

  const runOnce = async (g: GeneratedScenario): Promise<CaseResult | { unjudged: string }> => {
    runs++;
    if (shrinking) shrinkRuns++;
    try {
      const result = await o.target.run(caseOf(g), replay);
      // Every scenario asks for the extension: one that is declined would pass without testing anything.
      if (g.scenario.deflate !== undefined && result.verdict.behavior === 'UNIMPLEMENTED') throw new DeflateDeclinedError(o.target.name, o.target.peerRole);
      return result;
    } catch (e) {
      if (e instanceof ModelError) return { unjudged: `${e.message}: ${g.label.summary}` };
      throw e;
    } finally {
      progress();
    }
  };
  // Every run of one scenario masks with the same keys: its re-checks, its shrink candidates and its
  // confirmations then differ from it in nothing but timing (a peer may misread some key octets only).
  const keyedCache = new WeakMap<GeneratedScenario, GeneratedScenario>();
  const keyed = (g: GeneratedScenario, maskSeed: number): GeneratedScenario => {
    let k = keyedCache.get(g);
    if (k === undefined || k.scenario.maskSeed !== maskSeed) {
      k = { ...g, scenario: { ...g.scenario, maskSeed } };
      keyedCache.set(g, k);
    }
    return k;
  };
  let shrinkSeed = 0;
  const judge = (v: fc.Value<GeneratedScenario>): Promise<Judgement> => judgeWithRecheck(() => runOnce(keyed(v.value_, shrinkSeed)), recheck);
  const judgePlanned = async (p: PlannedScenario, index: number): Promise<{ scenario: GeneratedScenario; judgement: Judgement }> => {
    const g = keyed(p.generated, searchMaskSeed(baseSeed, index));
    if (typeof p.expectation === 'string') return { scenario: g, judgement: { kind: 'unjudged', message: `${p.expectation}: ${p.generated.label.summary}`, runs: 0 } };
    if (p.expectation !== null) rememberExpectation(caseOf(g), o.target.peerRole, p.expectation);
    return { scenario: g, judgement: await judgeWithRecheck(() => runOnce(g), recheck) };
  };
  const failed = (j: Judgement) => j.kind === 'fail';
  const noteUnjudged = (j: Judgement): void => {
    if (j.kind === 'unjudged') modelErrors.push(j.message);
  };

  // The search: runs 0, 1, 2, … in fast-check's order, or the scenario a given path leads to.
  const timeUp = () => o.timeLimitSeconds !== undefined && elapsed() >= o.timeLimitSeconds * 1000;
  const searchFlaky: { index: number; flaky: Flaky }[] = [];
  let found: Found<fc.Value<GeneratedScenario>, Judgement> | null = null;
  let startPath: number[];
  let interrupted = false;
  const planner: Planner = o.planInWorker === true && constraints.encoding === undefined ? workerPlanner(constraints, baseSeed, { threads: o.planners ?? 1 }) : inThreadPlanner(arbitrary, baseSeed);
  try {
    if (o.path !== undefined) {
      const start = valueAtPath(arbitrary, baseSeed, o.path);
      startPath = o.path.split(':').map(Number);
      shrinkSeed = searchMaskSeed(baseSeed, startPath[0]!);
      found = await firstFailure([start][Symbol.iterator](), { lanes, judge, failed });
      scenarios = 1;
      noteUnjudged(found?.judgement ?? { kind: 'pass', runs: 0 });
    } else {
      const hit = await firstFailure(indices(o.runs), {
        lanes,
        judge: async (index: number) => {
          return judgePlanned(await planner.plan(index), index);
        },
        failed: (j) => failed(j.judgement),
        stop: () => {
          if (!timeUp()) return false;
          interrupted = true;
          return true;
        },
        onJudged: ({ scenario: g, judgement: j }, index) => {
          scenarios++;
          noteUnjudged(j);
          if (j.kind === 'flaky') {
            searchFlaky.push({ index, flaky: { scenario: g, path: String(index), verdicts: j.verdicts, failed: j.failed, runs: j.runs, result: j.result } });
          }
        },
      });
      // Shrinking needs fast-check's own value of the failing run (with its shrink context).
      if (hit !== null) {
        found = { index: hit.index, item: valuesAt(arbitrary, baseSeed, hit.index, 1)[0]!, judgement: hit.judgement.judgement };
        shrinkSeed = searchMaskSeed(baseSeed, hit.index);
      }
      startPath = found === null ? [] : [found.index];
      // Scenarios after the failing one may have run in other lanes; they do not count as searched.
      if (found !== null) scenarios = found.index + 1;
    }
    if (found !== null) {
      for (const f of searchFlaky) if (f.index < found.index) flaky.push(f.flaky);
    } else {
      flaky.push(...searchFlaky.sort((a, b) => a.index - b.index).map((f) => f.flaky));
    }
    const foundAt = found === null ? null : { runs: found.index + 1, elapsedMs: elapsed() };

    let counterexample: ExploreOutcome['counterexample'] = null;
    if (found !== null && found.judgement.kind === 'fail') {
      // Shrinking: each round takes the first candidate, in fast-check's order, that fails every re-check.
      shrinking = true;
      let current = found.item;
      let result = found.judgement.result;
      const path = [...startPath];
      for (;;) {
        const step = await firstFailure(shrinkCandidates(arbitrary, current), {
          lanes,
          judge,
          failed,
          stop: () => shrinkRuns >= maxShrinkRuns,
          onJudged: (j) => {
            noteUnjudged(j);
            if (j.kind === 'flaky') flakyShrinkCandidates++;
          },
        });
        if (step === null || step.judgement.kind !== 'fail') break;
        current = step.item;
        result = step.judgement.result;
        path.push(step.index);
        shrinkSteps++;
      }
      shrinking = false;

      // The shrunk scenario, run again: a counterexample that does not fail every time says so.
      const confirmRuns = Math.max(0, o.confirm ?? 5);
      // With the keys it failed with, which the file keeps: a bug that depends on the key octets replays.
      const confirm = async (candidate: GeneratedScenario): Promise<{ failed: number; scenario: GeneratedScenario }> => {
        let failed = 0;
        for (let k = 0; k < confirmRuns; k++) {
          const r = await runOnce(candidate);
          if (!('unjudged' in r) && !passes(r)) failed++;
        }
        return { failed, scenario: candidate };
      };
      const shrunk = keyed(current.value_, shrinkSeed);
      let confirmation = await confirm(shrunk);
      // A bug that shows only when the peer reads the tester's pieces apart depends on how busy its event loop
      // is; with the pieces further apart it shows reliably, and the file keeps that gap for its replays. Also
      // when the pieces as written failed every re-run: a replay on a busier machine may find them joined.
      const written = shrunk.label;
      if (written.cuts > 0 || written.choppedFrames > 0) {
        const spaced = await confirm({ ...shrunk, scenario: { ...shrunk.scenario, pieceIntervalMs: SPACED_PIECES_MS } });
        if (spaced.failed >= confirmation.failed) confirmation = spaced;
      }
      const g = confirmation.scenario;
      const confirmed = confirmation.failed;
      counterexample = {
        scenario: g,
        result,
        file: {
          format: COUNTEREXAMPLE_FORMAT,
          version: 1,
          target: o.target.name,
          role: o.target.peerRole,
          seed: baseSeed,
          path: path.join(':'),
          label: g.label.summary,
          behavior: result.verdict.behavior,
          behaviorClose: result.verdict.behaviorClose,
          firstDivergence: result.verdict.firstDivergence,
          frames: describeScenario(g.scenario),
          replay,
          ...(confirmRuns > 0 ? { reruns: { runs: confirmRuns, failed: confirmed } } : {}),
          ...(confirmed < confirmRuns ? { flaky: flakyText(confirmed, confirmRuns, 're-runs') } : {}),
          ...(o.target.exec !== undefined ? { exec: o.target.exec } : {}),
          scenario: encodeScenario(g.scenario),
        },
      };
    }
    await lanes.idle();
    progress();
    return {
      runs,
      scenarios,
      shrinkSteps,
      shrinkRuns,
      flakyShrinkCandidates,
      elapsedMs: elapsed(),
      scenariosPerSecond: rate(),
      seed: baseSeed,
      concurrency: lanes.size,
      interrupted,
      flaky,
      modelErrors,
      found: foundAt,
      counterexample,
    };
  } catch (e) {
    await lanes.idle();
    throw e;
  } finally {
    await planner.close();
  }
}

/** A flaky scenario of the search as a counterexample file (not shrunk: it does not fail reliably). */
export function flakyCounterexample(o: Pick<ExploreOptions, 'target' | 'replayCommand' | 'counterexamplePath'>, seed: number, f: Flaky): CounterexampleFile {
  const r = f.result;
  return {
    format: COUNTEREXAMPLE_FORMAT,
    version: 1,
    target: o.target.name,
    role: o.target.peerRole,
    seed,
    path: f.path,
    label: f.scenario.label.summary,
    behavior: r.verdict.behavior,
    behaviorClose: r.verdict.behaviorClose,
    firstDivergence: r.verdict.firstDivergence,
    frames: describeScenario(f.scenario.scenario),
    replay: o.replayCommand(o.counterexamplePath),
    reruns: { runs: f.runs, failed: f.failed },
    flaky: flakyText(f.failed, f.runs),
    ...(o.target.exec !== undefined ? { exec: o.target.exec } : {}),
    scenario: encodeScenario(f.scenario.scenario),
  };
}
