/**
 * A broken echo client: one TCP connection per `connect(url)`, the opening
 * handshake of handshake.ts, then the echo base of connection.ts with one
 * named variation switched on.
 */
import net from 'node:net';
import type { ClientUnderTest, TargetOptions } from '../target.js';
import { serveEcho, type Variation } from './connection.js';
import { buildRequest, checkResponse, newKey, readHead } from './handshake.js';

/** Bound on the opening handshake. */
const HANDSHAKE_TIMEOUT_MS = 5000;

/** A client with `variation` (null: the correct base), enforcing the declared limits. */
export function brokenClient(variation: Variation | null, options: TargetOptions = {}): ClientUnderTest {
  const sockets = new Set<net.Socket>();
  const connect = (text: string): Promise<void> =>
    new Promise<void>((resolve) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        resolve();
        return;
      }
      if (url.protocol !== 'ws:') {
        resolve();
        return;
      }
      const key = newKey();
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const socket = net.connect({ host, port: url.port === '' ? 80 : Number(url.port) });
      sockets.add(socket);
      socket.setNoDelay(true);
      const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        clearTimeout(timer);
        sockets.delete(socket);
        resolve();
      });
      socket.on('connect', () => socket.write(buildRequest(url, key)));
      let buffered = Buffer.alloc(0);
      const onHead = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        const read = readHead(buffered);
        if (read.kind === 'incomplete') return;
        clearTimeout(timer);
        socket.off('data', onHead);
        // §4.1: "If the server's response does not conform ... the client MUST _Fail the WebSocket Connection_."
        if (read.kind === 'too-long' || checkResponse(read.head, key, variation === 'accept-key-not-checked' ? variation : null) !== null) {
          socket.destroy();
          return;
        }
        serveEcho({ role: 'client', variation, socket, leftover: read.rest, ...(options.limits !== undefined ? { limits: options.limits } : {}) });
      };
      socket.on('data', onHead);
    });
  return {
    connect,
    close: async () => {
      for (const s of sockets) s.destroy();
    },
  };
}
