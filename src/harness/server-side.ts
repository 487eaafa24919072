/**
 * The tester as the server of one connection whose opening handshake it has
 * accepted: run the case, judge it. Shared by the fuzzing server (testing
 * clients through the Autobahn API) and exploration of clients.
 */
import type net from 'node:net';
import type { CaseDefinition } from '../cases/types.js';
import type { PerMessageDeflate } from '../codec/deflate/index.js';
import { assemble, contextOf, expectationFor, freshMaskSeed } from './assemble.js';
import { runCase, scenarioSeconds } from './case-runner.js';
import type { CaseResult } from './result.js';
import type { WireRecorder } from './wire-log.js';
import { classifyClientReaction } from '../model/opening-outcome.js';
import type { LivenessObservation } from '../model/opening-verdict.js';
import type { SentFrame } from '../model/types.js';

/** Beyond a scenario's own timers: the closing handshake, the TCP close, and slack. */
const DEADLINE_SLACK_SECONDS = 5;

export interface ServerSideRun {
  readonly socket: net.Socket;
  readonly caseDef: CaseDefinition;
  readonly caseNumber: number;
  readonly agent: string;
  readonly started: Date;
  readonly httpRequest: string;
  readonly httpResponse: string;
  readonly recorder: WireRecorder;
  /** Octets after the request head (frames the client sent with it). */
  readonly leftover: Uint8Array;
  readonly replay: string;
  /** The extension agreed in the handshake this side answered (permessage-deflate), or null. */
  readonly extension?: PerMessageDeflate | null;
  /** Frames the tester sent in the same write as its 101 (a varied answer, category 14). */
  readonly framesSentBefore?: readonly SentFrame[];
  /** The liveness probe (P1), called once the case's connection is over (`endedAt`: performance.now()). */
  readonly liveness?: (endedAt: number) => Promise<LivenessObservation>;
}

export async function runCaseAsServer(i: ServerSideRun): Promise<CaseResult> {
  const scenario = i.caseDef.scenario();
  const expectation = expectationFor(i.caseDef, 'client');
  const extension = i.extension ?? null;
  const run = await runCase({
    socket: i.socket,
    scenario,
    extension,
    context: { ...contextOf(expectation), deflate: extension !== null },
    testerRole: 'server',
    maskSeed: freshMaskSeed(),
    recorder: i.recorder,
    leftover: i.leftover,
    deadlineSeconds: scenarioSeconds(scenario.steps) + DEADLINE_SLACK_SECONDS,
    ...(i.framesSentBefore !== undefined ? { framesSentBefore: i.framesSentBefore } : {}),
  });
  const liveness = i.liveness === undefined ? null : await i.liveness(performance.now());
  // What the client did after the varied 101 is read off what the tester observed.
  const opening = scenario.opening !== undefined ? { outcome: classifyClientReaction(run.observations, run.durationMs) } : null;
  const result = assemble({
    extension,
    caseDef: i.caseDef,
    caseNumber: i.caseNumber,
    agent: i.agent,
    peerRole: 'client',
    started: i.started,
    opened: true,
    httpRequest: i.httpRequest,
    httpResponse: i.httpResponse,
    run,
    recorder: i.recorder,
    replay: i.replay,
    ...(opening !== null ? { opening } : {}),
    ...(liveness !== null ? { liveness } : {}),
  });
  extension?.close();
  return result;
}
