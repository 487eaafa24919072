/**
 * Every deliberately broken implementation is really broken, and wscheck says
 * how: its demonstration scenario fails against it with a first divergence
 * naming the problem (or the lint, or the failed handshake), while the same
 * scenario passes against `ws` and against the broken base without any
 * variation — so the bug is real, the scenario right, and the variation alone
 * makes the difference.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../../src/harness/result.js';
import {
  type BrokenBug,
  type Demonstration,
  brokenClient,
  clientBugs,
  serverBugs,
  startBrokenServer,
} from '../../../src/harness/targets/broken/index.js';
import { acceptFor } from '../../../src/harness/targets/broken/handshake.js';
import { clientTarget, serverTarget } from '../../../src/harness/targets/registry.js';
import type { ClientUnderTest, ServerUnderTest, TargetOptions } from '../../../src/harness/targets/target.js';
import { startWsEchoServer, wsEchoClient } from '../../../src/harness/targets/ws.js';
import { fails, runAgainstClient, runAgainstServer, scenarioCase, summary } from './support.js';

function expectShown(d: Exclude<Demonstration, { kind: 'not-expressible' }>, r: CaseResult): void {
  switch (d.kind) {
    case 'verdict':
      expect(fails(r), summary(r)).toBe(true);
      expect(r.verdict.firstDivergence, summary(r)).toContain(d.divergence);
      break;
    case 'lint':
      expect(fails(r), summary(r)).toBe(false);
      expect(r.lints.map((l) => l.id), summary(r)).toContain(d.lint);
      break;
    case 'handshake':
      expect(r.opened).toBe(false);
      expect(fails(r), summary(r)).toBe(true);
      expect(r.run.notes.join(' | ')).toContain(d.note);
      break;
  }
}

function expectPassed(r: CaseResult, who: string): void {
  expect(fails(r), `${who}: ${summary(r)}`).toBe(false);
  expect(r.lints, `${who}: ${summary(r)}`).toEqual([]);
}

describe('the list of broken implementations', () => {
  const all = [...serverBugs, ...clientBugs];

  it('has at least 25 distinct bugs, at least 6 of them in clients', () => {
    expect(new Set(all.map((b) => b.name)).size).toBeGreaterThanOrEqual(25);
    expect(clientBugs.length).toBeGreaterThanOrEqual(6);
  });

  it('registers each as builtin:broken/<name> in its role, saying what is wrong and which rule it breaks', () => {
    for (const b of all) {
      const t = b.role === 'server' ? serverTarget(`broken/${b.name}`) : clientTarget(`broken/${b.name}`);
      expect(t, b.name).toBeDefined();
      expect(t!.broken).toBe(true);
      expect(t!.description).toContain(b.wrong);
      expect(t!.description).toMatch(/RFC 6455 §[0-9.]+/);
    }
  });

  it('has one name per bug and role', () => {
    for (const list of [serverBugs, clientBugs]) expect(new Set(list.map((b) => b.name)).size).toBe(list.length);
  });
});

describe('broken servers', () => {
  let ws: ServerUnderTest;
  let base: ServerUnderTest;
  const started = new Set<ServerUnderTest>();

  beforeAll(async () => {
    ws = await startWsEchoServer();
    base = await startBrokenServer(null);
  });
  afterEach(async () => {
    await Promise.all([...started].map((s) => s.close()));
    started.clear();
  });
  afterAll(async () => {
    await ws.close();
    await base.close();
  });

  const start = async (bug: BrokenBug, options: TargetOptions = {}): Promise<ServerUnderTest> => {
    const s = await serverTarget(`broken/${bug.name}`)!.start(options);
    started.add(s);
    return s;
  };
  const own = async (s: Promise<ServerUnderTest>): Promise<ServerUnderTest> => {
    const running = await s;
    started.add(running);
    return running;
  };

  for (const bug of serverBugs) {
    const d = bug.demonstration;
    if (d.kind === 'not-expressible') continue;
    it(`${bug.name}: its demonstration shows the bug (${d.kind}); ws and the base pass it`, async () => {
      // A scenario that declares limits runs against peers configured with them, as the CLI starts them.
      const limits = d.scenario().limits;
      const options = limits !== undefined ? { limits } : {};
      const s = await start(bug, options);
      const c = scenarioCase(bug.name, d.scenario);
      expectShown(d, await runAgainstServer(c, s.url, bug.name));
      expectPassed(await runAgainstServer(c, (limits === undefined ? ws : await own(startWsEchoServer(options))).url, 'ws'), 'ws');
      expectPassed(await runAgainstServer(c, (limits === undefined ? base : await own(startBrokenServer(null, options))).url, 'base'), 'base');
    });
  }

  /** The status line a server answers an opening handshake asking for `version` with. */
  const statusFor = (url: string, version: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(url);
      const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
      let text = '';
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.includes('\r\n')) {
          socket.destroy();
          resolve(text.slice(0, text.indexOf('\r\n')));
        }
      });
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n\r\n`,
      );
    });

  it('version-not-checked, on a raw handshake: it upgrades a request for version 99; ws and the base refuse it', async () => {
    const s = await start(serverBugs.find((b) => b.name === 'version-not-checked')!);
    expect(await statusFor(s.url, '99')).toMatch(/^HTTP\/1\.1 101 /);
    expect(await statusFor(ws.url, '99')).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(await statusFor(base.url, '99')).toMatch(/^HTTP\/1\.1 426 /);
  });
});

describe('broken clients', () => {
  const started = new Set<ClientUnderTest>();
  afterEach(async () => {
    await Promise.all([...started].map((c) => c.close()));
    started.clear();
  });

  const start = async (bug: BrokenBug | null): Promise<ClientUnderTest> => {
    const c = bug === null ? brokenClient(null) : await clientTarget(`broken/${bug.name}`)!.start();
    started.add(c);
    return c;
  };

  for (const bug of clientBugs) {
    const d = bug.demonstration;
    if (d.kind === 'not-expressible') continue;
    it(`${bug.name}: its demonstration shows the bug (${d.kind}); ws and the base pass it`, async () => {
      const c = scenarioCase(bug.name, d.scenario);
      const run = async (client: ClientUnderTest, agent: string): Promise<CaseResult> => {
        const r = (await runAgainstClient([c], client, agent)).get(c.id);
        expect(r, `${agent} produced no result`).toBeDefined();
        return r!;
      };
      expectShown(d, await run(await start(bug), bug.name));
      const ws = wsEchoClient();
      started.add(ws);
      expectPassed(await run(ws, 'ws'), 'ws');
      expectPassed(await run(await start(null), 'base'), 'base');
    });
  }

  /**
   * A server that answers 101 with a wrong Sec-WebSocket-Accept and then
   * sends the text "gotcha": did the client echo it (it took the connection
   * as open)?
   */
  const echoesDespiteWrongAccept = async (client: ClientUnderTest): Promise<boolean> => {
    let echoed = false;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      let head = '';
      let upgraded = false;
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        if (upgraded) {
          // Any frame back from the client: the echo.
          echoed = true;
          socket.destroy();
          return;
        }
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        upgraded = true;
        const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
        const wrong = acceptFor(`${key}x`);
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${wrong}\r\n\r\n`);
        socket.write(Buffer.concat([Buffer.from([0x81, 6]), Buffer.from('gotcha')]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      await client.connect(`ws://127.0.0.1:${port}/`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return echoed;
  };

  it('accept-key-not-checked, on a raw handshake: it talks to a server with a wrong Sec-WebSocket-Accept; ws and the base do not', async () => {
    expect(await echoesDespiteWrongAccept(await start(clientBugs.find((b) => b.name === 'accept-key-not-checked')!))).toBe(true);
    const ws = wsEchoClient();
    started.add(ws);
    expect(await echoesDespiteWrongAccept(ws)).toBe(false);
    expect(await echoesDespiteWrongAccept(await start(null))).toBe(false);
  });
});
