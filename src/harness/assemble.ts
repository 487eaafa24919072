/**
 * Turning a finished run into a judged result, the same way for both roles.
 */
import { randomInt } from 'node:crypto';
import type { CaseDefinition } from '../cases/types.js';
import type { DriverContext } from '../model/driver.js';
import { lint } from '../model/lints.js';
import { type Expectation, computeExpectation } from '../model/oracle.js';
import type { Role } from '../model/types.js';
import { judge } from '../model/verdict.js';
import type { CaseRunOutput } from './case-runner.js';
import { INITIAL_CLOSING } from '../model/endpoint.js';
import type { CaseResult, TrafficStats } from './result.js';
import type { PerMessageDeflate } from '../codec/deflate/index.js';
import type { WireRecorder } from './wire-log.js';
import { openingLints } from '../model/opening-lints.js';
import type { LivenessObservation, OpeningObservation } from '../model/opening-verdict.js';

/**
 * Recently computed expectations (a case needs its own at the start, for when
 * to close, and at the end, for the verdict). Bounded: the traces of big cases
 * hold their payloads, and a whole catalogue's worth must not stay in memory.
 */
const expectations = new Map<CaseDefinition, Map<Role, Expectation>>();
const KEEP_EXPECTATIONS = 32;

/** The oracle's expectation for a case and role. */
export function expectationFor(caseDef: CaseDefinition, peerRole: Role): Expectation {
  let byRole = expectations.get(caseDef);
  if (byRole === undefined) {
    byRole = new Map();
    expectations.set(caseDef, byRole);
    if (expectations.size > KEEP_EXPECTATIONS) expectations.delete(expectations.keys().next().value!);
  }
  let e = byRole.get(peerRole);
  if (e === undefined) {
    e = computeExpectation(caseDef.scenario(), peerRole);
    byRole.set(peerRole, e);
  }
  return e;
}

/** Use an expectation computed elsewhere for `caseDef` (exploration computes them in a thread of their own). */
export function rememberExpectation(caseDef: CaseDefinition, peerRole: Role, e: Expectation): void {
  let byRole = expectations.get(caseDef);
  if (byRole === undefined) {
    byRole = new Map();
    expectations.set(caseDef, byRole);
    if (expectations.size > KEEP_EXPECTATIONS) expectations.delete(expectations.keys().next().value!);
  }
  byRole.set(peerRole, e);
}

/** What the tester's script needs of the expectation while it runs. */
export function contextOf(e: Expectation): DriverContext {
  return { finishWhen: e.finishWhen, finishAtIdle: e.finishAtIdle, ...(e.acceptable !== undefined ? { acceptable: e.acceptable } : {}) };
}

/** A fresh, unpredictable seed for the tester's masking keys (recorded in reports). */
export function freshMaskSeed(): number {
  return randomInt(1, 0xffffffff);
}

/** What a run knows when it ends; the verdict, expectation and lints are added here. */
export type AssembleInput = Pick<
  CaseResult,
  'caseDef' | 'caseNumber' | 'agent' | 'peerRole' | 'started' | 'opened' | 'httpRequest' | 'httpResponse' | 'run' | 'replay'
> & {
  readonly recorder: WireRecorder;
  /** The negotiated permessage-deflate, for traffic statistics. */
  readonly extension?: PerMessageDeflate | null;
  /** Scenarios that vary the opening handshake: what became of it. */
  readonly opening?: OpeningObservation | null;
  /** The liveness probe after the case, if the scenario asked for one. */
  readonly liveness?: LivenessObservation | null;
};

function sum(map: ReadonlyMap<number, number>, weighted: boolean): number {
  let n = 0;
  for (const [size, count] of map) n += weighted ? size * count : count;
  return n;
}

function dataFrames(map: ReadonlyMap<number, number>): number {
  return (map.get(0) ?? 0) + (map.get(1) ?? 0) + (map.get(2) ?? 0);
}

/** Autobahn's trafficStats for a compression case (semantics.md §5.3). */
function trafficStats(i: AssembleInput): TrafficStats | null {
  const ext = i.extension;
  if (ext === undefined || ext === null) return null;
  const s = i.recorder.stats;
  const requestOctets = i.httpRequest?.length ?? 0;
  const responseOctets = i.httpResponse?.length ?? 0;
  const preopenOut = i.peerRole === 'server' ? requestOctets : responseOctets;
  const preopenIn = i.peerRole === 'server' ? responseOctets : requestOctets;
  const wireOut = sum(s.txOctets, true) - preopenOut;
  const wireIn = sum(s.rxOctets, true) - preopenIn;
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    incomingCompressionRatio: ratio(s.dataPayloadRx, ext.stats.octetsAfterDecompression),
    incomingOctetsAppLevel: ext.stats.octetsAfterDecompression,
    incomingOctetsWebSocketLevel: s.dataPayloadRx,
    incomingOctetsWireLevel: wireIn,
    incomingWebSocketFrames: dataFrames(s.rxFrames),
    incomingWebSocketMessages: ext.stats.messagesDecompressed,
    incomingWebSocketOverhead: ratio(wireIn - s.dataPayloadRx, s.dataPayloadRx),
    outgoingCompressionRatio: ratio(s.dataPayloadTx, ext.stats.octetsBeforeCompression),
    outgoingOctetsAppLevel: ext.stats.octetsBeforeCompression,
    outgoingOctetsWebSocketLevel: s.dataPayloadTx,
    outgoingOctetsWireLevel: wireOut,
    outgoingWebSocketFrames: dataFrames(s.txFrames),
    outgoingWebSocketMessages: ext.stats.messagesCompressed,
    outgoingWebSocketOverhead: ratio(wireOut - s.dataPayloadTx, s.dataPayloadTx),
    preopenIncomingOctetsWireLevel: preopenIn,
    preopenOutgoingOctetsWireLevel: preopenOut,
  };
}

export function assemble(i: AssembleInput): CaseResult {
  const expectation = expectationFor(i.caseDef, i.peerRole);
  const scenario = i.caseDef.scenario();
  const verdict = judge(expectation, scenario.rules ?? {}, {
    opened: i.opened,
    events: i.run.events,
    observations: i.run.observations,
    closing: i.run.closing,
    peerRole: i.peerRole,
    sentFrames: i.recorder.stats.txFrames,
    perf: i.run.perf,
    opening: i.opening ?? null,
    liveness: i.liveness ?? null,
  });
  return {
    caseDef: i.caseDef,
    caseNumber: i.caseNumber,
    agent: i.agent,
    peerRole: i.peerRole,
    started: i.started,
    opened: i.opened,
    httpRequest: i.httpRequest,
    httpResponse: i.httpResponse,
    run: i.run,
    wire: { entries: i.recorder.entries, stats: i.recorder.stats, logEnabledAtEnd: i.recorder.enabled },
    expectation,
    verdict,
    lints: [...lint({ peerRole: i.peerRole, closing: i.run.closing, peerMaskKeys: i.run.peerMaskKeys, peerLengths: i.run.peerLengths }), ...openingLints(i.opening?.outcome ?? null)],
    opening: i.opening ?? null,
    liveness: i.liveness ?? null,
    replay: i.replay,
    // Autobahn reports traffic only for compression cases that passed.
    trafficStats: i.caseDef.reportCompressionRatio && verdict.behavior === 'OK' ? trafficStats(i) : null,
  };
}

/** The run of a connection whose opening handshake failed. */
export function unopenedRun(reason: string | null, timedOut: boolean, durationMs: number): CaseRunOutput {
  return {
    events: [],
    observations: [],
    closing: { ...INITIAL_CLOSING, droppedByMe: true, wasNotCleanReason: reason, wasOpenHandshakeTimeout: timedOut },
    durationMs,
    peerMaskKeys: [],
    peerLengths: [],
    notes: reason === null ? [] : [reason],
    perf: null,
  };
}
