/**
 * The oracle: the acceptable traces of a scenario, computed by simulating it
 * against the reference peer under every policy the RFC allows, and the
 * Autobahn-style expectation (expected event lists and expected closing
 * behaviour) derived from them. Nothing here is typed in per case.
 */
import { type Observation, type RecordedEvent, eventsEqual } from './events.js';
import { bytesEqual } from '../codec/bytes.js';
import { type PeerPolicy, allPolicies, isStrictPolicy } from './policy.js';
import type { Scenario } from './scenario.js';
import { SharedOpening, type Trace, simulate } from './simulate.js';
import type { Role } from './types.js';
import { type OpeningExpectation, computeOpeningExpectation } from './opening-oracle.js';

export interface AcceptableTrace extends Trace {
  readonly strict: boolean;
}

/** Autobahn's `expectedClose`. */
export interface ExpectedClose {
  readonly closedByMe: boolean;
  readonly closeCode: readonly number[];
  readonly requireClean: boolean;
  readonly closedByWrongEndpointIsFatal?: boolean;
}

export interface Expectation {
  /** Role of the implementation under test. */
  readonly peerRole: Role;
  readonly traces: readonly AcceptableTrace[];
  /**
   * Autobahn's `expected`: the OK list, and the NON-STRICT list when
   * non-strict peers differ; empty for performance cases, which their goal judges.
   */
  readonly expected: { readonly OK?: readonly RecordedEvent[]; readonly 'NON-STRICT'?: readonly RecordedEvent[] };
  readonly expectedClose: ExpectedClose;
  /** The event lists after which the tester closes with 1000 (finish when done), or null. */
  readonly finishWhen: readonly (readonly RecordedEvent[])[] | null;
  /** Check those lists also when the script is idle (exploration), not only on events. */
  readonly finishAtIdle: boolean;
  /**
   * Exploration: every event list a conforming peer produces (the tester
   * stops once none can match). With them, the peer's application may also
   * echo later than its library answers Pings and Closes (`laggedMatch`),
   * which is NON-STRICT; the catalogue keeps Autobahn's exact lists.
   */
  readonly acceptable?: readonly (readonly RecordedEvent[])[];
  /** Scenarios that vary the opening handshake: the answers (or reactions) conforming peers may give. */
  readonly opening?: OpeningExpectation;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
}

function distinctEventLists(traces: readonly Trace[]): (readonly RecordedEvent[])[] {
  const lists: (readonly RecordedEvent[])[] = [];
  for (const t of traces) if (!lists.some((l) => eventsEqual(l, t.events))) lists.push(t.events);
  return lists;
}

/**
 * The choices of a policy, as `mattered` weighs them (the three reply choices
 * travel together: see allPolicies), one bit each: the oracle weighs every
 * policy against every run for every scenario, so sets of choices are masks.
 */
const FAIL_BY = 1;
const REPLY = 2;
const UTF8 = 4;
const MESSAGE_LIMIT = 8;
const NON_MINIMAL_LENGTH = 16;
const ECHO = 32;

function differing(p: PeerPolicy, r: PeerPolicy): number {
  let out = 0;
  if (p.failBy !== r.failBy) out |= FAIL_BY;
  if (p.closeReply !== r.closeReply || p.invalidCloseReason !== r.invalidCloseReason || p.hugeLength !== r.hugeLength) out |= REPLY;
  if (p.utf8 !== r.utf8) out |= UTF8;
  if (p.messageLimit !== r.messageLimit) out |= MESSAGE_LIMIT;
  if (p.nonMinimalLength !== r.nonMinimalLength) out |= NON_MINIMAL_LENGTH;
  if (p.echo !== r.echo) out |= ECHO;
  return out;
}

/**
 * The choices the run shows can change it, for a policy that refuses
 * non-minimal lengths or not (the one thing of the policy it depends on). A
 * choice about failing matters only if the peer failed; about replying to a Close, only
 * if it received one with a code other than 1000 (or failed for a reason
 * whose code the pair decides); about UTF-8 timing, only if it met invalid
 * UTF-8; about when to echo, only if a failure or a Close arrived together
 * with a message (the same activation of the tester), which is when it can
 * pre-empt the echo.
 */
function met(run: Trace, refusesNonMinimal: boolean): number {
  const peer = run.peer;
  let out = 0;
  // A peer that refuses non-minimal lengths fails where the run did not.
  if (peer.failed || (peer.nonMinimalLength === true && refusesNonMinimal)) out |= FAIL_BY;
  if ((peer.receivedClose && peer.closeCode !== 1000) || peer.failure === 'invalid-utf8' || peer.failure === 'length-msb-set' || peer.failure === 'extension-error') {
    out |= REPLY;
  }
  if (peer.failure === 'invalid-utf8') out |= UTF8;
  // When to refuse a message over the limit matters only for one refused at a later fragment.
  if (peer.failure === 'message-too-big') out |= MESSAGE_LIMIT;
  if (peer.nonMinimalLength === true) out |= NON_MINIMAL_LENGTH;
  if (peer.echoRace) out |= ECHO;
  return out;
}

/** How each policy differs from the reference (the first), computed once: the oracle weighs all of them per scenario. */
const FROM_REFERENCE: readonly number[] = allPolicies().map((p) => differing(p, allPolicies()[0]!));

/**
 * The policies that differ from the reference only in choices the reference
 * run shows to matter. Policies that also differ in a choice it never met
 * have a twin that differs in the others only and gives the same trace, so
 * they are not simulated.
 */
function mattered(reference: Trace): PeerPolicy[] {
  const unmetIfAccepting = ~met(reference, false);
  const unmetIfRejecting = ~met(reference, true);
  return allPolicies().filter((p, k) => (FROM_REFERENCE[k]! & (p.nonMinimalLength === 'reject' ? unmetIfRejecting : unmetIfAccepting)) === 0);
}

/**
 * Would policy `p` repeat `run`? Yes if every choice in which it differs is
 * one the run never met. `met` reads a run for the choices it met; for the
 * two choices of when to refuse (UTF-8 at once or at the message's end, a
 * message over the limit at its header or at its end) that holds only from
 * the run of the eager one: a lazy peer may never meet, in a message that
 * never ends, what an eager one fails for.
 */
function repeats(run: Trace, p: PeerPolicy): boolean {
  const r = run.policy;
  const asEager = (r.utf8 === p.utf8 || r.utf8 === 'fail-fast') && (r.messageLimit === p.messageLimit || r.messageLimit === 'crossing');
  // When to echo also moves when the peer's answers are seen (after which of the tester's frames), which the
  // run's events do not show: only a run with the same echo timing stands for another.
  return asEager && (differing(p, r) & (ECHO | met(run, p.nonMinimalLength === 'reject'))) === 0;
}

/**
 * Compute the expectation of `scenario` for an implementation in `peerRole`.
 *
 * The tester's "finish when done" close depends on the expected events, which
 * come from the simulation: a first pass runs without it to find the events
 * conforming peers produce; if they all agree and the tester (not the peer)
 * ends the connection, the second pass runs with the tester closing once it
 * has seen them. Both passes must yield the same events.
 */
export interface ExpectationOptions {
  /**
   * When the tester closes once the events arrived: `autobahn` only when every
   * conforming peer produces the same events (the catalogue's rule);
   * `complete` also after any acceptable event list that no other one
   * extends, so generated scenarios end as soon as the answer is complete
   * instead of waiting for their watchdog.
   */
  readonly finish?: 'autobahn' | 'complete';
  /**
   * Simulate every run instead of taking some over: every policy whose
   * choices the reference run shows to matter, also one that differs from a
   * simulated policy only in choices its run never met, and every second
   * pass, also one whose first pass matched an earlier policy's or whose
   * events finish nothing; and each from the very start, not from the
   * tester's opening the first simulation wrote. For the test that holds the
   * shortcuts to the same expectation.
   */
  readonly simulateEveryRun?: boolean;
}

/** Same observation, payloads compared by content. */
function sameObservation(a: Observation, b: Observation): boolean {
  if (a.kind !== b.kind || a.cause.afterFrame !== b.cause.afterFrame || a.cause.opcode !== b.cause.opcode || a.cause.rsv !== b.cause.rsv) return false;
  switch (a.kind) {
    case 'message':
      return b.kind === 'message' && a.binary === b.binary && bytesEqual(a.payload, b.payload);
    case 'pong':
      return b.kind === 'pong' && bytesEqual(a.payload, b.payload);
    case 'close':
      return b.kind === 'close' && a.code === b.code && bytesEqual(a.reason, b.reason);
    case 'violation':
      return b.kind === 'violation' && a.code === b.code && a.reason === b.reason;
    case 'tcp-closed':
      return true;
  }
}

/** Two simulations that went the same way: the same events, observations, closing and peer, at the same times. */
function sameRun(a: Trace, b: Trace): boolean {
  if (a.duration !== b.duration || a.observations.length !== b.observations.length || !eventsEqual(a.events, b.events)) return false;
  for (const key of Object.keys(a.closing) as (keyof Trace['closing'])[]) {
    const x = a.closing[key];
    const y = b.closing[key];
    if (x instanceof Uint8Array && y instanceof Uint8Array ? !bytesEqual(x, y) : x !== y) return false;
  }
  for (const key of Object.keys(a.peer) as (keyof Trace['peer'])[]) if (a.peer[key] !== b.peer[key]) return false;
  return a.observations.every((o, i) => sameObservation(o, b.observations[i]!));
}

/**
 * Would the second pass of a run with these events be the first again? The
 * tester closes early only once its events form a finishing list, and they
 * only ever grow to the run's own list: a prefix of it finishes nothing that
 * the rule admits (a complete list extends no other), so unless the list
 * itself finishes, nothing changes. The events must also fit under the
 * recording limit the finishing lists set (one more than the longest).
 */
function finishesNothing(events: readonly RecordedEvent[], finishWhen: readonly (readonly RecordedEvent[])[], longest: number): boolean {
  return events.length <= longest + 1 && !finishWhen.some((l) => eventsEqual(l, events));
}

function isProperPrefix(a: readonly RecordedEvent[], b: readonly RecordedEvent[]): boolean {
  return a.length < b.length && eventsEqual(a, b.slice(0, a.length));
}

/**
 * The scenario the oracle simulates. Round-trip goals loop the same exchange
 * a thousand times; what a conforming peer does does not depend on the
 * count, so three rounds stand for all (a 131 KiB × 1000 case would
 * otherwise cost the oracle more than the peer).
 */
function simulated(scenario: Scenario): Scenario {
  const goal = scenario.perf;
  if (goal?.kind !== 'round-trips' || goal.count <= 3) return scenario;
  return { ...scenario, perf: { ...goal, count: 3 } };
}

export function computeExpectation(original: Scenario, peerRole: Role, options: ExpectationOptions = {}): Expectation {
  if (original.opening !== undefined) return computeOpeningExpectation(original, peerRole, (s) => computeExpectation(s, peerRole, options));
  const scenario = simulated(original);
  const all = allPolicies();
  // Every simulation of the scenario starts from the same tester's opening.
  const sim = options.simulateEveryRun === true ? {} : { shared: new SharedOpening(scenario, peerRole) };
  const reference = simulate(scenario, peerRole, all[0]!, { finishWhen: null }, sim);
  const policies = mattered(reference);
  // The same test against every run simulated so far: a policy that differs from one of them only in
  // choices that run never met repeats it.
  const first: Trace[] = [reference];
  for (const p of policies.slice(1)) {
    const base = options.simulateEveryRun === true ? undefined : first.find((t) => repeats(t, p));
    first.push(base === undefined ? simulate(scenario, peerRole, p, { finishWhen: null }, sim) : { ...base, policy: p });
  }
  const firstLists = distinctEventLists(first);
  const strictFirst = first.filter((t) => isStrictPolicy(t.policy));
  const testerCloses = strictFirst.every((t) => t.closing.closedByMe);
  const finishAtIdle = (options.finish ?? scenario.finish) === 'complete';
  const canFinish = testerCloses && !scenario.suppressClose && scenario.perf === undefined;
  let finishWhen: (readonly RecordedEvent[])[] | null = null;
  if (canFinish && firstLists.length === 1) finishWhen = firstLists;
  else if (canFinish && (options.finish ?? scenario.finish) === 'complete') {
    const complete = firstLists.filter((l) => !firstLists.some((other) => isProperPrefix(l, other)));
    finishWhen = complete.length > 0 ? complete : null;
  }

  const secondPass = { finishWhen, finishAtIdle };
  const second: Trace[] = [];
  const longest = finishWhen === null ? 0 : Math.max(...finishWhen.map((l) => l.length));
  const traces: AcceptableTrace[] = policies.map((p, k) => {
    const own = first[k]!;
    // Two policies whose first passes are the same run differ only in choices the run never met, and the
    // tester's finishing Close (1000, no reason, after every expected event) meets none of them either.
    const twin = finishWhen === null || options.simulateEveryRun === true ? -1 : first.findIndex((f, j) => j < k && sameRun(f, own));
    const t =
      finishWhen === null || (options.simulateEveryRun !== true && finishesNothing(own.events, finishWhen, longest))
        ? own
        : twin >= 0
          ? { ...second[twin]!, policy: p }
          : simulate(scenario, peerRole, p, secondPass, sim);
    second.push(t);
    if (!eventsEqual(t.events, first[k]!.events)) {
      throw new ModelError('closing once the expected events arrived changed the events (the model has no fixpoint)');
    }
    return { ...t, strict: isStrictPolicy(p) };
  });

  // Refusing an over-limit message only at its end is acceptable only if it ends: a peer that keeps
  // buffering a message that never ends, past its limit, is the unbounded growth the limit is for.
  for (let k = traces.length - 1; k >= 0; k--) {
    const t = traces[k]!;
    if (t.policy.messageLimit === 'message-end' && reference.peer.failure === 'message-too-big' && t.peer.failure !== 'message-too-big') traces.splice(k, 1);
  }
  const strict = traces.filter((t) => t.strict);
  const strictLists = distinctEventLists(strict);
  if (strictLists.length !== 1) {
    throw new ModelError(`strict reference peers disagree on the events (${strictLists.length} different lists)`);
  }
  const ok = strictLists[0]!;
  const nonStrictLists = distinctEventLists(traces.filter((t) => !t.strict)).filter((l) => !eventsEqual(l, ok));

  const closedByMe = strict[0]!.closing.closedByMe;
  if (strict.some((t) => t.closing.closedByMe !== closedByMe)) {
    throw new ModelError('strict reference peers disagree on who starts the closing handshake');
  }
  const codes: number[] = [];
  for (const t of traces) {
    const c = t.closing.remoteCloseCode;
    if (c !== null && !codes.includes(c)) codes.push(c);
  }
  codes.sort((a, b) => a - b);
  const fatalRule = scenario.rules?.closedByWrongEndpointIsFatal;
  const fatal = fatalRule === true || (fatalRule === 'when-peer-must-fail' && !closedByMe);
  const expectedClose: ExpectedClose = {
    closedByMe,
    closeCode: codes,
    requireClean: traces.every((t) => t.closing.wasClean),
    ...(fatal ? { closedByWrongEndpointIsFatal: true } : {}),
  };
  const expected = scenario.perf !== undefined ? {} : nonStrictLists.length > 0 ? { OK: ok, 'NON-STRICT': nonStrictLists[0]! } : { OK: ok };
  return {
    peerRole,
    traces,
    expected,
    expectedClose,
    finishWhen,
    finishAtIdle,
    ...(finishAtIdle ? { acceptable: distinctEventLists(traces) } : {}),
  };
}
