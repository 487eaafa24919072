/**
 * Where every in-process server target listens: 127.0.0.1, a port the system
 * chooses (tests and benches never reach beyond loopback). Closing it ends
 * the connections still open too, upgraded ones included — an echo server
 * left with a connection would keep the process alive after a run.
 */
import http from 'node:http';
import type net from 'node:net';
import type { ServerUnderTest } from './target.js';

/** Listen on 127.0.0.1, port 0; `beforeClose` lets the library shut down its own state first. */
export async function listenOnLoopback(server: net.Server, beforeClose?: () => void): Promise<ServerUnderTest> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        beforeClose?.();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        if (server instanceof http.Server) server.closeAllConnections();
      }),
  };
}
