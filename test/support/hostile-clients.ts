/**
 * WebSocket clients that misbehave on purpose against wscheck's fuzzing
 * server (`wscheck client`): each opens `/runCase?case=N` for every case and
 * then does one hostile thing, like the servers in hostile-servers.ts.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { header, pour } from './hostile-servers.js';

export type ClientHostility = 'handshake-never-completes' | 'silent-after-handshake' | 'flood-1gib' | 'huge-frame' | 'reset-mid-frame';

const GIB = 1024 * 1024 * 1024;
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** One connection for case `n`; resolves when the server has closed it. */
function hostileConnection(host: string, port: number, n: number, agent: string, kind: ClientHostility): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    const request = `GET /runCase?case=${n}&agent=${agent} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    if (kind === 'handshake-never-completes') {
      socket.write(request.slice(0, 40));
      socket.resume();
      return;
    }
    socket.write(request);
    let head = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      if (head.indexOf('\r\n\r\n') < 0) return;
      socket.off('data', onData);
      socket.resume();
      const key = Buffer.from([1, 2, 3, 4]);
      switch (kind) {
        case 'silent-after-handshake':
          return;
        case 'flood-1gib':
          // Masked with a key whose XOR the server must undo: octets of 0 become 1 2 3 4 …
          pour(socket, Buffer.concat([header(0x2, 65536, true, true), key, Buffer.alloc(65536)]), GIB, () => {});
          return;
        case 'huge-frame':
          socket.write(Buffer.concat([header(0x2, 2n ** 63n - 1n, true, true), key]));
          pour(socket, Buffer.alloc(65536), GIB, () => {});
          return;
        case 'reset-mid-frame':
          socket.write(Buffer.concat([header(0x1, 100, true, true), key, Buffer.alloc(20)]), () => socket.resetAndDestroy());
          return;
      }
    };
    socket.on('data', onData);
  });
}

/** Run cases 1..count with the hostile behaviour, then ask for the reports and the server's shutdown. */
export async function runHostileClient(base: string, count: number, kind: ClientHostility, agent = 'hostile'): Promise<void> {
  const url = new URL(base);
  await Promise.all(Array.from({ length: count }, (_, k) => hostileConnection(url.hostname, Number(url.port), k + 1, agent, kind)));
  await new Promise<void>((resolve) => {
    const ws = new WebSocket(`${base}/updateReports?agent=${agent}&shutdownOnComplete=true`);
    ws.on('close', () => resolve());
    ws.on('error', () => resolve());
  });
}
