/**
 * The seed case 4.1.5 end to end, both roles, against the real ws library:
 * verdicts as Autobahn published them for ws 8.18.3, a broken server caught
 * with its first divergence named, and the frames the tester sends.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAutobahnCaseReport } from '../../src/report/autobahn-json.js';
import { type RunningServer, startBrokenEchoServer } from '../fixtures/broken-echo-server.js';
import { requireShared } from '../support/autobahn-data.js';
import { runCli, tempDir } from '../support/cli.js';

function published(role: 'servers' | 'clients'): { behavior: string; behaviorClose: string } {
  const text = readFileSync(requireShared(`published/percase/websockets_ws@aba4b70/${role}/ws_8_18_3_case_4_1_5.json`), 'utf8');
  return JSON.parse(text) as { behavior: string; behaviorClose: string };
}

function report(dir: string, file: string) {
  const r = readAutobahnCaseReport(readFileSync(path.join(dir, file), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.value as typeof r.value & { wscheck: { firstDivergence: string | null; replay: string } };
}

describe('case 4.1.5, wscheck testing a server', () => {
  it('reports builtin:ws as Autobahn reported ws 8.18.3, and exits 0', async () => {
    const out = tempDir('seed-server');
    const run = await runCli(['server', 'builtin:ws', '--cases', '4.1.5', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = report(path.join(out, 'servers'), 'ws_8_18_3_case_4_1_5.json');
    const expected = published('servers');
    expect([r.behavior, r.behaviorClose]).toEqual([expected.behavior, expected.behaviorClose]);
    expect(r.remoteCloseCode).toBe(1002);
    expect(r.closedByMe).toBe(false);
  });

  describe('against a server that echoes the opcode-7 frame as binary', () => {
    let broken: RunningServer;
    beforeAll(async () => {
      broken = await startBrokenEchoServer('reserved-opcode-as-binary');
    });
    afterAll(() => broken.close());

    it('reports FAILED, names the first divergence and the replay command, and exits 1', async () => {
      const out = tempDir('seed-broken');
      const run = await runCli(['server', broken.url, '--cases', '4.1.5', '--out', out, '--agent', 'broken']);
      expect(run.code).toBe(1);
      const r = report(path.join(out, 'servers'), 'broken_case_4_1_5.json');
      expect(r.behavior).toBe('FAILED');
      expect(r.wscheck.firstDivergence).toMatch(/^expected Close frame with code 1002 after frame 2 \(reserved opcode 7\); observed binary message of 13 octets/);
      expect(r.wscheck.replay).toBe(`npx wscheck server ${broken.url} --cases 4.1.5`);
      expect(run.stdout).toContain('4.1.5  behavior FAILED');
      expect(run.stdout).toContain(`replay: npx wscheck server ${broken.url} --cases 4.1.5`);
    });
  });
});

describe('lints', () => {
  it('reports a close reason padded with NUL octets beside an unchanged verdict', async () => {
    const broken = await startBrokenEchoServer('close-reason-nul-padding');
    try {
      const out = tempDir('nul');
      const run = await runCli(['server', broken.url, '--cases', '4.1.1', '--out', out, '--agent', 'padded']);
      expect(run.code).toBe(0);
      const r = report(path.join(out, 'servers'), 'padded_case_4_1_1.json') as ReturnType<typeof report> & { wscheck: { lints: { id: string }[] } };
      expect([r.behavior, r.behaviorClose, r.remoteCloseCode]).toEqual(['OK', 'OK', 1002]);
      expect(r.remoteCloseReason).toBe('\0'.repeat(41));
      expect(r.wscheck.lints.map((l) => l.id)).toEqual(['close-reason-nul-padding']);
    } finally {
      await broken.close();
    }
  });
});

describe('case 4.1.5, wscheck testing a client', () => {
  const client = path.resolve(import.meta.dirname, '../../examples/ws-autobahn-client.mjs');

  it('runs the ws-based example client through the fuzzingserver API and reports OK/OK with the sections of an Autobahn report', async () => {
    const out = tempDir('seed-client');
    const run = await runCli(['client', '--exec', `node ${client} {url} {agent}`, '--cases', '4.1.5', '--out', out, '--agent', 'ws-example']);
    expect(run.code).toBe(0);
    const r = report(path.join(out, 'clients'), 'ws_example_case_4_1_5.json');
    const expected = published('clients');
    expect([r.behavior, r.behaviorClose]).toEqual([expected.behavior, expected.behaviorClose]);
    expect(r.isServer).toBe(true);
    // The sections of an Autobahn case report are all there.
    expect(r.expected).toEqual({ OK: [['message', 'Hello, world!', false]], 'NON-STRICT': [] });
    expect(r.received).toEqual([['message', 'Hello, world!', false]]);
    expect(r.expectedClose).toEqual({ closeCode: [1002], closedByMe: false, requireClean: false });
    expect(r.httpRequest).toMatch(/^GET \/runCase\?case=1&agent=ws-example HTTP\/1\.1\r\n/);
    expect(r.httpResponse).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(r.rxFrameStats).toEqual({ '1': 1, '8': 1 });
    expect(r.txFrameStats).toEqual({ '1': 1, '7': 1, '8': 1, '9': 1 });
    expect(r.remoteCloseCode).toBe(1002);

    // The seed's frames, each in 1-octet chops, then only the reply to the peer's Close.
    const sent = r.wirelog.filter((w) => w[0] === 'TF');
    expect(sent.map((w) => [w[1], w[2], w[7]])).toEqual([
      [[13, 'Hello, world!'], 1, 1],
      [[13, 'Hello, world!'], 7, 1],
      [[0, ''], 9, 1],
      [[2, '0x03e8'], 8, null],
    ]);
    const seed = '810d48656c6c6f2c20776f726c6421870d48656c6c6f2c20776f726c64218900';
    const firstFrame = r.wirelog.findIndex((w) => w[0] === 'TF');
    const chops = r.wirelog.slice(firstFrame).filter((w) => w[0] === 'TO' && w[2] === true);
    expect(chops.every((w) => w[0] === 'TO' && w[1][0] === 1)).toBe(true);
    expect(seed.startsWith(chops.map((w) => (w[0] === 'TO' ? w[1][1] : '')).join(''))).toBe(true);
    // Once the peer's Close arrived, no further chop was written.
    const closeAt = r.wirelog.findIndex((w) => w[0] === 'RF' && w[2] === 8);
    expect(r.wirelog.slice(closeAt).filter((w) => w[0] === 'TO' && w[2] === true)).toEqual([]);
  });
});
