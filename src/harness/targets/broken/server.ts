/**
 * A broken echo server: a node:net server on 127.0.0.1 (port 0) doing the
 * opening handshake of handshake.ts and echoing with the base of
 * connection.ts, one named variation switched on.
 */
import net from 'node:net';
import type { ServerUnderTest, TargetOptions } from '../target.js';
import { listenOnLoopback } from '../loopback.js';
import { serveEcho, type Variation } from './connection.js';
import { SERVER_HANDSHAKE_BUGS, type ServerHandshakeBug, answerRequest, readHead } from './handshake.js';
import { acceptDeflateOffer, negotiatesDeflate } from './deflate.js';

/** Seconds a client has to send its opening handshake. */
const HEAD_TIMEOUT_MS = 5000;

/** Start an echo server with `variation` (null: the correct base), enforcing the declared limits. */
export async function startBrokenServer(variation: Variation | null, options: TargetOptions = {}): Promise<ServerUnderTest> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
    const onHead = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const read = readHead(buffered);
      if (read.kind === 'incomplete') return;
      clearTimeout(timer);
      socket.off('data', onHead);
      if (read.kind === 'too-long') {
        socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const answer = answerRequest(read.head, SERVER_HANDSHAKE_BUGS.includes(variation as ServerHandshakeBug) ? (variation as ServerHandshakeBug) : null);
      if (!answer.ok) {
        socket.end(answer.response);
        return;
      }
      // The deflate variations accept a valid permessage-deflate offer (RFC 7692 §7); the others ignore offers.
      const deflate = negotiatesDeflate(variation) ? acceptDeflateOffer(read.head.headers.get('sec-websocket-extensions')) : null;
      socket.write(deflate === null ? answer.response : answer.response.replace(/\r\n\r\n$/, `\r\nSec-WebSocket-Extensions: ${deflate}\r\n\r\n`));
      // `pipelined-frames-dropped` keeps only the head of what it read, like a server ignoring the `head` of Node's 'upgrade' event.
      const leftover = variation === 'pipelined-frames-dropped' ? Buffer.alloc(0) : read.rest;
      serveEcho({ role: 'server', variation, socket, leftover, deflate: deflate !== null, ...(options.limits !== undefined ? { limits: options.limits } : {}) });
    };
    socket.on('data', onHead);
    socket.on('close', () => clearTimeout(timer));
  });
  return listenOnLoopback(server);
}
