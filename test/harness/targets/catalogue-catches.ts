/**
 * Which broken implementations Autobahn's fixed catalogue catches: every one
 * of its cases but category 9 (limits/performance, slow and not about bugs
 * in these; wscheck's own categories have their own tables) against
 * every `builtin:broken/*` target in its role. Prints the table of
 * docs/broken-targets.md. Not a test (minutes of run time); run it with
 *
 *   npx tsx test/harness/targets/catalogue-catches.ts [bug-name-substring]
 */
import { selectCases } from '../../../src/cases/index.js';
import { parseTargetUrl } from '../../../src/harness/client-handshake.js';
import { FuzzingServer } from '../../../src/harness/fuzzing-server.js';
import type { CaseResult } from '../../../src/harness/result.js';
import { testServer } from '../../../src/harness/server-target.js';
import { type BrokenBug, brokenClient, clientBugs, serverBugs, startBrokenServer } from '../../../src/harness/targets/broken/index.js';

const only = process.argv[2];
const cases = selectCases(['*'], ['9.*'], 'autobahn');

/** The rule of wscheck's exit status: behavior FAILED, or a closing behaviour other than OK / INFORMATIONAL. */
function failed(r: CaseResult): boolean {
  return r.verdict.behavior === 'FAILED' || !['OK', 'INFORMATIONAL'].includes(r.verdict.behaviorClose);
}

interface Finding {
  readonly failed: string[];
  readonly lints: Map<string, string[]>;
  readonly first: string | null;
}

function collector(): { onResult: (r: CaseResult) => void; finding: Finding } {
  const finding: Finding = { failed: [], lints: new Map(), first: null };
  const results: CaseResult[] = [];
  return {
    finding,
    onResult: (r) => {
      results.push(r);
      if (failed(r)) finding.failed.push(r.caseDef.id);
      for (const l of r.lints) {
        const ids = finding.lints.get(l.id) ?? [];
        ids.push(r.caseDef.id);
        finding.lints.set(l.id, ids);
      }
    },
  };
}

async function runServer(bug: BrokenBug): Promise<Finding> {
  const s = await startBrokenServer(bug.name);
  const c = collector();
  try {
    await testServer({ target: parseTargetUrl(s.url), agent: bug.name, cases, concurrency: 4, replayCommand: () => '', onResult: c.onResult });
  } finally {
    await s.close();
  }
  return c.finding;
}

async function runClient(bug: BrokenBug): Promise<Finding> {
  const c = collector();
  const server = new FuzzingServer({ host: '127.0.0.1', port: 0, cases, replayCommand: () => '', onResult: c.onResult });
  await server.listen();
  const client = brokenClient(bug.name);
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= cases.length) {
      const n = next++;
      await client.connect(`${server.url}/runCase?case=${n}&agent=${bug.name}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await client.close();
  await server.close();
  return c.finding;
}

function byId(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

/** How many cases, and the first few ids. */
function ids(list: string[]): string {
  const sorted = [...new Set(list)].sort(byId);
  const shown = sorted.slice(0, 4).join(', ');
  return `${sorted.length} case${sorted.length === 1 ? '' : 's'}: ${shown}${sorted.length > 4 ? ', …' : ''}`;
}

console.log(`| bug | role | RFC 6455 | catalogue catches? | which cases (of ${cases.length}: all but category 9) |`);
console.log('|---|---|---|---|---|');
for (const bug of [...serverBugs, ...clientBugs]) {
  if (only !== undefined && !bug.name.includes(only)) continue;
  const f = bug.role === 'server' ? await runServer(bug) : await runClient(bug);
  const section = /^§[0-9.]+/.exec(bug.rule)?.[0] ?? bug.rule;
  let verdict: string;
  let which: string;
  if (f.failed.length > 0) {
    verdict = 'yes';
    which = `fails ${ids(f.failed)}`;
  } else if (f.lints.size > 0) {
    verdict = 'lint only';
    which = [...f.lints].map(([id, list]) => `lint ${id}: ${ids(list)}`).join('; ');
  } else {
    verdict = '**no**';
    which = '—';
  }
  console.log(`| \`${bug.name}\` | ${bug.role} | ${section} | ${verdict} | ${which} |`);
}
