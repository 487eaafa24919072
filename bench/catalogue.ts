/**
 * How long the catalogue takes against ws, per role, and who spends the CPU.
 *
 *   npm run build && npx tsx bench/catalogue.ts [--cases GLOBS] [--roles server,client] [--concurrency N]
 *
 * Two runs per role:
 * - `builtin`: `wscheck server builtin:ws` / `wscheck client builtin:ws`, the
 *   command a user types (ws in a worker thread of the same process): wall
 *   time, CPU and peak memory of the whole run;
 * - `split`: the same cases against ws 8 in a separate process
 *   (bench/support/ws-peer.mjs), so that the tester's CPU and the peer's are
 *   measured apart. The ratio tester/peer is what wscheck costs per unit of
 *   work the implementation under test does.
 * Every run must end with no FAILED case (ws passes the catalogue); the bench
 * says so if not.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'bench/support/measured-cli.mjs');
const PEER = path.join(ROOT, 'bench/support/ws-peer.mjs');

interface Usage {
  readonly wallMs: number;
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssKiB: number;
}

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.*,10.*' }, roles: { type: 'string', default: 'server,client' }, concurrency: { type: 'string', default: '8' } },
});
const cases = values.cases!;
const concurrency = values.concurrency!;

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ usage: Usage; code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      try {
        const u = JSON.parse(last) as Usage & { code: number };
        resolve({ usage: u, code: u.code, stdout, stderr });
      } catch {
        reject(new Error(`wscheck did not report its usage:\n${stderr}`));
      }
    });
  });
}

function failures(out: string, role: 'server' | 'client'): number {
  const index = JSON.parse(readFileSync(path.join(out, role === 'server' ? 'servers' : 'clients', 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string; behaviorClose: string }>>;
  return Object.values(index)
    .flatMap((byCase) => Object.values(byCase))
    .filter((r) => r.behavior === 'FAILED' || r.behaviorClose === 'FAILED').length;
}

async function startPeerServer(usageFile: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [PEER, 'server'], { env: { ...process.env, WS_PEER_USAGE: usageFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const cpu = (u: Usage): number => u.userMs + u.systemMs;

interface Row {
  role: string;
  kind: string;
  wall: string;
  testerCpu: string;
  peerCpu: string;
  ratio: string;
  rss: string;
  failed: number;
}

async function measure(role: 'server' | 'client'): Promise<Row[]> {
  const rows: Row[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'wscheck-bench-'));
  try {
    // builtin: what users run.
    const outA = path.join(work, 'builtin');
    const a = await run([role, 'builtin:ws', '--cases', cases, '--concurrency', concurrency, '--out', outA]);
    rows.push({ role, kind: 'builtin:ws (worker thread)', wall: seconds(a.usage.wallMs), testerCpu: `${seconds(cpu(a.usage))} (both)`, peerCpu: '–', ratio: '–', rss: `${Math.round(a.usage.maxRssKiB / 1024)} MB`, failed: failures(outA, role) });

    // split: ws in its own process.
    const outB = path.join(work, 'split');
    const usageFile = path.join(work, 'peer-usage.json');
    let b;
    if (role === 'server') {
      const peer = await startPeerServer(usageFile);
      b = await run(['server', `ws://127.0.0.1:${peer.port}`, '--agent', 'ws', '--cases', cases, '--concurrency', concurrency, '--out', outB]);
      await peer.stop();
    } else {
      const exec = `${JSON.stringify(process.execPath)} ${JSON.stringify(PEER)} client {url} {agent} ${concurrency}`;
      b = await run(['client', '--port', '0', '--exec', exec, '--agent', 'ws', '--cases', cases, '--out', outB], { WS_PEER_USAGE: usageFile });
    }
    const peerUsage = JSON.parse(readFileSync(usageFile, 'utf8')) as Usage;
    rows.push({
      role,
      kind: 'ws in its own process',
      wall: seconds(b.usage.wallMs),
      testerCpu: seconds(cpu(b.usage)),
      peerCpu: seconds(cpu(peerUsage)),
      ratio: (cpu(b.usage) / cpu(peerUsage)).toFixed(2),
      rss: `${Math.round(b.usage.maxRssKiB / 1024)} MB`,
      failed: failures(outB, role),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

const rows: Row[] = [];
for (const role of values.roles!.split(',') as ('server' | 'client')[]) rows.push(...(await measure(role)));
console.log(`cases ${cases}, concurrency ${concurrency}; seconds`);
console.log('| role | peer | wall | wscheck CPU | ws CPU | wscheck/ws CPU | peak RSS (wscheck) | FAILED |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.role} | ${r.kind} | ${r.wall} | ${r.testerCpu} | ${r.peerCpu} | ${r.ratio} | ${r.rss} | ${r.failed} |`);
if (rows.some((r) => r.failed > 0)) console.log('\nSome runs had FAILED cases: these numbers do not describe a conforming run.');
