/**
 * Testing a server: the tester connects as a client, one TCP connection per
 * case, several cases at a time. Results arrive through `onResult` as cases
 * finish, in completion order; the returned list is in catalogue order.
 */
import { longestFirst } from '../cases/cost.js';
import { CaseGate } from './case-gate.js';
import { findCase, caseIndex } from '../cases/catalogue.js';
import type { CaseDefinition } from '../cases/types.js';
import { assemble, contextOf, expectationFor, freshMaskSeed, unopenedRun } from './assemble.js';
import { type CaseRunOutput, runCase, scenarioSeconds } from './case-runner.js';
import type { PerMessageDeflate } from '../codec/deflate/index.js';
import { type TargetUrl, connectTcp, openAsClient } from './client-handshake.js';
import { encodePipelined } from '../model/pipelined.js';
import { type AnswerTimingObservation, answerBudgetMs } from '../model/opening-verdict.js';
import { measureAnswerMs, measureBaselineMs } from './answer-timing.js';
import { probeServer } from './liveness.js';
import { clientDeflateAgreement, clientDeflateOffer } from './deflate-negotiation.js';
import { type CaseResult, type CaseSummary, summarize } from './result.js';
import { WireRecorder } from './wire-log.js';

export const OPEN_HANDSHAKE_TIMEOUT_MS = 5000;
/** Beyond a scenario's own timers: the closing handshake (1 s), the server's TCP close (1 s), and slack. */
const DEADLINE_SLACK_SECONDS = 5;

export interface TestServerOptions {
  readonly target: TargetUrl;
  readonly agent: string;
  readonly cases: readonly CaseDefinition[];
  readonly concurrency: number;
  /** How to run one case again, for reports: gets the case id. */
  readonly replayCommand: (caseId: string) => string;
  readonly onResult?: (result: CaseResult) => void;
  readonly userAgent?: string;
  /** Stop starting new cases (cases under way finish). */
  readonly signal?: AbortSignal;
}

/** Run one case against the server. Rejects only when the server cannot be reached at all. */
export async function runServerCase(caseDef: CaseDefinition, o: TestServerOptions): Promise<CaseResult> {
  const expectation = expectationFor(caseDef, 'server');
  const scenario = caseDef.scenario();
  const userAgent = o.userAgent ?? 'wscheck';
  const request = scenario.opening?.request;
  const timing = request?.timing;
  const maskSeed = scenario.maskSeed ?? freshMaskSeed();
  // Frames pipelined with the request are masked from a seed of their own (the case's frames use `maskSeed`).
  const pipelined = request?.frames !== undefined && request.frames.length > 0 ? encodePipelined(request.frames, 'client', freshMaskSeed()) : undefined;
  const baselineMs = timing !== undefined ? await measureBaselineMs(o.target, userAgent, request!, timing, OPEN_HANDSHAKE_TIMEOUT_MS) : null;
  const started = new Date();
  const t0 = performance.now();
  const recorder = new WireRecorder(() => performance.now() - t0);
  const socket = await connectTcp(o.target, OPEN_HANDSHAKE_TIMEOUT_MS);
  const offer = scenario.deflate !== undefined ? clientDeflateOffer(scenario.deflate) : null;
  const opening = await openAsClient(socket, o.target, recorder, {
    timeoutMs: OPEN_HANDSHAKE_TIMEOUT_MS,
    userAgent,
    ...(offer !== null ? { extensions: { header: offer.header, offered: offer.elements, agree: clientDeflateAgreement } } : {}),
    ...(request !== undefined ? { variation: request } : {}),
    ...(pipelined !== undefined ? { pipelined } : {}),
  });
  const extension = (opening.extension ?? null) as PerMessageDeflate | null;
  // A server that upgrades a request it had to refuse has failed the case already; the tester says goodbye at once.
  const upgradeExpected = expectation.opening === undefined || expectation.opening.acceptable.some((a) => a.pattern.kind === 'upgrade');
  let run: CaseRunOutput;
  if (opening.opened && upgradeExpected) {
    run = await runCase({
      socket,
      scenario,
      context: { ...contextOf(expectation), deflate: extension !== null },
      extension,
      testerRole: 'client',
      maskSeed,
      recorder,
      leftover: opening.leftover,
      deadlineSeconds: scenarioSeconds(scenario.steps) + DEADLINE_SLACK_SECONDS,
      ...(pipelined !== undefined ? { framesSentBefore: pipelined.sent } : {}),
    });
  } else if (opening.opened) {
    socket.destroy();
    run = unopenedRun('the server upgraded a request it had to refuse; the tester closed the connection', false, Math.round(performance.now() - t0));
  } else {
    run = unopenedRun(opening.failure, opening.timedOut, Math.round(performance.now() - t0));
  }
  const liveness = scenario.probeAfter ? await probeServer(o.target, userAgent) : null;
  let timingSeen: AnswerTimingObservation | null = null;
  if (timing !== undefined && baselineMs !== null) {
    const over = opening.answerMs !== null && opening.answerMs > answerBudgetMs(timing, baselineMs);
    // Over budget once may be a stall of this machine: measure both again before calling the server slow.
    const recheck =
      over && liveness?.ok !== false
        ? {
            baselineMs: await measureBaselineMs(o.target, userAgent, request!, timing, OPEN_HANDSHAKE_TIMEOUT_MS),
            answerMs: await measureAnswerMs(o.target, userAgent, { variation: request!, ...(pipelined !== undefined ? { pipelined } : {}) }, OPEN_HANDSHAKE_TIMEOUT_MS),
          }
        : null;
    timingSeen = { answerMs: opening.answerMs, baselineMs, recheck };
  }
  const result = assemble({
    extension,
    caseDef,
    // Autobahn's fuzzingclient numbers a case by its place in the whole catalogue.
    caseNumber: findCase(caseDef.id) === undefined ? 0 : caseIndex(caseDef.id),
    agent: o.agent,
    peerRole: 'server',
    started,
    opened: opening.opened,
    httpRequest: opening.httpRequest,
    httpResponse: opening.httpResponse,
    run,
    recorder,
    replay: o.replayCommand(caseDef.id),
    ...(scenario.opening !== undefined ? { opening: { outcome: opening.outcome, timing: timingSeen } } : {}),
    ...(liveness !== null ? { liveness } : {}),
  });
  extension?.close();
  return result;
}

/**
 * Run every case, `concurrency` at a time (an exclusive case alone), the longest first. Full results go
 * to `onResult` as cases finish; the summaries come back in catalogue order.
 */
export async function testServer(o: TestServerOptions): Promise<CaseSummary[]> {
  const results: (CaseSummary | undefined)[] = new Array(o.cases.length);
  const order = longestFirst(o.cases);
  let next = 0;
  let failure: unknown = null;
  const gate = new CaseGate();
  const worker = async (): Promise<void> => {
    while (failure === null && !o.signal?.aborted) {
      if (next >= order.length) return;
      const k = order[next++]!;
      try {
        const caseDef = o.cases[k]!;
        const r = await gate.run(caseDef.exclusive === true, () => runServerCase(caseDef, o));
        results[k] = summarize(r);
        o.onResult?.(r);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.cases.length)) }, worker));
  if (failure !== null) throw failure;
  return results.filter((r): r is CaseSummary => r !== undefined);
}
