/**
 * Testing a server: the tester connects as a client, one TCP connection per
 * case, several cases at a time. Results arrive through `onResult` as cases
 * finish, in completion order; the returned list is in catalogue order.
 */
import { longestFirst } from '../cases/cost.js';
import { findCase, caseIndex } from '../cases/catalogue.js';
import type { CaseDefinition } from '../cases/types.js';
import { assemble, contextOf, expectationFor, freshMaskSeed, unopenedRun } from './assemble.js';
import { type CaseRunOutput, runCase, scenarioSeconds } from './case-runner.js';
import type { PerMessageDeflate } from '../codec/deflate/index.js';
import { type TargetUrl, connectTcp, openAsClient } from './client-handshake.js';
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
  expectationFor(caseDef, 'server');
  const started = new Date();
  const t0 = performance.now();
  const recorder = new WireRecorder(() => performance.now() - t0);
  const scenario = caseDef.scenario();
  const socket = await connectTcp(o.target, OPEN_HANDSHAKE_TIMEOUT_MS);
  const offer = scenario.deflate !== undefined ? clientDeflateOffer(scenario.deflate) : null;
  const opening = await openAsClient(socket, o.target, recorder, {
    timeoutMs: OPEN_HANDSHAKE_TIMEOUT_MS,
    userAgent: o.userAgent ?? 'wscheck',
    ...(offer !== null ? { extensions: { header: offer.header, offered: offer.elements, agree: clientDeflateAgreement } } : {}),
  });
  const extension = (opening.extension ?? null) as PerMessageDeflate | null;
  let run: CaseRunOutput;
  if (opening.opened) {
    run = await runCase({
      socket,
      scenario,
      context: { ...contextOf(expectationFor(caseDef, 'server')), deflate: extension !== null },
      extension,
      testerRole: 'client',
      maskSeed: freshMaskSeed(),
      recorder,
      leftover: opening.leftover,
      deadlineSeconds: scenarioSeconds(scenario.steps) + DEADLINE_SLACK_SECONDS,
    });
  } else {
    run = unopenedRun(opening.failure, opening.timedOut, Math.round(performance.now() - t0));
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
  });
  extension?.close();
  return result;
}

/**
 * Run every case, `concurrency` at a time, the longest first. Full results go
 * to `onResult` as cases finish; the summaries come back in catalogue order.
 */
export async function testServer(o: TestServerOptions): Promise<CaseSummary[]> {
  const results: (CaseSummary | undefined)[] = new Array(o.cases.length);
  const order = longestFirst(o.cases);
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && !o.signal?.aborted) {
      if (next >= order.length) return;
      const k = order[next++]!;
      try {
        const r = await runServerCase(o.cases[k]!, o);
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
