/**
 * The tester's script interpreter as a reducer: it turns a scenario's steps,
 * its timers and the events the tester records into inputs for the tester's
 * endpoint. Pure; the host (simulation or real harness) owns clocks and
 * sockets and feeds timer expiries back.
 *
 * Timer semantics follow the Autobahn testsuite (semantics.md §1): a
 * watchdog fails the connection with 1001 "Going Away" if it is still not
 * closed; `close-after` starts a closing handshake with an empty Close;
 * continuations run unless the connection is closed. After every recorded
 * event the tester closes with 1000 as soon as the events equal the expected
 * list ("finish when done"), unless the scenario suppresses it.
 */
import { bytesEqual, concatBytes, ownBytes } from '../codec/bytes.js';
import { Opcode } from '../codec/opcode.js';
import { type RecordedEvent, eventsEqual, laggedMatch } from './events.js';
import type { PerfGoal, Scenario, Step } from './scenario.js';
import type { EndpointInput, OutgoingFrame, ReadyState } from './types.js';
import type { FrameDescription } from './scenario.js';

export interface DriverContext {
  /**
   * Event lists after which the tester closes with 1000 ("finish when
   * done"): for the catalogue, Autobahn's single expected list; null when the
   * case has none or the tester must wait for the peer.
   */
  readonly finishWhen: readonly (readonly RecordedEvent[])[] | null;
  /**
   * Also check the lists when the script has nothing left to do (after the
   * first steps and after each continuation), not only when an event
   * arrives: a scenario expecting no events then ends at once instead of by
   * its watchdog. (Autobahn checks only on events; exploration uses this.)
   */
  readonly finishAtIdle?: boolean;
  /**
   * Every event list some conforming peer produces (exploration): once the
   * events received are no prefix of any of them the verdict is decided, and
   * the tester closes at once instead of waiting for its watchdog.
   */
  readonly acceptable?: readonly (readonly RecordedEvent[])[];
  /** permessage-deflate was negotiated (cases that need it are UNIMPLEMENTED otherwise). */
  readonly deflate?: boolean;
}

export type DriverTimer =
  | { readonly kind: 'kill' }
  | { readonly kind: 'close-after' }
  | { readonly kind: 'continue'; readonly tag: string | null; readonly path: readonly number[] };

export type DriverAction =
  /** Feed this input to the tester's endpoint; frames it writes use `chop`/`sync`. */
  | {
      readonly type: 'input';
      readonly input: EndpointInput;
      readonly chop: number | null;
      readonly sync: boolean;
      readonly repeatUnit: Uint8Array | null;
    }
  /**
   * Feed these frames to the tester's endpoint, then write what it produced as
   * one byte stream cut at `cuts`, each piece its own write.
   */
  | { readonly type: 'stream'; readonly frames: readonly OutgoingFrame[]; readonly cuts: readonly number[] }
  | { readonly type: 'set-timer'; readonly timer: DriverTimer; readonly seconds: number }
  | { readonly type: 'timer-fired'; readonly timer: DriverTimer }
  | { readonly type: 'wirelog'; readonly enabled: boolean; readonly silent: boolean }
  | { readonly type: 'record'; readonly event: RecordedEvent };

/** Where a performance case stands: Autobahn's result text and whether the goal was met. */
export interface PerfProgress {
  readonly ok: boolean;
  /** The case needs an extension the peer did not negotiate. */
  readonly unimplemented?: boolean;
  readonly result: string;
  /** Messages sent so far (round trips). */
  readonly sent: number;
  /** The goal was decided (met or missed); the tester has closed. */
  readonly done: boolean;
}

export interface DriverState {
  readonly received: readonly RecordedEvent[];
  /** Events that arrived after `received` reached its limit (see recordLimit). */
  readonly unrecorded?: number;
  /** The finish-when-done close was sent. */
  readonly finished: boolean;
  /** Performance cases only. */
  readonly perf: PerfProgress | null;
  /** Continuations scheduled and not yet run. */
  readonly pendingContinuations: number;
}

function continuationsScheduled(actions: readonly DriverAction[]): number {
  return actions.filter((a) => a.type === 'set-timer' && a.timer.kind === 'continue').length;
}

/**
 * Do the events received form one of the lists after which the tester
 * closes? With `acceptable` lists (exploration of a live peer), the peer's
 * application may echo later than its library answers Pings and Closes, so a
 * list is matched stream by stream (`laggedMatch`); the catalogue's and the
 * simulation's lists are matched exactly.
 */
function finishes(received: readonly RecordedEvent[], context: DriverContext): boolean {
  if (context.finishWhen === null) return false;
  return context.acceptable !== undefined
    ? context.finishWhen.some((list) => laggedMatch(received, list) === 'complete')
    : context.finishWhen.some((list) => eventsEqual(received, list));
}

/** With `finishAtIdle`: close now if nothing is left to send and the events already form a complete list. */
function finishIfIdle(state: DriverState, scenario: Scenario, context: DriverContext, actions: DriverAction[], testerState: ReadyState): DriverState {
  if (
    !context.finishAtIdle ||
    state.finished ||
    state.pendingContinuations > 0 ||
    scenario.suppressClose ||
    scenario.perf !== undefined ||
    testerState !== 'open' ||
    !finishes(state.received, context)
  ) {
    return state;
  }
  actions.push(CLOSE_NORMAL);
  return { ...state, finished: true };
}

export interface DriverResult {
  readonly state: DriverState;
  readonly actions: readonly DriverAction[];
}

const GOING_AWAY = new TextEncoder().encode('Going Away');

function outgoing(s: FrameDescription): OutgoingFrame {
  return {
    opcode: s.opcode,
    fin: s.fin ?? true,
    rsv: s.rsv ?? 0,
    payload: s.payload,
    // null means "send unmasked" (a deliberate violation by a client tester); only a missing key means "as the role requires".
    maskKey: s.maskKey === undefined ? 'auto' : s.maskKey,
    ...(s.lengthEncoding !== undefined ? { lengthEncoding: s.lengthEncoding } : {}),
    ...(s.declaredLength !== undefined ? { declaredLength: s.declaredLength } : {}),
  };
}

function runSteps(steps: readonly Step[], path: readonly number[], actions: DriverAction[]): void {
  steps.forEach((s, k) => {
    switch (s.kind) {
      case 'stream':
        actions.push({ type: 'stream', frames: s.frames.map(outgoing), cuts: s.cuts });
        break;
      case 'frame':
        actions.push({
          type: 'input',
          input: { type: 'send-frame', frame: outgoing(s) },
          chop: s.chop ?? null,
          sync: s.sync ?? false,
          repeatUnit: s.repeatUnit ?? null,
        });
        break;
      case 'message':
        actions.push({
          type: 'input',
          input: {
            type: 'send-message',
            opcode: s.binary ? Opcode.Binary : Opcode.Text,
            payload: s.payload,
            ...(s.fragmentSize !== undefined ? { fragmentSize: s.fragmentSize } : {}),
          },
          chop: null,
          sync: s.sync ?? false,
          repeatUnit: s.repeatUnit ?? null,
        });
        break;
      case 'close':
        actions.push({
          type: 'input',
          input: { type: 'close', code: s.code, ...(s.reason !== undefined ? { reason: s.reason } : {}) },
          chop: null,
          sync: false,
          repeatUnit: null,
        });
        break;
      case 'close-raw':
        actions.push({ type: 'input', input: { type: 'close-raw', payload: s.payload }, chop: null, sync: false, repeatUnit: null });
        break;
      case 'kill-after':
        actions.push({ type: 'set-timer', timer: { kind: 'kill' }, seconds: s.seconds });
        break;
      case 'close-after':
        actions.push({ type: 'set-timer', timer: { kind: 'close-after' }, seconds: s.seconds });
        break;
      case 'continue-later':
        actions.push({ type: 'set-timer', timer: { kind: 'continue', tag: s.tag, path: [...path, k] }, seconds: s.seconds });
        break;
      case 'wirelog':
        actions.push({ type: 'wirelog', enabled: s.enabled, silent: s.silent ?? false });
        break;
      case 'begin-frame':
        actions.push({
          type: 'input',
          input: { type: 'begin-frame', opcode: s.opcode, fin: s.fin ?? true, rsv: s.rsv ?? 0, length: s.length },
          chop: null,
          sync: false,
          repeatUnit: null,
        });
        break;
      case 'frame-data':
        actions.push({ type: 'input', input: { type: 'frame-data', payload: s.payload }, chop: null, sync: false, repeatUnit: null });
        break;
      case 'drop':
        actions.push({ type: 'input', input: { type: 'drop' }, chop: null, sync: false, repeatUnit: null });
        break;
    }
  });
}

function stepAt(scenario: Scenario, path: readonly number[]): Step {
  let steps = scenario.steps;
  let s: Step | undefined;
  for (const k of path) {
    s = steps[k];
    if (s === undefined) throw new Error(`no step at ${path.join('.')}`);
    if (s.kind === 'continue-later') steps = s.steps;
  }
  return s!;
}

/** Cut `bytes` at the given offsets (ascending; offsets outside the stream or repeated are ignored). */
export function cutStream(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const c of cuts) {
    if (c <= at || c >= bytes.length) continue;
    pieces.push(bytes.subarray(at, c));
    at = c;
  }
  if (at < bytes.length || pieces.length === 0) pieces.push(bytes.subarray(at));
  return pieces;
}

/** The actions when the connection opens: the scenario's first steps. */
export function driverStart(scenario: Scenario, context: DriverContext = { finishWhen: null }): DriverResult {
  const actions: DriverAction[] = [];
  if (scenario.unimplemented !== undefined) {
    const perf: PerfProgress = { ok: false, unimplemented: true, result: scenario.unimplemented, sent: 0, done: true };
    return { state: { received: [], finished: true, perf, pendingContinuations: 0 }, actions: [CLOSE_NORMAL] };
  }
  if (scenario.deflate !== undefined && context.deflate !== true) {
    // Autobahn's compression cases without compression: log off, close at once, UNIMPLEMENTED.
    const perf: PerfProgress = { ok: false, unimplemented: true, result: 'The peer did not negotiate permessage-deflate.', sent: 0, done: true };
    return {
      state: { received: [], finished: true, perf, pendingContinuations: 0 },
      actions: [{ type: 'wirelog', enabled: false, silent: false }, CLOSE_NORMAL],
    };
  }
  runSteps(scenario.steps, [], actions);
  const goal = scenario.perf;
  let perf: PerfProgress | null = null;
  if (goal?.kind === 'single-echo') {
    perf = { ok: false, result: `Did not receive message within ${goal.timeoutSeconds} seconds.`, sent: 1, done: false };
  } else if (goal?.kind === 'round-trips') {
    perf = { ok: false, result: `Case did not finish within ${goal.timeoutSeconds} seconds.`, sent: 1, done: false };
    actions.push(roundTripMessage(goal, 0));
  }
  const state: DriverState = { received: [], finished: false, perf, pendingContinuations: continuationsScheduled(actions) };
  return { state: finishIfIdle(state, scenario, context, actions, 'open'), actions };
}

type RoundTrips = Extract<PerfGoal, { kind: 'round-trips' }>;

/** Where each character of a UTF-8 text starts (and its end), for slicing by characters. */
const characterStarts = new WeakMap<Uint8Array, Uint32Array>();

function startsOf(data: Uint8Array): Uint32Array {
  let starts = characterStarts.get(data);
  if (starts === undefined) {
    const list: number[] = [];
    for (let i = 0; i < data.length; i++) if ((data[i]! & 0xc0) !== 0x80) list.push(i);
    list.push(data.length);
    starts = Uint32Array.from(list);
    characterStarts.set(data, starts);
  }
  return starts;
}

/** Message `k` of a round-trip goal: its fixed payload, or the k-th window over its source. */
export function roundTripPayload(goal: RoundTrips, k: number): Uint8Array {
  if (goal.source === undefined) return goal.payload ?? new Uint8Array(0);
  const { data, length } = goal.source;
  // Text is cut between characters (so every message is valid UTF-8), binary anywhere.
  const starts = goal.binary ? null : startsOf(data);
  const units = starts === null ? data.length : starts.length - 1;
  if (units === 0 || length === 0) return new Uint8Array(0);
  const offset = (k * length) % units;
  const octetAt = (unit: number) => (starts === null ? unit : starts[unit]!);
  const out: Uint8Array[] = [];
  let remaining = length;
  let at = offset;
  while (remaining > 0) {
    const take = Math.min(remaining, units - at);
    const piece = data.subarray(octetAt(at), octetAt(at + take));
    out.push(piece);
    remaining -= take;
    at = 0;
  }
  return out.length === 1 ? out[0]! : concatBytes(out);
}

function roundTripMessage(goal: RoundTrips, k: number): DriverAction {
  return {
    type: 'input',
    input: {
      type: 'send-message',
      opcode: goal.binary ? Opcode.Binary : Opcode.Text,
      payload: roundTripPayload(goal, k),
      ...(goal.fragmentSize !== undefined && goal.fragmentSize > 0 ? { fragmentSize: goal.fragmentSize } : {}),
    },
    chop: null,
    sync: false,
    repeatUnit: goal.repeatUnit ?? null,
  };
}

const CLOSE_NORMAL: DriverAction = { type: 'input', input: { type: 'close', code: 1000 }, chop: null, sync: false, repeatUnit: null };

/** An echo in a performance case: only its type and length are checked (semantics.md §3.4). */
function perfEcho(state: DriverState, goal: PerfGoal, event: RecordedEvent): DriverResult {
  const p = state.perf!;
  if (p.done || event.type !== 'message') return { state, actions: [] };
  let matches: boolean;
  if (goal.kind === 'single-echo') {
    matches = event.binary === goal.binary && event.payload.length === goal.length;
  } else {
    const sent = roundTripPayload(goal, p.sent - 1);
    matches = event.binary === goal.binary && (goal.compare === 'content' ? bytesEqual(event.payload, sent) : event.payload.length === sent.length);
  }
  const received = `Received ${event.binary ? 'binary' : 'text'} message of length ${event.payload.length}.`;
  const enableLog: DriverAction = { type: 'wirelog', enabled: true, silent: goal.kind === 'single-echo' };
  if (goal.kind === 'single-echo') {
    return { state: { ...state, perf: { ...p, ok: matches, result: received, done: true } }, actions: [enableLog, CLOSE_NORMAL] };
  }
  if (!matches) return { state: { ...state, perf: { ...p, ok: false, result: received, done: true } }, actions: [enableLog, CLOSE_NORMAL] };
  if (p.sent < goal.count) return { state: { ...state, perf: { ...p, sent: p.sent + 1 } }, actions: [roundTripMessage(goal, p.sent)] };
  return { state: { ...state, perf: { ...p, ok: true, result: "Ok, received all echo'ed messages in time.", done: true } }, actions: [enableLog, CLOSE_NORMAL] };
}

/** The tester's endpoint delivered a message or pong. */
export function driverOnEvent(
  state: DriverState,
  scenario: Scenario,
  context: DriverContext,
  event: RecordedEvent,
  testerState: ReadyState,
): DriverResult {
  // Performance cases record nothing (Autobahn's `received` stays empty); their goal decides.
  if (scenario.perf !== undefined) return perfEcho(state, scenario.perf, event);
  if (state.received.length >= recordLimit(context)) return { state: { ...state, unrecorded: (state.unrecorded ?? 0) + 1 }, actions: [] };
  const received = [...state.received, event.type === 'timeout' ? event : { ...event, payload: ownBytes(event.payload) }];
  const actions: DriverAction[] = [{ type: 'record', event }];
  let finished = state.finished;
  if (
    !finished &&
    context.acceptable !== undefined &&
    testerState === 'open' &&
    // No acceptable list can still come of it, stream by stream (see `finishes`).
    !context.acceptable.some((list) => laggedMatch(received, list) !== 'no')
  ) {
    finished = true;
    actions.push(CLOSE_NORMAL);
  }
  // With `finishAtIdle` the script runs to its end first: closing while a continuation is pending would race
  // its timer against the peer's answer, and leave the rest of the script untried.
  if (
    !finished &&
    !scenario.suppressClose &&
    testerState === 'open' &&
    !(context.finishAtIdle === true && state.pendingContinuations > 0) &&
    finishes(received, context)
  ) {
    finished = true;
    actions.push({ type: 'input', input: { type: 'close', code: 1000 }, chop: null, sync: false, repeatUnit: null });
  }
  return { state: { ...state, received, finished }, actions };
}

/** Events recorded when no list bounds them (a scenario with neither acceptable nor finishing lists). */
export const EVENT_LIMIT = 10_000;

/**
 * How many events are worth recording. Once the list is longer than every
 * acceptable one (and every list that finishes the case), no later event can
 * change the verdict; a peer that floods messages must not make the tester
 * keep them all.
 */
function recordLimit(context: DriverContext): number {
  const lists = [...(context.acceptable ?? []), ...(context.finishWhen ?? [])];
  if (lists.length === 0) return EVENT_LIMIT;
  return Math.min(EVENT_LIMIT, Math.max(...lists.map((l) => l.length)) + 1);
}

/** A timer the driver asked for expired; `testerState` is the tester endpoint's state at that moment. */
export function driverOnTimer(
  state: DriverState,
  scenario: Scenario,
  timer: DriverTimer,
  testerState: ReadyState,
  context: DriverContext = { finishWhen: null },
): DriverResult {
  const actions: DriverAction[] = [{ type: 'timer-fired', timer }];
  let received = state.received;
  const pendingContinuations = state.pendingContinuations - (timer.kind === 'continue' ? 1 : 0);
  if (testerState === 'closed') return { state: { ...state, pendingContinuations }, actions };
  switch (timer.kind) {
    case 'kill':
      actions.push({ type: 'input', input: { type: 'fail', code: 1001, reason: GOING_AWAY }, chop: null, sync: false, repeatUnit: null });
      break;
    case 'close-after':
      actions.push({ type: 'input', input: { type: 'close', code: null }, chop: null, sync: false, repeatUnit: null });
      break;
    case 'continue': {
      const s = stepAt(scenario, timer.path);
      if (s.kind !== 'continue-later') throw new Error(`step ${timer.path.join('.')} is not a continuation`);
      if (s.requireOpen && testerState !== 'open') break;
      if (s.recordTimeout) {
        const event: RecordedEvent = { type: 'timeout', tag: s.tag ?? '' };
        received = [...received, event];
        actions.push({ type: 'record', event });
      }
      runSteps(s.steps, timer.path, actions);
      break;
    }
  }
  const next: DriverState = {
    ...state,
    received,
    pendingContinuations: pendingContinuations + continuationsScheduled(actions),
  };
  return { state: timer.kind === 'continue' ? finishIfIdle(next, scenario, context, actions, testerState) : next, actions };
}
