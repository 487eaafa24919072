/**
 * `builtin:ws`: the npm `ws` library as the implementation under test, in
 * this process. As a server: an echo server on 127.0.0.1 (port 0). As a
 * client: an Autobahn client driver (getCaseCount, runCase for each case with
 * an echo handler, updateReports), exactly what ws's own test scripts do.
 */
import { createRequire } from 'node:module';
import WebSocket, { WebSocketServer } from 'ws';
import { runAutobahnClientDriver } from '../autobahn-client-driver.js';
import type { ClientTargetFactory, ClientUnderTest, ServerTargetFactory, TargetOptions } from './target.js';

const require = createRequire(import.meta.url);

/** The installed ws version, for the agent name (`ws@8.18.3`). */
export function wsVersion(): string {
  return (require('ws/package.json') as { version: string }).version;
}

export type { ServerUnderTest as RunningServer } from './target.js';
import type { ServerUnderTest as RunningServer } from './target.js';

/** ws's `maxPayload` for the declared limits: it counts a message over its fragments, and bounds each frame with it. */
function wsLimits(options: TargetOptions): { maxPayload?: number } {
  const max = options.limits?.maxMessage;
  return max === undefined ? {} : { maxPayload: max };
}

/** An echo server: every message goes back with the same type. permessage-deflate is offered, as in ws's published runs. */
export async function startWsEchoServer(options: TargetOptions = {}): Promise<RunningServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, ...wsLimits(options) });
  server.on('connection', (socket) => {
    // Protocol errors from the tester are expected; ws reports them here after failing the connection.
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

/**
 * Drive the fuzzing server at `base` through every case with a ws client
 * echoing messages, `concurrency` cases at a time (each case is its own
 * connection, so they do not interfere; Autobahn's own drivers use 1).
 */
export function runWsAutobahnClient(base: string, agent: string, concurrency = 1): Promise<void> {
  return runAutobahnClientDriver(base, agent, wsEchoClient(), concurrency);
}

/** One ws client connection that echoes until it ends. */
export function wsEchoClient(options: TargetOptions = {}): ClientUnderTest {
  return {
    connect: (url) =>
      new Promise<void>((resolve) => {
        const socket = new WebSocket(url, wsLimits(options));
        socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      }),
    close: async () => {},
  };
}

export const wsServerTarget: ServerTargetFactory = {
  name: 'ws',
  description: `ws ${wsVersion()} (npm) echo server`,
  limits: { message: true, frame: false },
  start: startWsEchoServer,
};

export const wsClientTarget: ClientTargetFactory = {
  name: 'ws',
  description: `ws ${wsVersion()} (npm) client`,
  limits: { message: true, frame: false },
  start: async (options) => wsEchoClient(options),
};
