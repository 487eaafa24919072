/** `wscheck client [--exec CMD | builtin:NAME]`: test a client through the fuzzingserver API. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { selectCases } from '../cases/catalogue.js';
import { withDeclaredLimits } from '../cases/declared-limits.js';
import { limitOptions } from '../model/limits.js';
import { chopAgent, chopArgument, chopOf, choppedCase } from '../cases/chopped.js';
import { segmentationApplies, segmentationName } from '../model/segmentation.js';
import { FuzzingServer } from '../harness/fuzzing-server.js';
import { summarize } from '../harness/result.js';
import { runAutobahnClientDriver } from '../harness/autobahn-client-driver.js';
import { longestFirst } from '../cases/cost.js';
import { startIsolatedClient } from '../harness/isolation/isolated-target.js';
import { builtinAgent, builtinName, checkBuiltin } from './builtin.js';
import { ReportDirectory } from '../report/report-directory.js';
import { isFailure } from '../report/terminal.js';
import type { ClientCommand } from './args.js';
import { StartError } from './errors.js';
import { excludedFor, readFuzzingServerSpec } from './spec.js';
import { parseTargetUrl } from '../harness/client-handshake.js';
import { Output, shellQuote } from './output.js';
import { writeRunReports } from './report-files.js';

/** Port of the Autobahn fuzzingserver's default spec, so existing client scripts find wscheck. */
export const DEFAULT_PORT = 9001;

function runExec(command: string, url: string, agent: string): Promise<number> {
  const line = command.replaceAll('{url}', shellQuote(url)).replaceAll('{agent}', shellQuote(agent));
  return new Promise((resolve, reject) => {
    const child = spawn(line, { shell: true, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (e) => reject(new StartError(`cannot start the client "${line}": ${e.message}`)));
    child.once('exit', (code, signal) => resolve(code ?? (signal !== null ? 128 : 1)));
  });
}

export async function runClientCommand(c: ClientCommand): Promise<number> {
  const builtin = builtinName(c.exec);
  if (builtin !== null) checkBuiltin('client', builtin, c.limits);
  const spec = c.spec === null ? null : readFuzzingServerSpec(c.spec);
  const selected = withDeclaredLimits(spec === null ? selectCases(c.cases, c.exclude, 'all', 'client') : selectCases(spec.cases, spec.excludeCases, 'autobahn'), c.limits);
  // Chopped replays follow the plain cases as further case numbers, so any Autobahn driver runs them
  // unchanged; their results go to "<agent> (chop PATTERN)". The tester is the server: its frames carry no masking key.
  const chops = c.chop.filter((s) => segmentationApplies(s, 'server'));
  const cases = [...selected, ...chops.flatMap((s) => selected.map((k) => choppedCase(k, s)))];
  let host = c.host;
  let port = c.port;
  if (spec !== null) {
    const url = parseTargetUrl(spec.url);
    host = url.host;
    port = port ?? url.port;
  }
  const dir = new ReportDirectory(spec !== null && !c.outSet ? spec.outdir : path.join(c.out, 'clients'));
  const out = new Output(c, cases.length);
  const unmasked = c.chop.filter((s) => !segmentationApplies(s, 'server'));
  if (unmasked.length > 0) out.info(`wscheck: --chop ${unmasked.map(segmentationName).join(',')} skipped: frames a server sends have no masking key to cut`);
  const execText = c.exec === null ? '' : ` --exec ${shellQuote(c.exec)}`;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  if (spec !== null && spec.ignored.length > 0) out.info(`wscheck: spec keys not acted on (engine options of the Autobahn testsuite): ${spec.ignored.join(', ')}`);
  const server = new FuzzingServer({
    host,
    port: port ?? (c.exec === null ? DEFAULT_PORT : 0),
    ...(spec !== null ? { excluded: (agent: string, id: string) => excludedFor(spec.excludeAgentCases, agent)(id) } : {}),
    cases,
    replayCommand: (id, def) => `npx wscheck client${execText} --cases ${id}${chopArgument(chopOf(def))}${limitOptions(c.limits)}`,
    onResult: (r) => {
      dir.add(r);
      out.result(summarize(r));
    },
    onStop: () => stopRequested(),
  });
  try {
    await server.listen();
  } catch (e) {
    throw new StartError((e as Error).message);
  }
  const url = server.url;
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    out.info('\ninterrupted: stopping (Ctrl-C again to quit now)');
    stopRequested();
  };
  process.on('SIGINT', onSigint);
  let agent: string | null = null;
  let clientExit: number | null = null;
  try {
    if (builtin !== null) {
      agent = c.agent ?? builtinAgent(builtin);
      out.info(`wscheck: testing the client ${c.exec} (${agent}) against ${url}: ${cases.length} case${cases.length === 1 ? '' : 's'}, ${c.concurrency} at a time`);
      const client = await startIsolatedClient(builtin, c.limits !== undefined ? { limits: c.limits } : {}).catch((e: Error) => {
        throw new StartError(`cannot start ${c.exec}: ${e.message}`);
      });
      try {
        // The server numbers the selected cases 1..n in catalogue order; run the longest first.
        const longest = longestFirst(cases).map((k) => k + 1);
        const inOrder = (n: number) => (n === longest.length ? longest : Array.from({ length: n }, (_, k) => k + 1));
        const exclusive = (n: number) => cases[n - 1]?.exclusive === true;
        await Promise.race([runAutobahnClientDriver(url, agent, client, c.concurrency, inOrder, exclusive), stopped]);
      } finally {
        await client.close();
      }
    } else if (c.exec !== null) {
      agent = c.agent ?? 'wscheck-client';
      out.info(`wscheck: serving ${cases.length} case${cases.length === 1 ? '' : 's'} at ${url}; running: ${c.exec}`);
      clientExit = await Promise.race([runExec(c.exec, url, agent), stopped.then(() => null)]);
    } else {
      out.info(`wscheck: serving ${cases.length} case${cases.length === 1 ? '' : 's'} at ${url} (Autobahn fuzzingserver API).`);
      out.info(`  run your client: ${url}/getCaseCount, then ${url}/runCase?case=N&agent=NAME for N = 1..${cases.length}, then ${url}/updateReports?agent=NAME`);
      out.info('  stops on /updateReports?agent=NAME&shutdownOnComplete=true, /stopServer or Ctrl-C');
      await stopped;
    }
  } finally {
    process.off('SIGINT', onSigint);
    await server.close();
  }
  const results = [...server.results.values()].flatMap((byCase) => [...byCase.values()]);
  if (results.length === 0 && !interrupted) {
    if (c.exec !== null) throw new StartError(`the client ran no case (exit status ${clientExit ?? 'unknown'}); check that --exec connects to {url} and uses {agent}`);
    throw new StartError(`no client completed the opening handshake of a case before the server was stopped; check that your client opens ${url}/runCase?case=N&agent=NAME`);
  }
  if (results.length > 0) writeRunReports(dir.dir, c.junit, 'wscheck clients', out);
  out.finish(results, dir.dir, { role: 'client', url });
  const skipped = (id: string) => spec !== null && agent !== null && excludedFor(spec.excludeAgentCases, agent)(id);
  const missing = agent === null ? [] : cases.filter((k) => !server.results.get(chopAgent(agent!, chopOf(k)))?.has(k.id) && !skipped(k.id));
  if (missing.length > 0) {
    out.info(`${missing.length} selected case${missing.length === 1 ? ' was' : 's were'} not run by ${agent}: ${missing.map((k) => k.id + chopArgument(chopOf(k))).join(', ')}`);
  }
  if (interrupted) return 130;
  return results.some(isFailure) || missing.length > 0 ? 1 : 0;
}
