/** Autobahn spec files run unchanged: servers, case patterns, excludes, per-agent excludes, outdir. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startWsEchoServer } from '../../src/harness/targets/ws.js';
import { runCli, tempDir } from '../support/cli.js';

describe('Autobahn spec files', () => {
  let ws: RunningServer;
  beforeAll(async () => {
    ws = await startWsEchoServer();
  });
  afterAll(() => ws.close());

  it('fuzzingclient.json: every server, its agent, cases minus exclude-cases minus exclude-agent-cases, into outdir', async () => {
    const dir = tempDir('spec-client');
    const outdir = path.join(dir, 'reports', 'servers');
    const spec = path.join(dir, 'fuzzingclient.json');
    writeFileSync(
      spec,
      JSON.stringify({
        options: { failByDrop: false },
        outdir,
        servers: [
          { agent: 'ws-a', url: ws.url, options: { version: 18 } },
          { agent: 'ws-b', url: ws.url },
        ],
        cases: ['1.1.*', '2.1*'],
        'exclude-cases': ['1.1.8'],
        'exclude-agent-cases': { 'ws-*': ['2.1'], 'other': ['1.*'] },
      }),
    );
    const run = await runCli(['server', '--spec', spec]);
    expect(run.code).toBe(0);
    const index = JSON.parse(readFileSync(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    // "2.1*" selects 2.1, 2.10 and 2.11 (case patterns anchor at the start only); in exclude-agent-cases
    // "2.1" is anchored at both ends and takes away 2.1 alone, for every agent matching "ws-*".
    const kept = ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '2.10', '2.11'];
    expect(Object.keys(index['ws-a']!).sort()).toEqual(kept);
    expect(Object.keys(index['ws-b']!).sort()).toEqual(kept);
    expect(run.stdout).toContain('spec keys not acted on');
  });

  it('fuzzingserver.json: listens where the spec says and skips excluded agent cases without a result', async () => {
    const dir = tempDir('spec-server');
    const outdir = path.join(dir, 'clients');
    const spec = path.join(dir, 'fuzzingserver.json');
    writeFileSync(spec, JSON.stringify({ url: 'ws://127.0.0.1:0', outdir, cases: ['4.1.*'], 'exclude-agent-cases': { 'ws@*': ['4.1.2'] } }));
    const run = await runCli(['client', '--spec', spec, '--exec', 'builtin:ws']);
    expect(run.code).toBe(0);
    const index = JSON.parse(readFileSync(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(Object.values(index)[0]!).sort()).toEqual(['4.1.1', '4.1.3', '4.1.4', '4.1.5']);
  });

  it('a broken spec is a one-line error', async () => {
    const dir = tempDir('spec-bad');
    const spec = path.join(dir, 'fuzzingclient.json');
    writeFileSync(spec, '{"servers": [{"agent": "x"}], "cases": ["*"]}');
    const run = await runCli(['server', '--spec', spec]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('servers[0] needs a "url"');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
