/**
 * A case result as Autobahn's per-case report (formats.md §3: the same 39
 * keys, the same encodings) plus wscheck's own findings under `wscheck`, and
 * its line in `index.json`.
 */
import type { RecordedEvent } from '../model/events.js';
import type { CaseResult } from '../harness/result.js';
import type { WireEntry } from '../harness/wire-log.js';
import { describeObservation } from '../model/verdict.js';
import { abbreviateOctets, abbreviatePayload } from './abbreviate-payload.js';
import { caseReportFileName } from './autobahn-file-names.js';
import type { AutobahnCaseReport, AutobahnEvent, AutobahnIndexEntry, WirelogEntry } from './autobahn-types.js';

export const WSCHECK_VERSION = '0.1.0';

/** wscheck's additions to a per-case report. */
export interface WscheckCaseFields {
  readonly version: string;
  readonly firstDivergence: string | null;
  readonly policyMatched: string | null;
  readonly lints: readonly { readonly id: string; readonly message: string; readonly rule: string }[];
  readonly replay: string;
  readonly notes: readonly string[];
  /** What the tester observed of the peer, in words, with where in the script it happened. */
  readonly observations: readonly string[];
  /** Milliseconds since the connection opened, one per wire log entry. */
  readonly wirelogTimes: readonly number[];
  readonly acceptableTraces: { readonly strict: number; readonly nonStrict: number };
  /** The liveness probe after an abusive case: did a new connection still open and echo? Absent when not probed. */
  readonly liveness?: { readonly ok: boolean; readonly detail: string };
}

export type WscheckCaseReport = AutobahnCaseReport & { readonly wscheck: WscheckCaseFields };

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function formatEvents(events: readonly RecordedEvent[]): AutobahnEvent[] {
  return events.map((e): AutobahnEvent => {
    if (e.type === 'timeout') return ['timeout', e.tag];
    if (e.type === 'pong') return ['pong', abbreviatePayload(e.payload)];
    return ['message', abbreviatePayload(e.payload), e.binary];
  });
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function maskHex(key: number | null): string | null {
  return key === null ? null : (key >>> 0).toString(16).padStart(8, '0');
}

const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

/** A close reason as text; invalid UTF-8 shown as hex (Autobahn does so for the reason it sent in 7.5.1). */
function reasonText(reason: Uint8Array | null, invalidAsHex: boolean): string | null {
  if (reason === null || reason.length === 0) return null;
  try {
    return strict.decode(reason);
  } catch {
    return invalidAsHex ? hex(reason) : lenient.decode(reason);
  }
}

export function formatWirelog(entries: readonly WireEntry[]): WirelogEntry[] {
  return entries.map((e): WirelogEntry => {
    switch (e.tag) {
      case 'RO':
        return ['RO', [e.length, abbreviateOctets(e.head, e.length)]];
      case 'TO':
        return ['TO', [e.length, abbreviateOctets(e.head, e.length)], e.sync];
      case 'RF':
        return ['RF', [e.length, abbreviatePayload(e.head, e.length)], e.opcode, e.fin, e.rsv, e.maskKey !== null, maskHex(e.maskKey)];
      case 'TF':
        return ['TF', [e.length, abbreviatePayload(e.head, e.length)], e.opcode, e.fin, e.rsv, maskHex(e.maskKey), e.repeatLength, e.chop, e.sync];
      case 'CT':
        return ['CT', e.delay, e.label];
      case 'CTE':
        return ['CTE', e.label];
      case 'KL':
        return ['KL', e.delay];
      case 'KLE':
        return ['KLE'];
      case 'TI':
        return ['TI', e.delay];
      case 'TIE':
        return ['TIE'];
      case 'WLM':
        return ['WLM', e.enabled];
    }
  });
}

/** The per-case report object (serialise with `serializeAutobahnJson`). */
export function caseReport(r: CaseResult): WscheckCaseReport {
  const c = r.run.closing;
  const e = r.expectation;
  const expected: Record<string, AutobahnEvent[]> = {};
  if (e.expected.OK !== undefined) expected['OK'] = formatEvents(e.expected.OK);
  if (e.expected['NON-STRICT'] !== undefined) expected['NON-STRICT'] = formatEvents(e.expected['NON-STRICT']);
  const def = r.caseDef;
  return {
    agent: r.agent,
    behavior: r.verdict.behavior,
    behaviorClose: r.verdict.behaviorClose,
    case: r.caseNumber,
    closedByMe: c.closedByMe,
    createStats: true,
    createWirelog: r.wire.logEnabledAtEnd,
    description: escapeHtml(def.description),
    droppedByMe: c.droppedByMe,
    duration: r.run.durationMs,
    expectation: escapeHtml(def.expectation),
    expected,
    expectedClose: {
      closeCode: e.expectedClose.closeCode,
      closedByMe: e.expectedClose.closedByMe,
      requireClean: e.expectedClose.requireClean,
      ...(e.expectedClose.closedByWrongEndpointIsFatal ? { closedByWrongEndpointIsFatal: true } : {}),
    },
    failedByMe: c.failedByMe,
    httpRequest: r.httpRequest ?? '?',
    httpResponse: r.httpResponse ?? '?',
    id: def.id,
    isServer: r.peerRole === 'client',
    localCloseCode: c.localCloseCode,
    localCloseReason: reasonText(c.localCloseReason, true),
    received: formatEvents(r.run.events),
    remoteCloseCode: c.remoteCloseCode,
    remoteCloseReason: reasonText(c.remoteCloseReason, false),
    reportCompressionRatio: def.reportCompressionRatio ?? false,
    reportTime: def.reportTime ?? false,
    result: r.verdict.result,
    resultClose: r.verdict.resultClose,
    rxFrameStats: Object.fromEntries(r.wire.stats.rxFrames),
    rxOctetStats: Object.fromEntries(r.wire.stats.rxOctets),
    started: r.started.toISOString(),
    trafficStats: r.trafficStats,
    txFrameStats: Object.fromEntries(r.wire.stats.txFrames),
    txOctetStats: Object.fromEntries(r.wire.stats.txOctets),
    wasClean: c.wasClean,
    wasCloseHandshakeTimeout: c.wasCloseHandshakeTimeout,
    wasNotCleanReason: c.wasNotCleanReason,
    wasOpenHandshakeTimeout: c.wasOpenHandshakeTimeout,
    wasServerConnectionDropTimeout: c.wasServerConnectionDropTimeout,
    wirelog: formatWirelog(r.wire.entries),
    wscheck: {
      version: WSCHECK_VERSION,
      firstDivergence: r.verdict.firstDivergence,
      policyMatched: r.verdict.policyMatched,
      lints: r.lints,
      replay: r.replay,
      notes: r.run.notes,
      observations: r.run.observations.map((o) => {
        const after = o.cause.afterFrame > 0 ? ` (after frame ${o.cause.afterFrame})` : '';
        return describeObservation(o) + after;
      }),
      wirelogTimes: r.wire.entries.map((w) => Math.round(w.at * 1000) / 1000),
      acceptableTraces: { strict: e.traces.filter((t) => t.strict).length, nonStrict: e.traces.filter((t) => !t.strict).length },
      ...(r.liveness !== undefined && r.liveness !== null ? { liveness: { ok: r.liveness.ok, detail: r.liveness.detail } } : {}),
    },
  };
}

export function indexEntry(r: CaseResult): AutobahnIndexEntry {
  return {
    behavior: r.verdict.behavior,
    behaviorClose: r.verdict.behaviorClose,
    duration: r.run.durationMs,
    remoteCloseCode: r.run.closing.remoteCloseCode,
    reportfile: caseReportFileName(r.agent, r.caseDef.id),
  };
}
