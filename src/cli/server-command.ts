/** `wscheck server <ws-url | builtin:ws>`: test a server. */
import path from 'node:path';
import { selectCases } from '../cases/catalogue.js';
import { type TargetUrl, parseTargetUrl } from '../harness/client-handshake.js';
import { type CaseSummary, summarize } from '../harness/result.js';
import { testServer } from '../harness/server-target.js';
import { startWsEchoServer, wsVersion } from '../harness/targets/ws.js';
import { ReportDirectory } from '../report/report-directory.js';
import { isFailure } from '../report/terminal.js';
import type { ServerCommand } from './args.js';
import { UsageError } from './errors.js';
import { Output, shellQuote } from './output.js';
import { writeRunReports } from './report-files.js';

export async function runServerCommand(c: ServerCommand): Promise<number> {
  const cases = selectCases(c.cases, c.exclude);
  let target: TargetUrl;
  let agent: string;
  let stop = async (): Promise<void> => {};
  if (c.target.startsWith('builtin:')) {
    if (c.target !== 'builtin:ws') throw new UsageError(`unknown builtin "${c.target}"; available: builtin:ws`);
    const server = await startWsEchoServer();
    stop = server.close;
    target = parseTargetUrl(server.url);
    agent = c.agent ?? `ws@${wsVersion()}`;
  } else {
    target = parseTargetUrl(c.target);
    agent = c.agent ?? 'UnknownServer';
  }
  const dir = new ReportDirectory(path.join(c.out, 'servers'));
  const out = new Output(c, cases.length);
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    out.info('\ninterrupted: finishing the cases under way (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  out.info(`wscheck: testing server ${c.target}${c.target === target.text ? '' : ` (${target.text})`} as ${agent}: ${cases.length} case${cases.length === 1 ? '' : 's'}, ${c.concurrency} at a time`);
  let results: CaseSummary[];
  try {
    results = await testServer({
      target,
      agent,
      cases,
      concurrency: c.concurrency,
      replayCommand: (id) => `npx wscheck server ${shellQuote(c.target)} --cases ${id}`,
      onResult: (r) => {
        dir.add(r);
        out.result(summarize(r));
      },
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    await stop();
  }
  writeRunReports(dir.dir, c.junit, `wscheck servers: ${agent}`, out);
  out.finish(results, dir.dir, { role: 'server', agent, target: c.target });
  if (abort.signal.aborted) return 130;
  return results.some(isFailure) ? 1 : 0;
}
