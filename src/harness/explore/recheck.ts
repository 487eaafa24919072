/**
 * One generated scenario judged against the live target, with its failure
 * checked again: a scenario counts as failing only if every re-run fails too.
 * Timing on a real network is not under wscheck's control; a verdict that
 * changes between runs of the same scenario is reported as flaky instead of
 * being shrunk or blamed on the peer.
 */
import type { CaseResult } from '../result.js';

export type Judgement =
  | { readonly kind: 'pass'; readonly runs: number }
  /** Failed in every one of `runs` runs. */
  | { readonly kind: 'fail'; readonly result: CaseResult; readonly runs: number; readonly verdicts: readonly string[] }
  /** Failed `failed` of `runs` runs. */
  | { readonly kind: 'flaky'; readonly result: CaseResult; readonly runs: number; readonly failed: number; readonly verdicts: readonly string[] }
  /** The oracle could not judge it (a model bug). */
  | { readonly kind: 'unjudged'; readonly message: string; readonly runs: number };

/** The verdict exploration requires: nothing FAILED, the connection ended as it should. */
export function passes(r: CaseResult): boolean {
  const b = r.verdict.behavior;
  const c = r.verdict.behaviorClose;
  return b !== 'FAILED' && (c === 'OK' || c === 'INFORMATIONAL');
}

export function verdictText(r: CaseResult): string {
  return `${r.verdict.behavior}/${r.verdict.behaviorClose}`;
}

/** "failed 3 of 5 runs" */
export function flakyText(failed: number, runs: number, what = 'runs'): string {
  return `failed ${failed} of ${runs} ${what}`;
}

/**
 * Run once; on a failure, run `recheck` more times. Stops re-checking at the
 * first pass (the scenario is then flaky, whatever the rest would say).
 * `run` returns null when the oracle could not judge the scenario.
 */
export async function judgeWithRecheck(run: () => Promise<CaseResult | { unjudged: string }>, recheck: number): Promise<Judgement> {
  const first = await run();
  if ('unjudged' in first) return { kind: 'unjudged', message: first.unjudged, runs: 1 };
  if (passes(first)) return { kind: 'pass', runs: 1 };
  const verdicts = [verdictText(first)];
  for (let k = 0; k < recheck; k++) {
    const again = await run();
    if ('unjudged' in again) return { kind: 'unjudged', message: again.unjudged, runs: verdicts.length + 1 };
    verdicts.push(verdictText(again));
    if (passes(again)) return { kind: 'flaky', result: first, runs: verdicts.length, failed: verdicts.length - 1, verdicts };
  }
  return { kind: 'fail', result: first, runs: verdicts.length, verdicts };
}
