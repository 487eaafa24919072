/** `wscheck server <ws-url | builtin:NAME>` or `wscheck server --spec fuzzingclient.json`: test servers. */
import path from 'node:path';
import { selectCases } from '../cases/catalogue.js';
import { withDeclaredLimits } from '../cases/declared-limits.js';
import { limitOptions } from '../model/limits.js';
import { chopAgent, chopArgument, choppedCase } from '../cases/chopped.js';
import { describeSegmentation } from '../model/segmentation.js';
import type { CaseDefinition } from '../cases/types.js';
import { type TargetUrl, parseTargetUrl } from '../harness/client-handshake.js';
import { type CaseSummary, summarize } from '../harness/result.js';
import { testServer } from '../harness/server-target.js';
import { startIsolatedServer } from '../harness/isolation/isolated-target.js';
import { ReportDirectory } from '../report/report-directory.js';
import { isFailure } from '../report/terminal.js';
import type { ServerCommand } from './args.js';
import { builtinAgent, builtinName, checkBuiltin } from './builtin.js';
import { StartError } from './errors.js';
import { Output, shellQuote } from './output.js';
import { writeRunReports } from './report-files.js';
import { excludedFor, readFuzzingClientSpec } from './spec.js';

/** One server to test: what the user named, and with which cases. */
interface Job {
  readonly target: string;
  readonly agent: string | null;
  readonly cases: readonly CaseDefinition[];
}

function jobs(c: ServerCommand): { jobs: Job[]; dir: string; ignoredKeys: string } {
  if (c.spec === null) {
    return { jobs: [{ target: c.target!, agent: c.agent, cases: withDeclaredLimits(selectCases(c.cases, c.exclude, 'all', 'server'), c.limits) }], dir: path.join(c.out, 'servers'), ignoredKeys: '' };
  }
  const spec = readFuzzingClientSpec(c.spec);
  // An Autobahn spec file means Autobahn's catalogue: its "*" does not pull in wscheck's own categories.
  const all = selectCases(spec.cases, spec.excludeCases, 'autobahn');
  return {
    jobs: spec.servers.map((s) => {
      const agent = s.agent ?? c.agent;
      const excluded = agent === null ? () => false : excludedFor(spec.excludeAgentCases, agent);
      return { target: s.url, agent, cases: all.filter((k) => !excluded(k.id)) };
    }),
    dir: c.outSet ? path.join(c.out, 'servers') : spec.outdir,
    ignoredKeys: spec.ignored.length > 0 ? spec.ignored.join(', ') : '',
  };
}

export async function runServerCommand(c: ServerCommand): Promise<number> {
  const plan = jobs(c);
  const dir = new ReportDirectory(plan.dir);
  // The plain run, then one replay per --chop pattern, each reported as an agent of its own.
  const passes = [null, ...c.chop];
  const total = plan.jobs.reduce((n, j) => n + j.cases.length, 0) * passes.length;
  const out = new Output(c, total);
  if (plan.ignoredKeys !== '') out.info(`wscheck: spec keys not acted on (engine options of the Autobahn testsuite): ${plan.ignoredKeys}`);
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    out.info('\ninterrupted: finishing the cases under way (Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const results: CaseSummary[] = [];
  const agents: string[] = [];
  try {
    for (const job of plan.jobs) {
      if (abort.signal.aborted) break;
      let target: TargetUrl;
      let agent: string;
      let stop = async (): Promise<void> => {};
      const builtin = builtinName(job.target);
      if (builtin !== null) {
        checkBuiltin('server', builtin, c.limits);
        const server = await startIsolatedServer(builtin, c.limits !== undefined ? { limits: c.limits } : {}).catch((e: Error) => {
          throw new StartError(`cannot start ${job.target}: ${e.message}`);
        });
        stop = server.close;
        target = parseTargetUrl(server.url);
        agent = job.agent ?? builtinAgent(builtin);
      } else {
        target = parseTargetUrl(job.target);
        agent = job.agent ?? 'UnknownServer';
      }
      const replay = c.spec === null ? (id: string) => `npx wscheck server ${shellQuote(job.target)} --cases ${id}${limitOptions(c.limits)}` : (id: string) => `npx wscheck server ${shellQuote(job.target)} --agent ${shellQuote(agent)} --cases ${id}${limitOptions(c.limits)}`;
      try {
        for (const chop of passes) {
          if (abort.signal.aborted) break;
          const passAgent = chopAgent(agent, chop);
          agents.push(passAgent);
          out.info(
            `wscheck: testing server ${job.target}${job.target === target.text ? '' : ` (${target.text})`} as ${passAgent}: ${job.cases.length} case${job.cases.length === 1 ? '' : 's'}, ${c.concurrency} at a time` +
              (chop === null ? '' : `; chopped replay: ${describeSegmentation(chop)}`),
          );
          results.push(
            ...(await testServer({
              target,
              agent: passAgent,
              cases: chop === null ? job.cases : job.cases.map((k) => choppedCase(k, chop)),
              concurrency: c.concurrency,
              replayCommand: (id) => replay(id) + chopArgument(chop),
              onResult: (r) => {
                dir.add(r);
                out.result(summarize(r));
              },
              signal: abort.signal,
            })),
          );
        }
      } finally {
        await stop();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  writeRunReports(dir.dir, c.junit, `wscheck servers: ${agents.join(', ')}`, out);
  out.finish(results, dir.dir, { role: 'server', agents });
  if (abort.signal.aborted) return 130;
  return results.some(isFailure) ? 1 : 0;
}
