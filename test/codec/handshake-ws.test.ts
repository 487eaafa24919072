/**
 * The handshake codec against a real peer: the `ws` library as server and as
 * client, over loopback TCP.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  buildClientRequest,
  buildErrorResponse,
  buildServerResponse,
  generateKey,
  parseExtensionList,
  parseRequestHead,
  parseResponseHead,
  validateClientRequest,
  validateServerResponse,
} from '../../src/codec/handshake.js';
import type { HeadParseResult, RequestHead, ResponseHead } from '../../src/codec/handshake.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Fixed "random" octets: tests are deterministic. */
const KEY = generateKey(Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff));

function startWsServer(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => done());
        }),
    );
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    cleanups.push(() => {
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/** Feed received chunks to `parse` until it stops answering `incomplete`; bounded by a timeout. */
function readHead<H>(
  socket: Socket,
  parse: (bytes: Uint8Array) => HeadParseResult<H>,
): Promise<{ result: HeadParseResult<H>; received: Uint8Array }> {
  return new Promise((resolve, reject) => {
    let received = new Uint8Array(0);
    const timer = setTimeout(() => reject(new Error('timed out waiting for a complete head')), 5000);
    const onClose = (): void => {
      clearTimeout(timer);
      reject(new Error('connection closed before a complete head'));
    };
    const onData = (chunk: Buffer): void => {
      const next = new Uint8Array(received.length + chunk.length);
      next.set(received, 0);
      next.set(chunk, received.length);
      received = next;
      const result = parse(received);
      if (result.kind !== 'incomplete') {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve({ result, received });
      }
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

function completeHead<H>(result: HeadParseResult<H>): { head: H; headLength: number } {
  if (result.kind !== 'complete') throw new Error(`expected a complete head, got ${JSON.stringify(result)}`);
  return result;
}

describe('client side against a ws server', () => {
  it('is accepted by ws, and validates its 101', async () => {
    const wss = await startWsServer();
    const { port } = wss.address() as AddressInfo;
    const connected = new Promise<string>((resolve) => wss.once('connection', (ws) => resolve(ws.protocol)));

    const socket = await openSocket(port);
    const request = buildClientRequest({
      host: '127.0.0.1',
      port,
      path: '/chat',
      key: KEY,
      protocols: ['chat', 'superchat'],
      origin: 'http://127.0.0.1',
    });
    socket.write(request.bytes);
    const { result } = await readHead<ResponseHead>(socket, (b) => parseResponseHead(b));
    const { head } = completeHead(result);

    expect(head.status).toBe(101);
    expect(validateServerResponse(head, { key: KEY, offeredProtocols: ['chat', 'superchat'], offeredExtensions: [] })).toEqual({
      ok: true,
      protocol: 'chat',
      extensions: [],
    });
    expect(await connected).toBe('chat');
  });

  it('negotiates permessage-deflate with ws and validates the accepted extension', async () => {
    const wss = await startWsServer({ perMessageDeflate: true });
    const { port } = wss.address() as AddressInfo;
    const socket = await openSocket(port);
    const offeredExtensions = parseExtensionList(['permessage-deflate; client_max_window_bits'])!;
    socket.write(
      buildClientRequest({ host: '127.0.0.1', port, path: '/', key: KEY, extensions: 'permessage-deflate; client_max_window_bits' })
        .bytes,
    );
    const { result } = await readHead<ResponseHead>(socket, (b) => parseResponseHead(b));
    const validation = validateServerResponse(completeHead(result).head, { key: KEY, offeredProtocols: [], offeredExtensions });
    expect(validation.ok).toBe(true);
    expect(validation.ok && validation.extensions.map((e) => e.name)).toEqual(['permessage-deflate']);
  });

  it('recognizes that ws refuses a bad key', async () => {
    const wss = await startWsServer();
    const { port } = wss.address() as AddressInfo;
    const socket = await openSocket(port);
    const badKey = generateKey(new Uint8Array(15));
    socket.write(buildClientRequest({ host: '127.0.0.1', port, path: '/', key: badKey }).bytes);
    const { result } = await readHead<ResponseHead>(socket, (b) => parseResponseHead(b));
    const { head } = completeHead(result);
    expect(head.status).toBe(400);
    const validation = validateServerResponse(head, { key: badKey, offeredProtocols: [], offeredExtensions: [] });
    expect(validation).toMatchObject({ ok: false, rule: '4.1' });
  });
});

describe('server side against a ws client', () => {
  function startNetServer(onConnection: (socket: Socket) => void): Promise<Server> {
    return new Promise((resolve, reject) => {
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        onConnection(socket);
      });
      cleanups.push(
        () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      );
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
  }

  function startClient(url: string, protocols: string[]): WebSocket {
    const client = new WebSocket(url, protocols);
    cleanups.push(() => {
      client.terminate();
    });
    return client;
  }

  it("accepts ws's request and ws opens on the 101 answer", async () => {
    let seen: { head: RequestHead; validation: ReturnType<typeof validateClientRequest> } | null = null;
    const server = await startNetServer((socket) => {
      void readHead<RequestHead>(socket, (b) => parseRequestHead(b)).then(({ result }) => {
        const { head } = completeHead(result);
        const validation = validateClientRequest(head);
        seen = { head, validation };
        if (!validation.ok) {
          socket.end(buildErrorResponse(validation.status, validation.reason).bytes);
          return;
        }
        socket.write(buildServerResponse({ key: validation.key, protocol: validation.protocols[0]! }).bytes);
      }, () => socket.destroy());
    });
    const { port } = server.address() as AddressInfo;

    const client = startClient(`ws://127.0.0.1:${port}/echo?x=1`, ['chat', 'superchat']);
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });

    expect(client.protocol).toBe('chat');
    expect(seen).not.toBeNull();
    const { validation } = seen!;
    expect(validation).toMatchObject({ ok: true, path: '/echo?x=1', protocols: ['chat', 'superchat'] });
    // ws offers permessage-deflate by default; the codec parsed the offer.
    expect(validation.ok && validation.extensions.map((e) => e.name)).toEqual(['permessage-deflate']);
  });

  it('sends a 426 that ws parses as an HTTP response', async () => {
    const server = await startNetServer((socket) => {
      void readHead<RequestHead>(socket, (b) => parseRequestHead(b)).then(() => {
        socket.end(buildErrorResponse(426, 'Sec-WebSocket-Version 13 required').bytes);
      }, () => socket.destroy());
    });
    const { port } = server.address() as AddressInfo;

    const client = startClient(`ws://127.0.0.1:${port}/`, []);
    const response = await new Promise<{ status: number | undefined; version: unknown; body: string }>((resolve, reject) => {
      client.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, version: res.headers['sec-websocket-version'], body }));
      });
      client.once('error', reject);
    });
    expect(response).toEqual({ status: 426, version: '13', body: 'Sec-WebSocket-Version 13 required' });
  });
});
