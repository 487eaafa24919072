/**
 * A broken echo client: one TCP connection per `connect(url)`, the opening
 * handshake of handshake.ts, then the echo base of connection.ts with one
 * named variation switched on.
 */
import net from 'node:net';
import type { ClientUnderTest, TargetOptions } from '../target.js';
import { serveEcho, type Variation } from './connection.js';
import { buildRequest, checkResponse, newKey, readHead } from './handshake.js';
import { CLIENT_DEFLATE_OFFER, checkDeflateAnswer, negotiatesDeflate } from './deflate.js';

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
      // The deflate variations offer permessage-deflate; the others offer no extension.
      const offersDeflate = negotiatesDeflate(variation);
      const request = buildRequest(url, key);
      socket.on('connect', () => socket.write(offersDeflate ? request.replace(/\r\n\r\n$/, `\r\nSec-WebSocket-Extensions: ${CLIENT_DEFLATE_OFFER}\r\n\r\n`) : request));
      let buffered = Buffer.alloc(0);
      const onHead = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        const read = readHead(buffered);
        if (read.kind === 'incomplete') return;
        clearTimeout(timer);
        socket.off('data', onHead);
        // §4.1: "If the server's response does not conform ... the client MUST _Fail the WebSocket Connection_."
        if (read.kind === 'too-long') {
          socket.destroy();
          return;
        }
        // With permessage-deflate offered, its answer is judged by RFC 7692 (deflate.ts), the rest of the head as usual.
        const extensions = read.head.headers.get('sec-websocket-extensions');
        const deflate = offersDeflate ? checkDeflateAnswer(extensions, variation) : 'none';
        const head = offersDeflate ? { ...read.head, headers: new Map([...read.head.headers].filter(([name]) => name !== 'sec-websocket-extensions')) } : read.head;
        if ((deflate !== 'deflate' && deflate !== 'none') || checkResponse(head, key, variation === 'accept-key-not-checked' || variation === 'unsolicited-selection-accepted' ? variation : null) !== null) {
          socket.destroy();
          return;
        }
        serveEcho({ role: 'client', variation, socket, leftover: read.rest, deflate: deflate === 'deflate', ...(options.limits !== undefined ? { limits: options.limits } : {}) });
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
