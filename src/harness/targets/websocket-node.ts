/**
 * `builtin:websocket`: WebSocket-Node (npm `websocket`) as the implementation
 * under test, in this process. As a server: its `server` on a node:http server
 * bound to 127.0.0.1 (port 0), accepting every request. As a client: one
 * `client` per connection, echoing until it closes. The package is a
 * devDependency: it is imported when a target starts (optional-import.ts).
 *
 * Its limits are small by default — a server takes frames up to 64 KiB and
 * messages up to 1 MiB, a client frames up to 1 MiB and messages up to 8 MiB —
 * so the adapters raise both to 64 MiB, enough for the 16 MiB messages of the
 * limits cases. Text echoes go out with `sendUTF`, binary with `sendBytes`.
 */
import http from 'node:http';
import type net from 'node:net';
import type { client as WsnClient, connection as WsnConnection, Message, server as WsnServer } from 'websocket';
import { listenOnLoopback } from './loopback.js';
import { importOptional, libraryLabel } from './optional-import.js';
import type { ClientTargetFactory, ClientUnderTest, ServerTargetFactory, ServerUnderTest, TargetOptions } from './target.js';

const PACKAGE = 'websocket';
const LIMIT = 64 * 1024 * 1024;

interface WebSocketNodeModule {
  server: typeof WsnServer;
  client: typeof WsnClient;
}

const load = (): Promise<WebSocketNodeModule> => importOptional<WebSocketNodeModule>(PACKAGE, 'websocket');

function echo(connection: WsnConnection): void {
  // The cases fail connections on purpose; WebSocket-Node reports that as an error event.
  connection.on('error', () => {});
  connection.on('message', (m: Message) => {
    if (m.type === 'utf8') connection.sendUTF(m.utf8Data);
    else connection.sendBytes(m.binaryData);
  });
}

/** WebSocket-Node has both limits; a declared message limit alone bounds frames too. */
function limitsOf(options: TargetOptions): { maxReceivedFrameSize: number; maxReceivedMessageSize: number } {
  const message = options.limits?.maxMessage ?? LIMIT;
  return { maxReceivedFrameSize: Math.min(options.limits?.maxFrame ?? message, message), maxReceivedMessageSize: message };
}

export async function startWebSocketNodeEchoServer(options: TargetOptions = {}): Promise<ServerUnderTest> {
  const { server: Server } = await load();
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket only\n');
  });
  httpServer.on('upgrade', (_request: http.IncomingMessage, socket: net.Socket) => {
    // WebSocket-Node handles the upgrade itself; this only keeps a socket error from ever going unhandled.
    socket.on('error', () => {});
  });
  // No 'clientError' listener: Node answers a head it cannot parse or that is too large with 400 or 431, as an application server would.
  const wss = new Server({ httpServer, autoAcceptConnections: false, ...limitsOf(options) });
  wss.on('request', (request) => {
    try {
      echo(request.accept(null, request.origin));
    } catch {
      // accept() throws for requests it cannot accept; they were answered already.
    }
  });
  return listenOnLoopback(httpServer, () => wss.shutDown());
}

export async function webSocketNodeEchoClient(options: TargetOptions = {}): Promise<ClientUnderTest> {
  const { client: Client } = await load();
  const open = new Set<WsnConnection>();
  return {
    connect: (url) =>
      new Promise<void>((resolve) => {
        const client = new Client(limitsOf(options));
        client.on('connectFailed', () => resolve());
        client.on('connect', (connection) => {
          open.add(connection);
          echo(connection);
          connection.on('close', () => {
            open.delete(connection);
            resolve();
          });
        });
        try {
          client.connect(url);
        } catch {
          resolve();
        }
      }),
    close: async () => {
      for (const c of open) c.drop();
    },
  };
}

export const webSocketNodeServerTarget: ServerTargetFactory = {
  name: 'websocket',
  description: `${libraryLabel(PACKAGE)} (npm, WebSocket-Node) echo server on node:http; frame and message limits 64 MiB (defaults 64 KiB and 1 MiB)`,
  limits: { message: true, frame: true },
  start: startWebSocketNodeEchoServer,
};

export const webSocketNodeClientTarget: ClientTargetFactory = {
  name: 'websocket',
  description: `${libraryLabel(PACKAGE)} (npm, WebSocket-Node) client; frame and message limits 64 MiB (defaults 1 MiB and 8 MiB)`,
  limits: { message: true, frame: true },
  start: webSocketNodeEchoClient,
};
