/**
 * A harness that cannot be hung: servers that misbehave on purpose (never
 * answer the handshake, go silent, flood 1 GiB, announce a 2^63 − 1 octet
 * frame, reset mid-frame, never close TCP). wscheck runs in a child process
 * so that its peak memory is its own; every case must end by its timeouts,
 * its report must be on disk, and the process must stay under 256 MB.
 * Ctrl-C must leave the report of the cases that finished.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { type ClientHostility, runHostileClient } from '../support/hostile-clients.js';
import { type HostileServer, type Hostility, startHostileServer } from '../support/hostile-servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RSS_LIMIT_KIB = 256 * 1024;
const CASES = ['1.1.1', '2.1', '7.1.1'];

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly maxRssKiB: number | null;
  readonly ms: number;
}

function runChild(args: readonly string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/cli-child.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const rss = /\{"maxRssKiB":(\d+)\}\s*$/.exec(stderr);
      resolve({ code, signal, stdout, stderr, maxRssKiB: rss === null ? null : Number(rss[1]), ms: performance.now() - started });
    });
  });
}

const servers: HostileServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function hostile(kind: Hostility): Promise<HostileServer> {
  const s = await startHostileServer(kind);
  servers.push(s);
  return s;
}

function reportOf(dir: string, id: string): { behavior: string; behaviorClose: string; wscheck?: { firstDivergence?: string | null; notes?: string[] } } {
  return JSON.parse(readFileSync(path.join(dir, 'servers', `unknownserver_case_${id.replaceAll('.', '_')}.json`), 'utf8'));
}

function indexedCases(dir: string): string[] {
  const index = JSON.parse(readFileSync(path.join(dir, 'servers', 'index.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  return Object.keys(index['UnknownServer'] ?? {}).sort();
}

describe.concurrent('hostile servers', () => {
  const cases: { kind: Hostility; check: (dir: string) => void }[] = [
    {
      kind: 'handshake-never-completes',
      check: (dir) => expect(reportOf(dir, '1.1.1').behavior).toBe('FAILED'),
    },
    {
      kind: 'endless-handshake-header',
      check: (dir) => expect(reportOf(dir, '1.1.1').wscheck?.notes?.join(' ')).toContain('head exceeds 65536 octets'),
    },
    {
      kind: 'silent-after-handshake',
      check: (dir) => expect(reportOf(dir, '1.1.1').wscheck?.firstDivergence).toContain('observed nothing more from the peer'),
    },
    {
      kind: 'flood-1gib',
      check: (dir) => expect(reportOf(dir, '1.1.1').behavior).toBe('FAILED'),
    },
    {
      kind: 'huge-frame',
      // The exact length, not 2^63 − 1 rounded to a double.
      check: (dir) => expect(reportOf(dir, '1.1.1').wscheck?.firstDivergence).toContain('frame payload of 9223372036854775807 octets exceeds the limit'),
    },
    {
      kind: 'reset-mid-frame',
      check: (dir) => expect(reportOf(dir, '1.1.1').behaviorClose).toBe('FAILED'),
    },
    {
      kind: 'never-closes-tcp',
      // The echo is right; the close is not.
      check: (dir) => expect(reportOf(dir, '1.1.1')).toMatchObject({ behavior: 'OK', behaviorClose: 'UNCLEAN' }),
    },
  ];

  for (const { kind, check } of cases) {
    it(`${kind}: every case ends, its report is written, memory stays under 256 MB`, async () => {
      const server = await hostile(kind);
      const out = tempDir(`hostile-${kind}`);
      const run = await runChild(['server', server.url, '--cases', CASES.join(','), '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      expect(indexedCases(out)).toEqual([...CASES].sort());
      for (const id of CASES) expect(reportOf(out, id).behavior).not.toBe('');
      check(out);
      expect(run.maxRssKiB).not.toBeNull();
      expect(run.maxRssKiB!).toBeLessThan(RSS_LIMIT_KIB);
    });
  }

  it('Ctrl-C: the cases that finished are reported, and wscheck exits 130', async () => {
    const server = await hostile('silent-after-handshake');
    const out = tempDir('hostile-sigint');
    let signalled = false;
    // Each case waits about 2 s for a peer that never answers; interrupt after the first result line.
    const run = await runChild(['server', server.url, '--cases', '1.*', '--concurrency', '2', '--out', out], (text, child) => {
      if (!signalled && /^1\.\d+\.\d+ /m.test(text)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    expect(signalled).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toContain('interrupted');
    const done = indexedCases(out);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(16);
    for (const id of done) expect(existsSync(path.join(out, 'servers', `unknownserver_case_${id.replaceAll('.', '_')}.json`))).toBe(true);
    expect(readdirSync(path.join(out, 'servers')).filter((f) => f.endsWith('.json') && f !== 'index.json')).toHaveLength(done.length);
  });
});

describe.concurrent('hostile clients', () => {
  const kinds: ClientHostility[] = ['handshake-never-completes', 'silent-after-handshake', 'flood-1gib', 'huge-frame', 'reset-mid-frame'];
  for (const kind of kinds) {
    it(`${kind}: the fuzzing server ends every case, writes its report and stays under 256 MB`, async () => {
      const out = tempDir(`hostile-client-${kind}`);
      let driving: Promise<void> | null = null;
      const run = await runChild(['client', '--port', '0', '--cases', CASES.join(','), '--out', out], (text) => {
        const url = /serving \d+ cases? at (ws:\/\/\S+) /.exec(text)?.[1];
        if (url !== undefined && driving === null) driving = runHostileClient(url, CASES.length, kind);
      });
      expect(driving).not.toBeNull();
      await driving;
      const written = existsSync(path.join(out, 'clients', 'index.json'));
      if (kind === 'handshake-never-completes') {
        // No case ever started: nothing to report, and the run says so.
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain('no client completed the opening handshake of a case');
        expect(written).toBe(false);
      } else {
        expect(run.code, run.stderr).toBe(1);
        const index = JSON.parse(readFileSync(path.join(out, 'clients', 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string }>>;
        expect(Object.keys(index['hostile'] ?? {}).sort()).toEqual([...CASES].sort());
        expect(Object.values(index['hostile']!).every((r) => r.behavior === 'FAILED')).toBe(true);
      }
      expect(run.maxRssKiB!).toBeLessThan(RSS_LIMIT_KIB);
    });
  }
});
