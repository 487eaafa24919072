/** builtin targets in worker threads: they serve and connect as in-process ones, and stop cleanly. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startIsolatedClient, startIsolatedServer } from '../../src/harness/isolation/isolated-target.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('a target in a worker thread', () => {
  it('serves: builtin:ws echoes a message from this thread and closes', async () => {
    const server = await startIsolatedServer('ws');
    cleanups.push(() => server.close());
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const echoed = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(server.url);
      ws.on('open', () => ws.send('über'));
      ws.on('message', (data) => {
        resolve(String(data));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(echoed).toBe('über');
  });

  it('connects: builtin:ws as a client echoes until the server closes, then connect() resolves', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    cleanups.push(() => new Promise((r) => wss.close(() => r())));
    const got = new Promise<{ data: string; binary: boolean }>((resolve) => {
      wss.on('connection', (socket) => {
        socket.send(Buffer.from([1, 2, 3]), { binary: true });
        socket.on('message', (data, binary) => {
          resolve({ data: (data as Buffer).toString('hex'), binary });
          socket.close(1000);
        });
      });
    });
    const client = await startIsolatedClient('ws');
    cleanups.push(() => client.close());
    const { port } = wss.address() as { port: number };
    await client.connect(`ws://127.0.0.1:${port}/`);
    expect(await got).toEqual({ data: '010203', binary: true });
  });

  it('reports a target that cannot start', async () => {
    await expect(startIsolatedServer('no-such-target')).rejects.toThrow('no server target named "no-such-target"');
  });
});
