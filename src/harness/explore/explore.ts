/**
 * Exploration: fast-check generates scenarios, each runs against the live
 * implementation and is judged by the oracle; the first failure is shrunk to
 * the smallest scenario that still fails. Every failing run is checked again
 * before it counts (shrinking must not chase timing), and a scenario whose
 * verdict changes between runs is reported as flaky rather than used.
 */
import fc from 'fast-check';
import { type GeneratedScenario, type ScenarioConstraints, scenario as scenarioArbitrary } from '../../arbitraries/index.js';
import type { CaseDefinition } from '../../cases/types.js';
import { describeScenario } from '../../model/describe.js';
import type { Scenario } from '../../model/scenario.js';
import { ModelError } from '../../model/oracle.js';
import type { CaseResult } from '../result.js';
import { COUNTEREXAMPLE_FORMAT, type CounterexampleFile, encodeScenario } from './counterexample.js';
import type { LiveTarget } from './live-target.js';

export interface ExploreOptions {
  readonly target: LiveTarget;
  /** Scenarios to try before declaring victory (shrinking runs come on top). */
  readonly runs: number;
  readonly seed?: number;
  /** fast-check path, to start from a known counterexample. */
  readonly path?: string;
  /** Stop generating after this many seconds (shrinking a failure found in time still finishes). */
  readonly timeLimitSeconds?: number;
  readonly constraints?: Omit<ScenarioConstraints, 'peerRole'>;
  /** Extra runs that must fail too before a failure counts (default 2). */
  readonly recheck?: number;
  /** The replay command for a counterexample file at this path. */
  readonly replayCommand: (file: string) => string;
  /** Where the counterexample will be written (for its replay command). */
  readonly counterexamplePath: string;
  readonly onProgress?: (p: ExploreProgress) => void;
  /**
   * Scenarios run at once (default 1). Each lane is its own fast-check run
   * with a seed derived from `seed`; the first lane to fail is shrunk while
   * the others stop, and the counterexample records that lane's seed and path.
   */
  readonly concurrency?: number;
}

export interface ExploreProgress {
  readonly runs: number;
  readonly shrinkSteps: number;
  readonly shrinking: boolean;
  readonly elapsedMs: number;
  readonly scenariosPerSecond: number;
}

export interface Flaky {
  readonly scenario: GeneratedScenario;
  readonly verdicts: readonly string[];
}

export interface ExploreOutcome {
  readonly runs: number;
  readonly shrinkSteps: number;
  readonly elapsedMs: number;
  readonly scenariosPerSecond: number;
  readonly seed: number;
  readonly interrupted: boolean;
  readonly flaky: readonly Flaky[];
  /** Scenarios the oracle could not judge (a model bug: please report). */
  readonly modelErrors: readonly string[];
  /** Runs until the first failure, and time to it. */
  readonly found: { readonly runs: number; readonly elapsedMs: number } | null;
  readonly counterexample: { readonly file: CounterexampleFile; readonly result: CaseResult; readonly scenario: GeneratedScenario } | null;
}

/** The verdict exploration requires: nothing FAILED, the connection ended as it should. */
export function passes(r: CaseResult): boolean {
  const b = r.verdict.behavior;
  const c = r.verdict.behaviorClose;
  return b !== 'FAILED' && (c === 'OK' || c === 'INFORMATIONAL');
}

function verdictText(r: CaseResult): string {
  return `${r.verdict.behavior}/${r.verdict.behaviorClose}`;
}

/** A generated scenario as a case the harness can run. */
export function explorationCase(generated: Scenario, summary: string): CaseDefinition {
  const scenario: Scenario = { ...generated, finish: 'complete' };
  return {
    id: 'explore',
    category: 'explore',
    categoryTitle: 'Exploration',
    subcategory: 'explore',
    subcategoryTitle: null,
    description: summary,
    expectation: 'Whatever a conforming peer may do: the oracle computes it.',
    scenario: () => scenario,
  };
}

export async function explore(o: ExploreOptions): Promise<ExploreOutcome> {
  const started = performance.now();
  const recheck = o.recheck ?? 2;
  let runs = 0;
  let shrinkSteps = 0;
  let shrinking = false;
  let found: ExploreOutcome['found'] = null;
  const flaky: Flaky[] = [];
  const modelErrors: string[] = [];
  const results = new WeakMap<GeneratedScenario, CaseResult>();
  const replay = o.replayCommand(o.counterexamplePath);

  const progress = (): void => {
    const elapsedMs = performance.now() - started;
    o.onProgress?.({ runs, shrinkSteps, shrinking, elapsedMs, scenariosPerSecond: runs / Math.max(elapsedMs / 1000, 1e-3) });
  };

  const runOnce = async (g: GeneratedScenario): Promise<CaseResult | null> => {
    runs++;
    if (shrinking) shrinkSteps++;
    try {
      const r = await o.target.run(explorationCase(g.scenario, g.label.summary), replay);
      progress();
      return r;
    } catch (e) {
      if (e instanceof ModelError) {
        modelErrors.push(`${e.message}: ${g.label.summary}`);
        return null;
      }
      throw e;
    }
  };

  // Short pauses: on loopback a few milliseconds let the peer act on what it got.
  const constraints: ScenarioConstraints = { peerRole: o.target.peerRole, pauseSeconds: [0.005, 0.02, 0.05], ...o.constraints };
  const arbitrary = scenarioArbitrary(constraints);
  const lanes = o.path !== undefined ? 1 : Math.max(1, o.concurrency ?? 1);
  const baseSeed = o.seed ?? ((Date.now() ^ 0x5bd1e995) >>> 0);
  let failingLane: number | null = null;

  const property = (lane: number) => fc.asyncProperty(arbitrary, async (g) => {
    // Another lane found a failure: finish this one quickly.
    if (failingLane !== null && failingLane !== lane) return true;
    const first = await runOnce(g);
    if (first === null || passes(first)) return true;
    const verdicts = [verdictText(first)];
    for (let k = 0; k < recheck; k++) {
      const again = await runOnce(g);
      if (again === null) return true;
      verdicts.push(verdictText(again));
      if (passes(again)) {
        flaky.push({ scenario: g, verdicts });
        return true;
      }
    }
    if (failingLane !== null && failingLane !== lane) return true;
    results.set(g, first);
    if (found === null) {
      found = { runs, elapsedMs: performance.now() - started };
      shrinking = true;
      failingLane = lane;
    }
    return false;
  });

  const laneSeed = (lane: number) => (baseSeed + Math.imul(lane, 0x9e3779b9)) >>> 0;
  const all = await Promise.all(
    Array.from({ length: lanes }, (_, lane) =>
      fc.check(property(lane), {
        numRuns: Math.ceil(o.runs / lanes),
        seed: laneSeed(lane),
        ...(o.path !== undefined ? { path: o.path } : {}),
        ...(o.timeLimitSeconds !== undefined ? { interruptAfterTimeLimit: o.timeLimitSeconds * 1000, markInterruptAsFailure: false } : {}),
      }),
    ),
  );
  const details = all.find((d) => d.failed) ?? all[0]!;
  const elapsedMs = performance.now() - started;
  let counterexample: ExploreOutcome['counterexample'] = null;
  if (details.failed && details.counterexample !== null) {
    const [g] = details.counterexample;
    const result = results.get(g);
    // A property that threw (not a failed verdict) is a wscheck error, not a counterexample.
    if (result === undefined) throw details.errorInstance instanceof Error ? details.errorInstance : new Error('exploration failed without a judged run');
    counterexample = {
      scenario: g,
      result,
      file: {
        format: COUNTEREXAMPLE_FORMAT,
        version: 1,
        target: o.target.name,
        role: o.target.peerRole,
        seed: details.seed,
        path: details.counterexamplePath ?? '',
        label: g.label.summary,
        behavior: result.verdict.behavior,
        behaviorClose: result.verdict.behaviorClose,
        firstDivergence: result.verdict.firstDivergence,
        frames: describeScenario(g.scenario),
        replay,
        scenario: encodeScenario(g.scenario),
      },
    };
  }
  return {
    runs,
    shrinkSteps,
    elapsedMs,
    scenariosPerSecond: runs / Math.max(elapsedMs / 1000, 1e-3),
    seed: baseSeed,
    interrupted: all.some((d) => d.interrupted),
    flaky,
    modelErrors,
    found,
    counterexample,
  };
}
