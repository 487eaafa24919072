/**
 * Deterministic simulation of one scenario: the tester (driver + its endpoint)
 * against the reference peer (an echo endpoint under a policy), joined by a
 * zero-latency in-order network and a virtual clock. Its result is the trace
 * a conforming peer with that policy would produce, seen from the tester.
 */
import { concatBytes, ownBytes } from '../codec/bytes.js';
import { minimalLengthEncoding } from '../codec/frame.js';
import { Opcode } from '../codec/opcode.js';
import { DEFAULT_DEFLATE_PARAMETERS, createPerMessageDeflate } from '../codec/deflate/index.js';
import { storedDeflateEngine } from '../codec/deflate/stored-engine.js';
import { type DriverAction, type DriverContext, type DriverState, type DriverTimer, cutStream, driverOnEvent, driverOnTimer, driverStart } from './driver.js';
import { initialEndpointState, step } from './endpoint.js';
import { type Cause, type Observation, ObservationLog, type RecordedEvent, TESTER_MAX_MESSAGE } from './events.js';
import type { PeerPolicy } from './policy.js';
import type { Scenario } from './scenario.js';
import { type DeclaredLimits, frameLimitOf, messageLimitOf } from './limits.js';
import { type SegmenterState, initialSegmenterState, segmentTurn, segmenterActive } from './segmentation.js';
import type { ClosingFields, EndpointConfig, EndpointInput, EndpointOutput, EndpointState, OutgoingFrame, Role, TimerName } from './types.js';

export interface Trace {
  readonly policy: PeerPolicy;
  /** Events the tester recorded (Autobahn's `received`). */
  readonly events: readonly RecordedEvent[];
  /** Everything the tester saw of the peer, in order, with causes. */
  readonly observations: readonly Observation[];
  /** The tester's closing fields at the end. */
  readonly closing: ClosingFields;
  /** Virtual seconds from open to the end of the connection. */
  readonly duration: number;
  /** What the reference peer went through, to know which of its choices mattered. */
  readonly peer: {
    readonly failed: boolean;
    readonly receivedClose: boolean;
    /** Status code of the Close it received (null: none, or empty). */
    readonly closeCode: number | null;
    readonly failure: string | null;
    /** A message and a Ping, Close or failure reached it from the same activation of the tester. */
    readonly echoRace: boolean;
    /** The tester sent it a frame whose length is not in the minimal encoding. */
    readonly nonMinimalLength?: boolean;
  };
  /** The tester's performance goal, for performance cases. */
  readonly perf: DriverState['perf'];
}

/** The tester's endpoint: the Autobahn testsuite engine's behaviour (semantics.md §2, §6). */
export function testerEndpointConfig(
  role: Role,
  maskSeed: number,
  options: { zeroMasks?: boolean; limits?: DeclaredLimits; holdTcpOpen?: boolean } = {},
): EndpointConfig {
  // The tester must take back the largest message the peer declared it accepts.
  const maxMessage = Math.max(TESTER_MAX_MESSAGE, options.limits?.maxMessage ?? 0);
  return {
    ...(options.zeroMasks ? { zeroMaskKeys: true } : {}),
    ...(options.holdTcpOpen ? { holdTcpOpen: true } : {}),
    role,
    failBy: 'close-then-wait',
    closeReply: 'normal',
    pongWhileClosing: false,
    closeHandshakeTimeout: 1,
    serverDropTimeout: 1,
    app: 'none',
    maskSeed,
    fragmentTail: 'trailing-empty',
    decoder: { utf8: 'fail-fast', closeCodes: 'iana', maxFramePayload: maxMessage, maxMessagePayload: maxMessage },
  };
}

/** The reference peer under a policy: an echo endpoint, with the limits the peer under test declared. */
export function peerEndpointConfig(role: Role, policy: PeerPolicy, limits?: DeclaredLimits): EndpointConfig {
  return {
    role,
    failBy: policy.failBy,
    closeReply: policy.closeReply,
    pongWhileClosing: true,
    // Shorter than the tester's timers, so that a peer waiting in vain gives up first.
    closeHandshakeTimeout: 0.5,
    serverDropTimeout: 0.5,
    app: 'echo',
    echoTiming: policy.echo === 'immediate' ? 'inline' : 'after-read',
    reportFrames: false,
    maskSeed: 0x5eed,
    decoder: {
      utf8: policy.utf8,
      closeCodes: 'iana',
      invalidCloseReasonCode: policy.invalidCloseReason,
      lengthMsbCode: policy.hugeLength,
      maxFramePayload: frameLimitOf(limits),
      maxMessagePayload: messageLimitOf(limits),
      messageLimitAt: policy.messageLimit === 'crossing' ? 'header' : 'message-end',
      rejectNonMinimalLength: policy.nonMinimalLength === 'reject',
    },
  };
}

/**
 * An endpoint that applies permessage-deflate with no parameters agreed, when
 * the scenario asks the model to compress (`DeflateRequirement.modelled`): a
 * fresh extension per simulation, since it holds the sliding windows. RFC
 * 7692 names no close code for compressed data that is not DEFLATE: 1007
 * (data not consistent with the message, RFC 6455 §7.4.1) and 1002 are both
 * defensible, so the peer's code travels with its other such choice.
 */
function withDeflate(scenario: Scenario, config: EndpointConfig, invalidDataCode?: 1007 | 1002): EndpointConfig {
  if (scenario.deflate?.modelled !== true) return config;
  const extension = createPerMessageDeflate({
    role: config.role,
    params: DEFAULT_DEFLATE_PARAMETERS,
    engine: storedDeflateEngine,
    ...(invalidDataCode !== undefined ? { invalidDataCode } : {}),
  });
  return { ...config, decoder: { ...config.decoder, extensions: [extension] } };
}

/**
 * Configurations depend only on the role, the policy and the declared limits,
 * so simulations share them, and with them what the endpoint derives from a
 * configuration object (its decoder options, kept per object).
 */
const testerConfigs = new Map<string, EndpointConfig>();
const peerConfigs = new WeakMap<PeerPolicy, Map<string, EndpointConfig>>();

// Keys without declared limits are constant strings: the oracle looks configurations up for every simulation.
function limitsKey(role: Role, limits: DeclaredLimits | undefined): string {
  return limits === undefined ? role : `${role}|${limits.maxMessage ?? ''}/${limits.maxFrame ?? ''}`;
}

function sharedTesterConfig(role: Role, limits: DeclaredLimits | undefined, holdTcpOpen: boolean): EndpointConfig {
  const key = holdTcpOpen ? `${limitsKey(role, limits)}|hold` : limitsKey(role, limits);
  let config = testerConfigs.get(key);
  if (config === undefined) {
    // Masking keys do not change what a peer does; key 0 spares the simulation the XOR work.
    config = testerEndpointConfig(role, 0, { zeroMasks: true, ...(limits !== undefined ? { limits } : {}), ...(holdTcpOpen ? { holdTcpOpen: true } : {}) });
    testerConfigs.set(key, config);
  }
  return config;
}

function sharedPeerConfig(role: Role, policy: PeerPolicy, limits: DeclaredLimits | undefined): EndpointConfig {
  let byLimits = peerConfigs.get(policy);
  if (byLimits === undefined) peerConfigs.set(policy, (byLimits = new Map()));
  const key = limitsKey(role, limits);
  let config = byLimits.get(key);
  // As for the tester: which keys a client masks with changes nothing the tester observes.
  if (config === undefined) byLimits.set(key, (config = { ...peerEndpointConfig(role, policy, limits), zeroMaskKeys: true }));
  return config;
}

type Side = 'tester' | 'peer';

/** Is the frame's length written in more octets than §5.2 allows a sender? */
function isNonMinimal(frame: OutgoingFrame): boolean {
  const length = Number(frame.declaredLength ?? frame.payload?.length ?? 0);
  // The encodings' names are their widths in bits, so wider is greater.
  return typeof frame.lengthEncoding === 'number' && frame.lengthEncoding > minimalLengthEncoding(length);
}

type QueuedEvent =
  | { readonly kind: 'deliver'; readonly to: Side; readonly data: Uint8Array; readonly cause: Cause; readonly activation?: number }
  | { readonly kind: 'tcp-end'; readonly to: Side; readonly cause: Cause }
  | { readonly kind: 'endpoint-timer'; readonly to: Side; readonly timer: TimerName; readonly generation: number }
  | { readonly kind: 'driver-timer'; readonly timer: DriverTimer };

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly event: QueuedEvent;
}

/** A binary min-heap on (time, sequence): events at the same time keep their order. */
class EventQueue {
  private readonly heap: Scheduled[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The queue's items as they stand (items are immutable, so a copy of the array is a snapshot). */
  snapshot(): readonly Scheduled[] {
    return this.heap.slice();
  }

  static from(items: readonly Scheduled[]): EventQueue {
    const q = new EventQueue();
    q.heap.push(...items);
    return q;
  }

  private static before(a: Scheduled, b: Scheduled): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  push(item: Scheduled): void {
    const h = this.heap;
    h.push(item);
    let k = h.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!EventQueue.before(h[k]!, h[parent]!)) break;
      [h[k], h[parent]] = [h[parent]!, h[k]!];
      k = parent;
    }
  }

  pop(): Scheduled | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && EventQueue.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && EventQueue.before(h[r]!, h[m]!)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m]!, h[k]!];
        k = m;
      }
    }
    return top;
  }
}

export interface SimulateOptions {
  /** Stop after this many virtual seconds (a safety net; scenarios end long before). */
  readonly maxSeconds?: number;
  /** Simulations of one scenario under several policies: the tester's opening, done once (see `SharedOpening`). */
  readonly shared?: SharedOpening;
}

/** A tester write not yet read by the peer. `partial`: a data frame with FIN=0 (see flushToPeer). */
interface PendingWrite {
  readonly data: Uint8Array;
  readonly cause: Cause;
  readonly partial?: boolean;
  readonly frame?: boolean;
}

/**
 * Where a simulation stands once the tester has written what it writes
 * before the peer reads anything, and those writes are queued as the peer's
 * reads.
 */
interface Opening {
  readonly tester: EndpointState;
  readonly driver: DriverState;
  readonly scheduled: readonly Scheduled[];
  readonly seq: number;
  readonly testerTimers: ReadonlyMap<TimerName, number>;
  readonly framesSent: number;
  readonly lastSentOpcode: number | null;
  readonly lastSentRsv: number;
  readonly nonMinimalLength: boolean;
  readonly activations: number;
  readonly deliveredCause: Cause;
  readonly segmenter: SegmenterState | null;
}

/**
 * The tester's opening — the frames its script writes before the peer has
 * read anything, most of a scenario's encoding work — does not depend on the
 * peer's policy: the peer is only reached by the first read. How those
 * writes become reads depends only on whether the peer reads a whole batch
 * before echoing. The oracle simulates a scenario under several policies, so
 * it keeps one of these per scenario and role, and each simulation starts
 * where the first with the same reading left off. Not kept when the opening
 * already reached the peer (the tester closed its TCP connection, which
 * flushes its writes mid-script) or when permessage-deflate is modelled (its
 * compressor's window is the state of one connection).
 */
export class SharedOpening {
  private readonly openings = new Map<string, Opening>();

  constructor(
    readonly scenario: Scenario,
    readonly peerRole: Role,
  ) {}

  // Whether the driver's start closed at once ("finish when done" on no events) is the only way the context
  // moves the opening.
  private static key(finishedAtStart: boolean, batchReads: boolean): string {
    return `${finishedAtStart}|${batchReads}`;
  }

  /** @internal */
  get(finishedAtStart: boolean, batchReads: boolean): Opening | undefined {
    return this.openings.get(SharedOpening.key(finishedAtStart, batchReads));
  }

  /** @internal */
  keep(finishedAtStart: boolean, batchReads: boolean, opening: Opening): void {
    this.openings.set(SharedOpening.key(finishedAtStart, batchReads), opening);
  }
}

const NO_CAUSE: Cause = { afterFrame: 0, opcode: null, rsv: 0 };

/** Run `scenario` against the reference peer of `peerRole` under `policy`. */
export function simulate(
  scenario: Scenario,
  peerRole: Role,
  policy: PeerPolicy,
  context: DriverContext,
  options: SimulateOptions = {},
): Trace {
  const maxSeconds = options.maxSeconds ?? 10_000;
  const testerRole: Role = peerRole === 'server' ? 'client' : 'server';
  const testerConfig = sharedTesterConfig(testerRole, scenario.limits, scenario.holdTcpOpen === true);
  let tester: EndpointState = initialEndpointState(withDeflate(scenario, testerConfig), { open: true });
  let peer: EndpointState = initialEndpointState(withDeflate(scenario, sharedPeerConfig(peerRole, policy, scenario.limits), policy.invalidCloseReason), { open: true });
  let nonMinimalLength = false;
  let driver: DriverState;
  let queue = new EventQueue();
  let seq = 0;
  let now = 0;
  const timerGeneration = { tester: new Map<TimerName, number>(), peer: new Map<TimerName, number>() };
  const inputOpen = { tester: true, peer: true };
  const observations = new ObservationLog({ perfCase: scenario.perf !== undefined });
  let endedAt: number | null = null;

  // Frames the tester sent, and what the peer has received of them.
  let framesSent = 0;
  let lastSentOpcode: number | null = null;
  let lastSentRsv = 0;
  let peerCause: Cause = NO_CAUSE;

  const schedule = (at: number, event: QueuedEvent): void => {
    queue.push({ at, seq: seq++, event });
  };

  // Tester writes made while handling one event; the 'after-batch' peer reads them as one chunk.
  // `partial`: a data frame with FIN=0 — it cannot make the peer act (no message completes),
  // except by failing, and then whatever follows is ignored anyway.
  // Which tester activation (one handling of an event) wrote what the peer reads: a message and a
  // Close or failure from the same activation are where echo timing can change the trace.
  let activations = 0;
  const messageActivations = new Set<number>();
  let echoRace = false;
  let pendingToPeer: PendingWrite[] = [];
  // A chopped replay cuts each activation's writes as the harness cuts a turn's. A peer that
  // handles a read at a time still gets the activation as one read: TCP may join the pieces, and
  // that is the coarsest reading, the one where a later frame can pre-empt an echo.
  const segmentation = scenario.segmentation;
  let segmenter = segmentation === undefined ? null : initialSegmenterState(segmentation);
  let deliveredCause: Cause = NO_CAUSE;
  const flushToPeer = (): void => {
    if (pendingToPeer.length === 0) return;
    const activation = activations++;
    if (segmentation !== undefined && segmenter !== null && segmenterActive(segmenter)) {
      const turn = segmentTurn(segmentation, segmenter, pendingToPeer.map((p) => ({ data: p.data, frame: p.frame ?? false })));
      segmenter = turn.state;
      if (policy.echo !== 'after-batch') {
        const ends: number[] = [];
        let total = 0;
        for (const p of pendingToPeer) ends.push((total += p.data.length));
        let end = 0;
        let done = 0;
        for (const piece of cutStream(concatBytes(pendingToPeer.map((p) => p.data)), turn.cuts)) {
          end += piece.length;
          while (done < ends.length && ends[done]! <= end) deliveredCause = pendingToPeer[done++]!.cause;
          schedule(now, { kind: 'deliver', to: 'peer', data: piece, cause: deliveredCause, activation });
        }
        pendingToPeer = [];
        return;
      }
    }
    deliveredCause = pendingToPeer[pendingToPeer.length - 1]!.cause;
    if (policy.echo === 'after-batch' && pendingToPeer.length > 1) {
      const data = concatBytes(pendingToPeer.map((p) => p.data));
      schedule(now, { kind: 'deliver', to: 'peer', data, cause: pendingToPeer[pendingToPeer.length - 1]!.cause, activation });
    } else {
      // Each write is its own read, so the peer may act between writes. Writes that cannot make it
      // act (non-final fragments) are joined with the next: the same trace, far fewer steps when a
      // message goes out in thousands of fragments.
      let run: Uint8Array[] = [];
      for (const p of pendingToPeer) {
        run.push(p.data);
        if (p.partial) continue;
        schedule(now, { kind: 'deliver', to: 'peer', data: run.length === 1 ? p.data : concatBytes(run), cause: p.cause, activation });
        run = [];
      }
      if (run.length > 0) {
        schedule(now, { kind: 'deliver', to: 'peer', data: concatBytes(run), cause: pendingToPeer[pendingToPeer.length - 1]!.cause, activation });
      }
    }
    pendingToPeer = [];
  };

  const handleEndpointOutputs = (side: Side, outputs: readonly EndpointOutput[], cause: Cause): void => {
    for (const o of outputs) {
      switch (o.type) {
        case 'write':
          if (side === 'tester') {
            if (o.frame !== null) {
              framesSent++;
              lastSentOpcode = o.frame.opcode;
              lastSentRsv = o.frame.rsv;
            }
            const partial = o.frame !== null && !o.frame.fin && o.frame.opcode <= Opcode.Binary;
            pendingToPeer.push({ data: o.data, cause: { afterFrame: framesSent, opcode: lastSentOpcode, rsv: lastSentRsv }, partial, frame: o.frame !== null });
          } else {
            schedule(now, { kind: 'deliver', to: 'tester', data: o.data, cause });
          }
          break;
        case 'set-timer': {
          const gens = timerGeneration[side];
          const g = (gens.get(o.timer) ?? 0) + 1;
          gens.set(o.timer, g);
          schedule(now + o.seconds, { kind: 'endpoint-timer', to: side, timer: o.timer, generation: g });
          break;
        }
        case 'clear-timer': {
          const gens = timerGeneration[side];
          gens.set(o.timer, (gens.get(o.timer) ?? 0) + 1);
          break;
        }
        case 'close-tcp':
          inputOpen[side] = false;
          if (side === 'tester') flushToPeer();
          schedule(now, { kind: 'tcp-end', to: side === 'tester' ? 'peer' : 'tester', cause });
          break;
        case 'closed':
          if (side === 'tester') endedAt = now;
          break;
        case 'message':
          if (side === 'tester') {
            // Owned once here, so the observation and the recorded event share one copy.
            const payload = ownBytes(o.payload);
            const binary = o.opcode === Opcode.Binary;
            observations.record({ kind: 'message', payload, binary, cause });
            recordEvent({ type: 'message', payload, binary });
          }
          break;
        case 'pong':
          if (side === 'tester') {
            observations.record({ kind: 'pong', payload: o.payload, cause });
            recordEvent({ type: 'pong', payload: o.payload });
          }
          break;
        case 'close-received':
          if (side === 'tester') observations.record({ kind: 'close', code: o.code, reason: o.reason, cause });
          break;
        case 'failed':
          if (side === 'tester' && o.violation !== null) {
            observations.record({ kind: 'violation', reason: o.violation.reason, code: o.violation.code, cause });
          }
          break;
        case 'ping':
        case 'frame-received':
          break;
      }
    }
  };

  const testerInput = (input: EndpointInput): void => {
    const r = step(tester, input);
    tester = r.state;
    handleEndpointOutputs('tester', r.outputs, NO_CAUSE);
  };

  // The frames of a stream step become one byte stream, re-cut into the step's writes.
  const testerStream = (frames: readonly OutgoingFrame[], cuts: readonly number[]): void => {
    if (segmenter !== null && segmenterActive(segmenter)) {
      // The segmentation replaces the step's own cuts.
      for (const frame of frames) testerInput({ type: 'send-frame', frame });
      return;
    }
    const before = pendingToPeer.length;
    const framesBefore = framesSent;
    const ends: { end: number; opcode: number; rsv: number }[] = [];
    let total = 0;
    for (const frame of frames) {
      const queued = pendingToPeer.length;
      testerInput({ type: 'send-frame', frame });
      for (const p of pendingToPeer.slice(queued)) total += p.data.length;
      ends.push({ end: total, opcode: frame.opcode, rsv: frame.rsv ?? 0 });
    }
    const all = concatBytes(pendingToPeer.splice(before).map((p) => p.data));
    let end = 0;
    for (const piece of cutStream(all, cuts)) {
      end += piece.length;
      const done = ends.filter((e) => e.end <= end);
      const last = done[done.length - 1];
      pendingToPeer.push({
        data: piece,
        cause: last === undefined ? { afterFrame: framesBefore, opcode: null, rsv: 0 } : { afterFrame: framesBefore + done.length, opcode: last.opcode, rsv: last.rsv },
      });
    }
  };

  const runDriverActions = (actions: readonly DriverAction[]): void => {
    for (const a of actions) {
      if (a.type === 'input' && a.input.type === 'send-frame' && isNonMinimal(a.input.frame)) nonMinimalLength = true;
      if (a.type === 'stream' && a.frames.some(isNonMinimal)) nonMinimalLength = true;
      if (a.type === 'input') testerInput(a.input);
      else if (a.type === 'stream') testerStream(a.frames, a.cuts);
      else if (a.type === 'set-timer') schedule(now + a.seconds, { kind: 'driver-timer', timer: a.timer });
    }
  };

  const recordEvent = (event: RecordedEvent): void => {
    const r = driverOnEvent(driver, scenario, driverContext, event, tester.readyState);
    driver = r.state;
    runDriverActions(r.actions.filter((a) => a.type !== 'record'));
  };

  // The reference peer supports permessage-deflate; compression itself is transparent to what the
  // tester records, so the simulation negotiates it without compressing.
  const driverContext: DriverContext = scenario.deflate !== undefined ? { ...context, deflate: true } : context;
  const start = driverStart(scenario, driverContext);
  const shared = options.shared;
  if (shared !== undefined && (shared.scenario !== scenario || shared.peerRole !== peerRole)) {
    throw new Error('simulate: a SharedOpening serves the simulations of one scenario in one role');
  }
  const batchReads = policy.echo === 'after-batch';
  const opening = shared?.get(start.state.finished, batchReads);
  if (opening !== undefined) {
    tester = opening.tester;
    driver = opening.driver;
    queue = EventQueue.from(opening.scheduled);
    seq = opening.seq;
    timerGeneration.tester = new Map(opening.testerTimers);
    framesSent = opening.framesSent;
    lastSentOpcode = opening.lastSentOpcode;
    lastSentRsv = opening.lastSentRsv;
    nonMinimalLength = opening.nonMinimalLength;
    activations = opening.activations;
    deliveredCause = opening.deliveredCause;
    segmenter = opening.segmenter;
  } else {
    driver = start.state;
    runDriverActions(start.actions);
    const reachedPeer = activations > 0 || !inputOpen.tester || observations.entries.length > 0;
    flushToPeer();
    if (shared !== undefined && !reachedPeer && scenario.deflate?.modelled !== true) {
      shared.keep(start.state.finished, batchReads, {
        tester,
        driver,
        scheduled: queue.snapshot(),
        seq,
        testerTimers: new Map(timerGeneration.tester),
        framesSent,
        lastSentOpcode,
        lastSentRsv,
        nonMinimalLength,
        activations,
        deliveredCause,
        segmenter,
      });
    }
  }

  while (queue.size > 0) {
    const next = queue.pop()!;
    if (next.at > maxSeconds) break;
    now = next.at;
    const e = next.event;
    switch (e.kind) {
      case 'deliver':
        if (!inputOpen[e.to]) break;
        if (e.to === 'peer') {
          peerCause = e.cause;
          const r = step(peer, { type: 'receive', data: e.data });
          peer = r.state;
          if (e.activation !== undefined) {
            // A Pong, a Close reply or a failure written while parsing can overtake the echo of a message delivered
            // earlier in the same read, when the application runs after the read (python websockets does). In order:
            // a Ping parsed before the message completes cannot overtake its echo.
            let messageBefore = messageActivations.has(e.activation);
            for (const o of r.outputs) {
              if (o.type === 'message') messageBefore = true;
              else if ((o.type === 'close-received' || o.type === 'failed' || o.type === 'ping') && messageBefore) echoRace = true;
            }
            if (messageBefore) messageActivations.add(e.activation);
          }
          handleEndpointOutputs('peer', r.outputs, peerCause);
        } else {
          const r = step(tester, { type: 'receive', data: e.data });
          tester = r.state;
          handleEndpointOutputs('tester', r.outputs, e.cause);
        }
        break;
      case 'tcp-end':
        if (!inputOpen[e.to]) break;
        inputOpen[e.to] = false;
        if (e.to === 'peer') {
          const r = step(peer, { type: 'tcp-end' });
          peer = r.state;
          handleEndpointOutputs('peer', r.outputs, peerCause);
        } else {
          observations.record({ kind: 'tcp-closed', cause: e.cause });
          const r = step(tester, { type: 'tcp-end' });
          tester = r.state;
          handleEndpointOutputs('tester', r.outputs, e.cause);
        }
        break;
      case 'endpoint-timer': {
        if (timerGeneration[e.to].get(e.timer) !== e.generation) break;
        const current = e.to === 'tester' ? tester : peer;
        const r = step(current, { type: 'timer', timer: e.timer });
        if (e.to === 'tester') tester = r.state;
        else peer = r.state;
        handleEndpointOutputs(e.to, r.outputs, e.to === 'peer' ? peerCause : NO_CAUSE);
        break;
      }
      case 'driver-timer': {
        const r = driverOnTimer(driver, scenario, e.timer, tester.readyState, driverContext);
        driver = r.state;
        runDriverActions(r.actions);
        break;
      }
    }
    flushToPeer();
    if (tester.tcp !== 'open' && peer.tcp !== 'open') break;
  }

  return {
    policy,
    events: driver!.received,
    observations: observations.entries,
    closing: tester.closing,
    duration: endedAt ?? now,
    peer: {
      failed: peer.closing.failedByMe,
      receivedClose: peer.receivedClose,
      closeCode: peer.closing.remoteCloseCode,
      failure: peer.failure?.kind ?? null,
      echoRace,
      nonMinimalLength,
    },
    perf: driver!.perf,
  };
}
