/**
 * `builtin:faye`: faye-websocket (with its websocket-driver) as the
 * implementation under test, in this process. As a server: an echo server on
 * a node:http server bound to 127.0.0.1 (port 0), upgrading every WebSocket
 * request. As a client: one `Faye.Client` per connection, echoing until it
 * closes. faye-websocket is a devDependency: it is imported when a target
 * starts (see optional-import.ts).
 *
 * faye's message limit is its `maxLength` option, 2^26 - 1 octets (64 MiB)
 * by default; the adapters set it to 2^26, enough for the 16 MiB messages of
 * the limits cases. Messages come as a string (text) or a Buffer (binary) and
 * `send` keeps that type, so echoes keep the message type.
 */
import http from 'node:http';
import type net from 'node:net';
import { listenOnLoopback } from './loopback.js';
import { importOptional, libraryLabel } from './optional-import.js';
import type { ClientTargetFactory, ClientUnderTest, ServerTargetFactory, ServerUnderTest, TargetOptions } from './target.js';

const PACKAGE = 'faye-websocket';
const MAX_LENGTH = 2 ** 26;

/** The part of faye-websocket's API the adapters use (it ships no types). */
interface FayeSocket {
  on(event: 'message', listener: (event: { data: string | Buffer }) => void): void;
  on(event: 'close' | 'error', listener: () => void): void;
  send(data: string | Buffer): boolean;
  close(): void;
}

interface FayeModule {
  new (request: http.IncomingMessage, socket: net.Socket, body: Buffer, protocols: string[], options: { maxLength: number }): FayeSocket;
  isWebSocket(request: http.IncomingMessage): boolean;
  Client: new (url: string, protocols: string[], options: { maxLength: number }) => FayeSocket;
}

const load = (): Promise<FayeModule> => importOptional<FayeModule>(PACKAGE, 'faye');

function echo(socket: FayeSocket): void {
  // The cases fail connections on purpose; faye reports that as an error event.
  socket.on('error', () => {});
  socket.on('message', (event) => {
    socket.send(event.data);
  });
}

/** faye's `maxLength` bounds a message over its fragments (checked at each frame header). */
const maxLengthOf = (options: TargetOptions): number => options.limits?.maxMessage ?? MAX_LENGTH;

export async function startFayeEchoServer(options: TargetOptions = {}): Promise<ServerUnderTest> {
  const Faye = await load();
  const maxLength = maxLengthOf(options);
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket only\n');
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, body: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!Faye.isWebSocket(request)) {
      // faye leaves other upgrade requests to the application; this one refuses them as HTTP would.
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    echo(new Faye(request, socket, body, [], { maxLength }));
  });
  // No 'clientError' listener: Node answers a head it cannot parse or that is too large with 400 or 431, as an application server would.
  return listenOnLoopback(server);
}

export async function fayeEchoClient(options: TargetOptions = {}): Promise<ClientUnderTest> {
  const Faye = await load();
  const maxLength = maxLengthOf(options);
  const open = new Set<FayeSocket>();
  return {
    connect: (url) =>
      new Promise<void>((resolve) => {
        let socket: FayeSocket;
        try {
          socket = new Faye.Client(url, [], { maxLength });
        } catch {
          resolve();
          return;
        }
        open.add(socket);
        echo(socket);
        socket.on('close', () => {
          open.delete(socket);
          resolve();
        });
      }),
    close: async () => {
      for (const s of open) s.close();
    },
  };
}

export const fayeServerTarget: ServerTargetFactory = {
  name: 'faye',
  description: `${libraryLabel(PACKAGE)} (npm) echo server on node:http; maxLength 2^26 (default 2^26 - 1)`,
  limits: { message: true, frame: false },
  start: startFayeEchoServer,
};

export const fayeClientTarget: ClientTargetFactory = {
  name: 'faye',
  description: `${libraryLabel(PACKAGE)} (npm) client; maxLength 2^26 (default 2^26 - 1)`,
  limits: { message: true, frame: false },
  start: fayeEchoClient,
};
