/**
 * `wscheck/vitest`: conformance and exploration from a test file. The user's
 * factory starts their own server (or client); one call runs the catalogue,
 * another explores; a failure throws with the first divergences, or the
 * shrunk counterexample, and the command that replays it.
 *
 *   import { conformance, exploration } from 'wscheck/vitest';
 *   test('conformance', () => conformance({ server: startMyServer, cases: ['1.*', '2.*'] }), 60_000);
 *   test('exploration', () => exploration({ server: startMyServer, runs: 300 }), 60_000);
 *
 * Nothing here imports vitest: any test runner that treats a thrown Error as a failure works.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { selectCases } from '../cases/catalogue.js';
import { parseTargetUrl } from '../harness/client-handshake.js';
import { decodeScenario, parseCounterexample } from '../harness/explore/counterexample.js';
import { type ExploreOutcome, explorationCase, explore, passes } from '../harness/explore/explore.js';
import { constraintsAsked } from '../harness/explore/exploration-case.js';
import { type LiveTarget, clientLiveTarget, serverLiveTarget } from '../harness/explore/live-target.js';
import { FuzzingServer } from '../harness/fuzzing-server.js';
import { type CaseSummary, summarize } from '../harness/result.js';
import { testServer } from '../harness/server-target.js';
import type { ClientUnderTest, ServerUnderTest } from '../harness/targets/target.js';
import { describeScenario } from '../model/describe.js';
import type { DeclaredLimits } from '../model/limits.js';
import { isFailure } from '../report/terminal.js';
import { ReportDirectory } from '../report/report-directory.js';

/** Start the implementation under test: a server (wscheck connects to `url`) or a client (it connects when asked). */
export type Subject = { readonly server: () => Promise<ServerUnderTest> } | { readonly client: () => Promise<ClientUnderTest> };

export type ConformanceOptions = Subject & {
  /** Case ids or Autobahn wildcards (default all). */
  readonly cases?: readonly string[];
  readonly exclude?: readonly string[];
  /** Agent name in reports (default `subject`). */
  readonly agent?: string;
  /** Write Autobahn-compatible reports here (default: none). */
  readonly out?: string;
  /** Cases at a time when testing a server (default 8). */
  readonly concurrency?: number;
};

export type ExplorationOptions = Subject & {
  readonly runs?: number;
  readonly seed?: number;
  readonly timeLimitSeconds?: number;
  /** Where a counterexample is saved (default corpus/counterexamples). */
  readonly out?: string;
  /** Name in counterexample files (default `subject`). */
  readonly name?: string;
  /**
   * The limits the subject enforces (RFC 6455 §10.4), as `--max-message` and
   * `--max-frame` declare them: scenarios then also announce frames and
   * messages past them, which the subject must refuse with 1009.
   */
  readonly limits?: DeclaredLimits;
  /** Vary the opening handshake too, as `wscheck explore --handshake`. */
  readonly handshake?: boolean;
  /** Negotiate permessage-deflate and send compressed messages, as `wscheck explore --deflate` (the subject must agree to it). */
  readonly deflate?: boolean;
};

/** What wscheck throws when the subject fails: the message says what and how to replay. */
export class WscheckFailure extends Error {
  override readonly name = 'WscheckFailure';
}

function isServer(s: Subject): s is { readonly server: () => Promise<ServerUnderTest> } {
  return 'server' in s;
}

/** Run catalogue cases against the subject; throws a WscheckFailure listing every failed case. */
export async function conformance(o: ConformanceOptions): Promise<CaseSummary[]> {
  const cases = selectCases(o.cases ?? ['*'], o.exclude ?? [], 'all', isServer(o) ? 'server' : 'client');
  const agent = o.agent ?? 'subject';
  const reports = o.out !== undefined ? new ReportDirectory(path.join(o.out, isServer(o) ? 'servers' : 'clients')) : null;
  let results: CaseSummary[];
  if (isServer(o)) {
    const server = await o.server();
    try {
      results = await testServer({
        target: parseTargetUrl(server.url),
        agent,
        cases,
        concurrency: o.concurrency ?? 8,
        replayCommand: (id) => `npx wscheck server <your server's URL> --cases ${id}`,
        onResult: (r) => reports?.add(r),
      });
    } finally {
      await server.close();
    }
  } else {
    const client = await o.client();
    const fuzzing = new FuzzingServer({
      host: '127.0.0.1',
      port: 0,
      cases,
      replayCommand: (id) => `npx wscheck client --exec "<your client> {url} {agent}" --cases ${id}`,
      onResult: (r) => reports?.add(r),
    });
    await fuzzing.listen();
    results = [];
    try {
      for (let n = 1; n <= cases.length; n++) await client.connect(`${fuzzing.url}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
    } finally {
      await fuzzing.close();
      await client.close();
    }
    results = [...(fuzzing.results.get(agent)?.values() ?? [])];
  }
  const failed = results.filter(isFailure);
  if (failed.length > 0) {
    const lines = failed.map((r) => `  ${r.caseDef.id}: behavior ${r.verdict.behavior}, close ${r.verdict.behaviorClose}: ${r.verdict.firstDivergence ?? r.verdict.resultClose}\n      replay: ${r.replay}`);
    throw new WscheckFailure(`${failed.length} of ${results.length} wscheck case${results.length === 1 ? '' : 's'} failed:\n${lines.join('\n')}`);
  }
  return results;
}

async function liveTarget(o: Subject, name: string): Promise<LiveTarget> {
  if (isServer(o)) {
    const server = await o.server();
    return serverLiveTarget(name, server.url, () => server.close());
  }
  return clientLiveTarget(name, await o.client());
}

/** Explore the subject with generated scenarios; throws a WscheckFailure with the shrunk counterexample. */
export async function exploration(o: ExplorationOptions): Promise<ExploreOutcome> {
  const name = o.name ?? 'subject';
  const seed = o.seed ?? (Date.now() >>> 0);
  const file = path.join(o.out ?? path.join('corpus', 'counterexamples'), `${name.replace(/[^A-Za-z0-9]+/g, '-')}-${seed}.json`);
  const target = await liveTarget(o, name);
  let outcome: ExploreOutcome;
  try {
    outcome = await explore({
      target,
      runs: o.runs ?? 200,
      seed,
      ...(o.timeLimitSeconds !== undefined ? { timeLimitSeconds: o.timeLimitSeconds } : {}),
      constraints: constraintsAsked(o),
      counterexamplePath: file,
      replayCommand: (f) => `replay('${f}', <the same factory>) from wscheck/vitest, or npx wscheck replay ${f} <URL of a running ${isServer(o) ? 'server' : 'client target'}>`,
    });
  } finally {
    await target.close();
  }
  if (outcome.counterexample !== null) {
    const ce = outcome.counterexample;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(ce.file, null, 2)}\n`);
    throw new WscheckFailure(
      [
        `wscheck found a counterexample after ${outcome.found?.runs ?? outcome.runs} runs (shrunk in ${outcome.shrinkSteps} steps):`,
        `  behavior ${ce.result.verdict.behavior}, close ${ce.result.verdict.behaviorClose}`,
        `  ${ce.result.verdict.firstDivergence ?? ce.result.verdict.resultClose}`,
        '  the tester sends:',
        ...ce.file.frames.map((f) => `    ${f}`),
        `  seed ${ce.file.seed}, path ${ce.file.path}`,
        `  saved: ${file}`,
        `  replay: ${ce.file.replay}`,
      ].join('\n'),
    );
  }
  return outcome;
}

/** Run a saved counterexample against the subject again; throws while it still fails. */
export async function replay(file: string, subject: Subject): Promise<void> {
  const ce = parseCounterexample(readFileSync(file, 'utf8'), file);
  const scenario = decodeScenario(ce.scenario);
  const target = await liveTarget(subject, ce.target);
  try {
    const result = await target.run(explorationCase(scenario, ce.label), `replay('${file}', …)`);
    if (!passes(result)) {
      throw new WscheckFailure(
        [`the counterexample ${file} still fails: behavior ${result.verdict.behavior}, close ${result.verdict.behaviorClose}`, `  ${result.verdict.firstDivergence ?? result.verdict.resultClose}`, ...describeScenario(scenario).map((f) => `    ${f}`)].join('\n'),
      );
    }
  } finally {
    await target.close();
  }
}

export { summarize, type CaseSummary };
