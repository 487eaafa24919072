/**
 * Everything known about one case after it ran: what was observed, what was
 * expected, the verdict and the wire record. Reports are built from this.
 */
import type { CaseDefinition } from '../cases/types.js';
import type { Lint } from '../model/lints.js';
import type { LivenessObservation, OpeningObservation } from '../model/opening-verdict.js';
import type { Expectation } from '../model/oracle.js';
import type { Role } from '../model/types.js';
import type { Verdict } from '../model/verdict.js';
import type { CaseRunOutput } from './case-runner.js';
import type { WireEntry, WireStats } from './wire-log.js';

/**
 * Data traffic after the opening handshake, for compression cases (the
 * Autobahn report's `trafficStats`): octets at the wire, WebSocket (frame
 * payload, compressed) and application (message, uncompressed) levels, frames
 * and messages, both directions, and the ratios.
 */
export interface TrafficStats {
  readonly incomingCompressionRatio: number | null;
  readonly incomingOctetsAppLevel: number;
  readonly incomingOctetsWebSocketLevel: number;
  readonly incomingOctetsWireLevel: number;
  readonly incomingWebSocketFrames: number;
  readonly incomingWebSocketMessages: number;
  readonly incomingWebSocketOverhead: number | null;
  readonly outgoingCompressionRatio: number | null;
  readonly outgoingOctetsAppLevel: number;
  readonly outgoingOctetsWebSocketLevel: number;
  readonly outgoingOctetsWireLevel: number;
  readonly outgoingWebSocketFrames: number;
  readonly outgoingWebSocketMessages: number;
  readonly outgoingWebSocketOverhead: number | null;
  readonly preopenIncomingOctetsWireLevel: number;
  readonly preopenOutgoingOctetsWireLevel: number;
}

export interface CaseResult {
  readonly caseDef: CaseDefinition;
  /** Autobahn's `case` number for this run. */
  readonly caseNumber: number;
  readonly agent: string;
  /** Role of the implementation under test. */
  readonly peerRole: Role;
  /** When the TCP connection (tester as client) or the upgrade request (tester as server) started. */
  readonly started: Date;
  readonly opened: boolean;
  readonly httpRequest: string | null;
  readonly httpResponse: string | null;
  readonly run: CaseRunOutput;
  readonly wire: { readonly entries: readonly WireEntry[]; readonly stats: WireStats; readonly logEnabledAtEnd: boolean };
  readonly expectation: Expectation;
  readonly verdict: Verdict;
  readonly lints: readonly Lint[];
  /** The one command that runs this case again. */
  readonly replay: string;
  /** Compression cases that passed: traffic at each level. */
  readonly trafficStats: TrafficStats | null;
  /** Scenarios that vary the opening handshake: what became of it (answer, timing). */
  readonly opening?: OpeningObservation | null;
  /** The liveness probe after the case (P1), if the scenario asked for one. */
  readonly liveness?: LivenessObservation | null;
}

/**
 * What is kept of a case once its report is written: enough for summaries,
 * exit status and the API's status queries, without payloads or traces (a
 * run of the whole catalogue moves gigabytes; nothing of that must pile up).
 */
export interface CaseSummary {
  readonly caseDef: CaseDefinition;
  readonly agent: string;
  readonly peerRole: Role;
  readonly verdict: Verdict;
  readonly durationMs: number;
  readonly remoteCloseCode: number | null;
  readonly replay: string;
}

export function summarize(r: CaseResult): CaseSummary {
  return {
    caseDef: r.caseDef,
    agent: r.agent,
    peerRole: r.peerRole,
    verdict: r.verdict,
    durationMs: r.run.durationMs,
    remoteCloseCode: r.run.closing.remoteCloseCode,
    replay: r.replay,
  };
}
