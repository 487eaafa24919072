/**
 * Verdicts: the Autobahn testsuite's rules applied to the oracle's
 * expectation (so verdicts match Autobahn's case for case), plus wscheck's
 * explanation of the first point where the peer left every acceptable trace.
 */
import { opcodeName } from '../codec/opcode.js';
import { type Observation, type RecordedEvent, eventsEqual, laggedMatch, observationsMatch } from './events.js';
import type { AcceptableTrace, Expectation } from './oracle.js';
import { describePolicy } from './policy.js';
import type { VerdictRules } from './scenario.js';
import type { ClosingFields, Role } from './types.js';
import { type LivenessObservation, type OpeningObservation, judgeOpening, withLiveness } from './opening-verdict.js';

export type Behavior = 'OK' | 'NON-STRICT' | 'FAILED' | 'INFORMATIONAL' | 'UNIMPLEMENTED';
export type BehaviorClose = 'OK' | 'FAILED' | 'UNCLEAN' | 'WRONG CODE' | 'FAILED BY CLIENT' | 'INFORMATIONAL';

export interface ObservedRun {
  /** Did the opening handshake complete? */
  readonly opened: boolean;
  readonly events: readonly RecordedEvent[];
  readonly observations: readonly Observation[];
  readonly closing: ClosingFields;
  /** Role of the implementation under test. */
  readonly peerRole: Role;
  /** Frames the tester sent, by opcode (for cases that check the tester's own fragmentation). */
  readonly sentFrames?: ReadonlyMap<number, number>;
  /** Performance cases: how far the goal got. */
  readonly perf?: { readonly ok: boolean; readonly result: string; readonly unimplemented?: boolean } | null;
  /** Scenarios that vary the opening handshake: the answer or reaction observed (opening-verdict.ts). */
  readonly opening?: OpeningObservation | null;
  /** The liveness probe after the case, when the scenario asks for one (P1). */
  readonly liveness?: LivenessObservation | null;
}

export interface Verdict {
  readonly behavior: Behavior;
  readonly behaviorClose: BehaviorClose;
  /** Autobahn's result texts. */
  readonly result: string;
  readonly resultClose: string;
  /** Which expected list matched, if any. */
  readonly matched: 'OK' | 'NON-STRICT' | null;
  /** wscheck: the first divergence from every acceptable trace, in words; null when a trace matches. */
  readonly firstDivergence: string | null;
  /** wscheck: the policy of the closest acceptable trace, when the match is only non-strict. */
  readonly policyMatched: string | null;
}

export const ResultText = {
  match: 'Actual events match at least one expected.',
  differ: 'Actual events differ from any expected.',
  undefinedBySpec: 'Actual events are undefined by the spec.',
  closeOk: 'Connection was properly closed',
  wrongEndpoint: 'The connection was failed by the wrong endpoint',
  unclean: 'The spec requires the connection to be failed cleanly here',
  serverShouldDrop: 'It is preferred that the server close the TCP connection',
  neverOpened: 'The WebSocket opening handshake was never completed!',
  wrongCode: (codes: readonly number[]) => `The close code should have been ${codes.join(',')} or empty`,
} as const;

/** Autobahn's verdict (semantics.md §3) with wscheck's explanation added. */
export function judge(expectation: Expectation, rules: VerdictRules, observed: ObservedRun): Verdict {
  // The opening handshake and the liveness probe are judged around the frames (opening-verdict.ts).
  if (expectation.opening !== undefined || (observed.liveness ?? null) !== null) {
    const frames = { ...observed, liveness: null };
    const v = expectation.opening !== undefined ? judgeOpening(expectation, rules, frames, (e, r, o) => judge({ ...e, opening: undefined }, r, o)) : judge(expectation, rules, frames);
    return withLiveness(v, observed.liveness);
  }
  let behavior: Behavior = 'FAILED';
  let result: string = ResultText.differ;
  let matched: Verdict['matched'] = null;
  for (const key of ['OK', 'NON-STRICT'] as const) {
    const list = expectation.expected[key];
    if (list !== undefined && eventsEqual(list, observed.events)) {
      behavior = key;
      result = ResultText.match;
      matched = key;
      break;
    }
  }

  // Exploration: any acceptable list counts, not only Autobahn's two; and the peer's application may lag.
  // (A list some strict peer produces is the OK list, matched above: what is found here is non-strict.)
  let lagged = false;
  let nonStrictTrace: AcceptableTrace | null = null;
  if (behavior === 'FAILED' && expectation.acceptable !== undefined && (observed.perf ?? null) === null) {
    const exact = expectation.traces.find((t) => eventsEqual(t.events, observed.events)) ?? null;
    nonStrictTrace = exact ?? expectation.traces.find((t) => laggedAccepts(observed, t.events)) ?? null;
    if (nonStrictTrace !== null) {
      behavior = 'NON-STRICT';
      result = ResultText.match;
      matched = 'NON-STRICT';
      lagged = exact === null;
    }
  }

  if (observed.perf !== undefined && observed.perf !== null) {
    behavior = observed.perf.unimplemented ? 'UNIMPLEMENTED' : observed.perf.ok ? 'OK' : 'FAILED';
    result = observed.perf.result;
    matched = observed.perf.ok ? 'OK' : null;
  }

  const ec = expectation.expectedClose;
  const c = observed.closing;
  let behaviorClose: BehaviorClose;
  let resultClose: string;
  // A case the peer could not run (e.g. it did not negotiate permessage-deflate): the tester's own
  // normal close ended it, so who was to close and with which code does not apply.
  const notRun = observed.perf?.unimplemented === true;
  if (!observed.opened) {
    behaviorClose = 'FAILED';
    resultClose = ResultText.neverOpened;
  } else if (notRun) {
    behaviorClose = 'OK';
    resultClose = ResultText.closeOk;
  } else if (ec.closedByMe !== c.closedByMe) {
    behaviorClose = 'FAILED';
    resultClose = ResultText.wrongEndpoint;
  } else if (ec.requireClean && !c.wasClean) {
    behaviorClose = 'UNCLEAN';
    resultClose = ResultText.unclean;
  } else if (c.remoteCloseCode !== null && !ec.closeCode.includes(c.remoteCloseCode)) {
    behaviorClose = 'WRONG CODE';
    resultClose = ResultText.wrongCode(ec.closeCode);
  } else if (observed.peerRole === 'server' && c.droppedByMe) {
    behaviorClose = 'FAILED BY CLIENT';
    resultClose = ResultText.serverShouldDrop;
  } else {
    behaviorClose = 'OK';
    resultClose = ResultText.closeOk;
  }

  // Case post-rules.
  if (ec.closedByWrongEndpointIsFatal === true && ec.closedByMe !== c.closedByMe && !notRun) behavior = 'FAILED';
  if (rules.wrongCloseCodeIsFatal && behaviorClose === 'WRONG CODE') {
    behavior = 'FAILED';
    result = resultClose;
  }

  if (rules.ownFrames !== undefined) {
    // The tester checks its own fragmenter (Autobahn 10.1.1); it never fails with wscheck's.
    const wrong = Object.entries(rules.ownFrames).filter(([op, n]) => (observed.sentFrames?.get(Number(op)) ?? 0) !== n);
    if (wrong.length > 0) {
      behavior = 'FAILED';
      result = `The tester sent ${wrong.map(([op]) => `${observed.sentFrames?.get(Number(op)) ?? 0} frames of opcode ${op}`).join(', ')}; the case requires ${wrong.map(([op, n]) => `${n} of opcode ${op}`).join(', ')}.`;
    }
  }

  const { divergence, closest } = observed.opened ? firstDivergence(expectation, observed) : { divergence: neverOpened(c), closest: null };
  let policyMatched = closest !== null && !closest.strict ? describePolicy(closest.policy) : null;
  if (nonStrictTrace !== null) policyMatched = describeMatch(nonStrictTrace, lagged);

  // Exploration only: the closing agrees with the very trace the observations match.
  if (expectation.acceptable !== undefined && observed.opened && behavior !== 'FAILED' && behaviorClose !== 'OK') {
    const own = traceWithSameClosing(expectation, observed, lagged);
    if (own !== null) {
      behaviorClose = 'OK';
      resultClose = ResultText.closeOk;
      if (!own.strict || lagged) {
        if (behavior === 'OK') behavior = 'NON-STRICT';
        policyMatched = describeMatch(own, lagged);
      }
    }
  }

  // §10.4 leaves limits to the implementation: stopping at an undeclared one of its own, after
  // doing all that was expected until then, is reported rather than failed.
  const passedSoFar = (behavior === 'OK' || behavior === 'NON-STRICT') && behaviorClose === 'OK';
  const ownLimit = rules.ownLimits !== undefined && observed.opened && !passedSoFar ? stoppedAtOwnLimit(expectation, rules.ownLimits, observed) : null;
  if (ownLimit !== null) {
    behavior = 'INFORMATIONAL';
    behaviorClose = 'INFORMATIONAL';
    result = ownLimit;
    resultClose = ownLimit;
  }

  // A case the RFC leaves open says something only about a connection that opened.
  if (rules.informational && observed.opened) {
    behavior = 'INFORMATIONAL';
    behaviorClose = 'INFORMATIONAL';
    result = ResultText.undefinedBySpec;
  }
  const passed =
    (behavior === 'OK' || behavior === 'NON-STRICT' || behavior === 'INFORMATIONAL') &&
    (behaviorClose === 'OK' || behaviorClose === 'INFORMATIONAL');
  return { behavior, behaviorClose, result, resultClose, matched, firstDivergence: passed ? null : divergence, policyMatched };
}

/**
 * Are the observed events what `list` becomes when the peer's application
 * lags behind its library (`laggedMatch`)? Echoes may also be missing at the
 * end, if the peer sent its Close first: after that the application may send
 * no more data (§5.5.1), and every answer of the library must be there.
 */
function laggedAccepts(observed: ObservedRun, list: readonly RecordedEvent[]): boolean {
  const r = laggedMatch(observed.events, list);
  return r === 'complete' || (r === 'echoes-missing' && observed.observations.some((o) => o.kind === 'close'));
}

/** The policy a non-strict match shows, in words. */
function describeMatch(t: AcceptableTrace, lagged: boolean): string {
  const policy = describePolicy(t.policy);
  return lagged ? `${policy}; its application echoes after the library's own answers (Pong, Close)` : policy;
}

/**
 * An acceptable trace whose observations the run reproduced exactly and whose
 * closing it agrees with. Autobahn judges the closing against the strict
 * peers alone, which fits its cases: there the tester never closes while the
 * peer is about to fail. A generated scenario can send the tester's Close
 * right after the octets that make the peer fail: a peer that fails only at
 * the end of the message (§8.1 allows it) then answers the tester's Close
 * instead of starting the closing handshake itself, and that is conforming.
 */
function traceWithSameClosing(expectation: Expectation, observed: ObservedRun, lagged: boolean): AcceptableTrace | null {
  const c = observed.closing;
  // A lagging application reorders messages against the rest, which laggedAccepts judged already.
  const compared = (list: readonly Observation[]) => (lagged ? list.filter((o) => o.kind !== 'message' && o.kind !== 'pong') : list);
  const seen = compared(observed.observations);
  for (const t of expectation.traces) {
    if (lagged && !laggedAccepts(observed, t.events)) continue;
    const exp = compared(t.observations);
    if (exp.length !== seen.length || !exp.every((o, k) => observationsMatch(o, seen[k]!))) continue;
    if (t.closing.closedByMe !== c.closedByMe && !closesCrossed(t, c)) continue;
    if (t.closing.wasClean && !c.wasClean) continue;
    if (c.remoteCloseCode !== null && !expectation.expectedClose.closeCode.includes(c.remoteCloseCode)) continue;
    if (observed.peerRole === 'server' && c.droppedByMe && !t.closing.droppedByMe) continue;
    return t;
  }
  return null;
}

/**
 * Did the peer stop at a limit of its own (see `VerdictRules.ownLimits`)?
 * Only if everything it delivered so far is the start of an expected event
 * list; then the point where it stopped, in words, else null.
 */
function stoppedAtOwnLimit(expectation: Expectation, own: NonNullable<VerdictRules['ownLimits']>, observed: ObservedRun): string | null {
  const lists = [expectation.expected.OK, expectation.expected['NON-STRICT']].filter((l): l is readonly RecordedEvent[] => l !== undefined);
  const got = observed.events;
  const prefix = lists.find((l) => got.length <= l.length && eventsEqual(got, l.slice(0, got.length)));
  if (prefix === undefined) return null;
  const c = observed.closing;
  const progress = `after ${got.length} of the ${prefix.length} expected messages and pongs`;
  if (own.failCodes !== undefined && !c.closedByMe && !c.failedByMe) {
    const close = observed.observations.find((o) => o.kind === 'close');
    if (c.remoteCloseCode !== null && own.failCodes.includes(c.remoteCloseCode)) {
      return `The peer stopped at a limit of its own: Close ${c.remoteCloseCode}${close !== undefined ? describeCause(close) : ''}, ${progress}.`;
    }
    if (c.remoteCloseCode === null && close === undefined && !c.droppedByMe) {
      const end = observed.observations.find((o) => o.kind === 'tcp-closed');
      return `The peer closed TCP without a Close frame${end !== undefined ? describeCause(end) : ''}, ${progress}: a limit of its own, or a crash (a new connection tells which).`;
    }
  }
  if (own.mayWait === true && c.closedByMe && got.length === 0) {
    return 'The peer kept waiting for the rest of the frame until the tester gave up: it accepts the length announced (it has no limit below it).';
  }
  return null;
}

/**
 * The peer failed the connection, as the trace says, but the tester's own
 * scripted Close, sent after a pause, left before the peer's Close arrived.
 * A pause on a real network does not guarantee that the peer has acted
 * meanwhile (the model's network has no latency), so who closed first says
 * nothing about the peer here. What does: the peer closed with the trace's
 * code (or dropped TCP as the trace's peer does) and not with the code of the
 * tester's Close, which a peer that failed nothing would have echoed.
 */
function closesCrossed(t: AcceptableTrace, c: ClosingFields): boolean {
  return !t.closing.closedByMe && c.closedByMe && c.remoteCloseCode === t.closing.remoteCloseCode && (c.remoteCloseCode === null || c.remoteCloseCode !== c.localCloseCode);
}

function neverOpened(c: ClosingFields): string {
  return `the opening handshake never completed${c.wasNotCleanReason !== null ? ` (${c.wasNotCleanReason})` : ''}; no frame was exchanged`;
}

/** What the tester saw, described for people. */
export function describeObservation(o: Observation): string {
  switch (o.kind) {
    case 'message':
      return `${o.binary ? 'binary' : 'text'} message of ${o.payload.length} octet${o.payload.length === 1 ? '' : 's'}${preview(o.payload, o.binary)}`;
    case 'pong':
      return `Pong with ${o.payload.length} octet${o.payload.length === 1 ? '' : 's'} of data${preview(o.payload, true)}`;
    case 'close':
      return o.code === null ? 'Close frame without status code' : `Close frame with code ${o.code}`;
    case 'violation':
      return `a frame the protocol forbids (${o.reason})`;
    case 'tcp-closed':
      return 'the peer closing TCP';
  }
}

function preview(payload: Uint8Array, binary: boolean): string {
  if (payload.length === 0 || payload.length > 24) return '';
  if (!binary) {
    try {
      return ` "${new TextDecoder('utf-8', { fatal: true }).decode(payload)}"`;
    } catch {
      /* fall through to hex */
    }
  }
  return ` 0x${Array.from(payload, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function describeCause(o: Observation): string {
  if (o.cause.afterFrame === 0) return '';
  const rsv = o.cause.rsv === 0 ? '' : `, RSV ${o.cause.rsv}`;
  const op = o.cause.opcode === null ? '' : ` (${opcodeName(o.cause.opcode)}${rsv})`;
  return ` after frame ${o.cause.afterFrame}${op}`;
}

/**
 * The first observation where the run leaves every acceptable trace. Against
 * each trace, count the common prefix; the trace that agrees longest is the
 * one the peer was following, and its next step is what was expected.
 */
export function firstDivergence(
  expectation: Expectation,
  observed: ObservedRun,
): { divergence: string | null; closest: AcceptableTrace | null } {
  const seen = observed.observations;
  let best: AcceptableTrace | null = null;
  let bestPrefix = -1;
  for (const t of expectation.traces) {
    const exp = t.observations;
    let k = 0;
    while (k < exp.length && k < seen.length && observationsMatch(exp[k]!, seen[k]!)) k++;
    const complete = k === exp.length && k === seen.length;
    // A complete match wins; among partial ones the longest prefix, strict before non-strict.
    const score = complete ? Number.MAX_SAFE_INTEGER : k;
    if (score > bestPrefix || (score === bestPrefix && t.strict && best !== null && !best.strict)) {
      best = t;
      bestPrefix = score;
    }
    if (complete && t.strict) break;
  }
  if (best === null) return { divergence: null, closest: null };
  const exp = best.observations;
  if (bestPrefix === Number.MAX_SAFE_INTEGER) {
    // The frames matched; any failure is in how the connection ended.
    return { divergence: closingDivergence(expectation, observed), closest: best };
  }
  const k = bestPrefix;
  const expected = exp[k];
  const got = seen[k];
  let text: string;
  if (expected !== undefined && got !== undefined) {
    text = `expected ${describeObservation(expected)}${describeCause(expected)}; observed ${describeObservation(got)}${describeCause(got)}`;
  } else if (expected !== undefined) {
    text = `expected ${describeObservation(expected)}${describeCause(expected)}; observed nothing more from the peer${endedBy(observed.closing)}`;
  } else {
    text = `expected nothing more from the peer; observed ${describeObservation(got!)}${describeCause(got!)}`;
  }
  return { divergence: text, closest: best };
}

function endedBy(c: ClosingFields): string {
  if (c.wasCloseHandshakeTimeout) return ' (the tester gave up waiting for its Close to be answered)';
  if (c.closedByMe && c.failedByMe && !c.droppedByMe) return ' (the tester had to fail the connection itself)';
  if (c.closedByMe) return ' (the tester closed the connection)';
  return '';
}

function closingDivergence(expectation: Expectation, observed: ObservedRun): string | null {
  const ec = expectation.expectedClose;
  const c = observed.closing;
  if (ec.closedByMe !== c.closedByMe) {
    return ec.closedByMe
      ? 'expected the tester to start the closing handshake; observed the peer starting it'
      : 'expected the peer to fail the connection; observed the tester having to close it';
  }
  if (ec.requireClean && !c.wasClean) return `expected a clean closing handshake; observed: ${c.wasNotCleanReason ?? 'unclean end'}`;
  if (c.remoteCloseCode !== null && !ec.closeCode.includes(c.remoteCloseCode)) {
    return `expected close code ${ec.closeCode.join(' or ')}; observed ${c.remoteCloseCode}`;
  }
  if (observed.peerRole === 'server' && c.droppedByMe) {
    return 'expected the server to close TCP after the closing handshake; observed the tester having to drop it';
  }
  return null;
}
