/**
 * Verdicts around the frames: the opening handshake of a scenario that
 * varies it (the answer or reaction observed against the ones conforming
 * peers give, and for hostile heads the time the answer took against a
 * baseline), and the liveness probe after a case (P1). What follows an
 * upgrade is judged by the ordinary rules (verdict.ts).
 */
import type { Observation } from './events.js';
import type { AnswerTiming } from './handshake-variation.js';
import { type OpeningOutcome, describeOutcome } from './opening-outcome.js';
import { type AcceptableOpening, describePattern, matchesPattern } from './opening-policy.js';
import type { Expectation } from './oracle.js';
import type { VerdictRules } from './scenario.js';
import type { ObservedRun, Verdict } from './verdict.js';
import { describeObservation } from './verdict.js';

/**
 * The time a server took to answer a hostile head, and the same server
 * answering the baseline head, measured in the same run.
 */
export interface AnswerTimingObservation {
  /** Milliseconds from the last octet of the head to the answer (null: no answer before the tester gave up). */
  readonly answerMs: number | null;
  /** The baseline head answered (median of several). */
  readonly baselineMs: number;
  /** Both measured again, only when the first answer was over its budget. */
  readonly recheck: { readonly answerMs: number | null; readonly baselineMs: number } | null;
}

/** What the tester observed of the opening handshake of a scenario that varies it. */
export interface OpeningObservation {
  readonly outcome: OpeningOutcome;
  readonly timing?: AnswerTimingObservation | null;
}

/** The liveness probe after a case (P1): did a new connection open and echo? */
export interface LivenessObservation {
  readonly ok: boolean;
  /** What happened, in words ("connection refused", "echoed in 3 ms"). */
  readonly detail: string;
}

/** The longest a server may take for a hostile head: `factor` times the baseline, and never less than the floor. */
export function answerBudgetMs(t: AnswerTiming, baselineMs: number): number {
  return Math.max(t.factor * baselineMs, t.floorMs);
}

function over(t: AnswerTiming, answerMs: number | null, baselineMs: number): boolean {
  return answerMs === null || answerMs > answerBudgetMs(t, baselineMs);
}

/**
 * Too slow: over budget, and over budget again when measured a second time
 * (one stall of a loaded machine must not fail a case; a server that is
 * slow by construction is slow twice). No answer at all is judged by the
 * outcome (silence), not here.
 */
export function tooSlow(t: AnswerTiming, o: AnswerTimingObservation): boolean {
  if (o.answerMs === null || !over(t, o.answerMs, o.baselineMs)) return false;
  return o.recheck !== null && over(t, o.recheck.answerMs, o.recheck.baselineMs);
}

const ms = (n: number | null): string => (n === null ? 'no answer' : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`);

/** The measurement in words, for the divergence and the report. */
export function describeTiming(t: AnswerTiming, o: AnswerTimingObservation): string {
  const ratio = o.answerMs !== null && o.baselineMs > 0 ? `, ${Math.round(o.answerMs / o.baselineMs)}×` : '';
  const first = `answered in ${ms(o.answerMs)}${ratio} the ${ms(o.baselineMs)} of a ${t.baseline === 'same-size' ? 'benign head of the same size' : 'plain request'} (budget ${t.factor}× and at least ${t.floorMs} ms: ${ms(answerBudgetMs(t, o.baselineMs))})`;
  if (o.recheck === null) return first;
  return `${first}; measured again: ${ms(o.recheck.answerMs)} against ${ms(o.recheck.baselineMs)} (budget ${ms(answerBudgetMs(t, o.recheck.baselineMs))})`;
}

function firstMatch(acceptable: readonly AcceptableOpening[], o: OpeningOutcome, role: 'server' | 'client'): AcceptableOpening | undefined {
  return acceptable.find((a) => a.strict && matchesPattern(o, a.pattern, role)) ?? acceptable.find((a) => !a.strict && matchesPattern(o, a.pattern, role));
}

function observedInWords(o: OpeningOutcome, role: 'server' | 'client', observations: readonly Observation[]): string {
  const first = observations[0];
  if (role === 'client' && o.kind === 'upgraded' && first !== undefined) return `observed ${describeObservation(first)} (the client took the connection as open)`;
  return describeOutcome(o, role);
}

/**
 * Judge a run whose scenario varies the opening handshake; `frames` judges
 * what follows an upgrade (the ordinary rules).
 */
export function judgeOpening(expectation: Expectation, rules: VerdictRules, observed: ObservedRun, frames: (e: Expectation, r: VerdictRules, o: ObservedRun) => Verdict): Verdict {
  const opening = expectation.opening!;
  const role = opening.peerRole;
  const outcome: OpeningOutcome = observed.opening?.outcome ?? (observed.opened ? { kind: 'upgraded', protocol: null, extensions: [] } : { kind: 'closed' });
  const seen = observedInWords(outcome, role, observed.observations);
  const timing = observed.opening?.timing ?? null;
  const slow = opening.timing !== null && timing !== null && tooSlow(opening.timing, timing);
  const slowText = slow && opening.timing !== null && timing !== null ? `the server ${describeTiming(opening.timing, timing)}` : null;
  const failed = (divergence: string): Verdict => ({
    behavior: 'FAILED',
    behaviorClose: 'FAILED',
    result: `Opening handshake: ${divergence}`,
    resultClose: seen,
    matched: null,
    firstDivergence: divergence,
    policyMatched: null,
  });

  if (rules.informational) {
    // The RFC leaves the answer open; only silence says something (the server hung).
    if (outcome.kind === 'silent' && role === 'server') return failed(`expected an answer; ${seen}`);
    if (slowText !== null) return failed(slowText);
    return { behavior: 'INFORMATIONAL', behaviorClose: 'INFORMATIONAL', result: `Actual events are undefined by the spec: ${seen}.`, resultClose: seen, matched: null, firstDivergence: null, policyMatched: null };
  }

  const match = firstMatch(opening.acceptable, outcome, role);
  if (match === undefined) {
    const wanted = opening.acceptable.filter((a) => a.strict).map((a) => describePattern(a.pattern, role));
    return failed(`expected ${wanted.join(' or ')}; ${seen}`);
  }
  if (slowText !== null) return failed(slowText);
  if (match.pattern.kind === 'upgrade') {
    const v = frames(expectation, rules, observed);
    if (!match.strict && v.behavior === 'OK') return { ...v, behavior: 'NON-STRICT', policyMatched: match.why };
    return v;
  }
  return {
    behavior: match.strict ? 'OK' : 'NON-STRICT',
    behaviorClose: 'OK',
    result: `Opening handshake as conforming peers do it: ${seen}.`,
    resultClose: role === 'server' ? 'The server refused the WebSocket connection; no frame was exchanged.' : 'The client failed the WebSocket connection; no frame was exchanged.',
    matched: match.strict ? 'OK' : 'NON-STRICT',
    firstDivergence: null,
    policyMatched: match.strict ? null : match.why,
  };
}

/** A failed liveness probe fails the case, whatever it was: the peer did not survive it. */
export function withLiveness(v: Verdict, liveness: LivenessObservation | null | undefined): Verdict {
  if (liveness === null || liveness === undefined || liveness.ok) return v;
  const text = `the peer no longer accepts connections: ${liveness.detail}`;
  return {
    ...v,
    behavior: 'FAILED',
    result: `${text}.`,
    firstDivergence: v.firstDivergence === null ? text : `${text} (and before that: ${v.firstDivergence})`,
  };
}
