/**
 * `builtin:undici`: the WHATWG `WebSocket` of undici (the one Node's global
 * `WebSocket` is built from) as a client under test, in this process. There
 * is no undici WebSocket server. undici is a devDependency, imported when the
 * target starts (optional-import.ts); the adapter uses only the WHATWG API
 * (`new WebSocket(url)`, `binaryType`, events, `send`, `close`), so it works
 * with undici 7 (Node 20) and undici 8 (Node >= 22.19) alike.
 *
 * Binary messages arrive as ArrayBuffers (`binaryType = 'arraybuffer'`) and
 * go back as binary; text arrives as a string and goes back as text. undici's
 * limit is the dispatcher's `webSocket.maxPayloadSize`, 128 MiB by default,
 * enough for the 16 MiB messages of the limits cases, so the global
 * dispatcher is used unchanged.
 */
import { importOptional, libraryLabel } from './optional-import.js';
import type { ClientTargetFactory, ClientUnderTest, TargetOptions } from './target.js';

const PACKAGE = 'undici';

/** The WHATWG WebSocket interface, as much of it as the adapter uses. */
interface WhatwgWebSocket {
  binaryType: string;
  send(data: string | ArrayBuffer): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close' | 'error', listener: () => void): void;
}

interface UndiciModule {
  WebSocket: new (url: string, init?: { dispatcher?: unknown }) => WhatwgWebSocket;
  /** A dispatcher's `webSocket.maxPayloadSize` is the message limit, counted over fragments. */
  Agent: new (options: { webSocket: { maxPayloadSize: number } }) => { destroy(): Promise<void> };
}

export async function undiciEchoClient(options: TargetOptions = {}): Promise<ClientUnderTest> {
  const { WebSocket, Agent } = await importOptional<UndiciModule>(PACKAGE, 'undici');
  const max = options.limits?.maxMessage;
  // A declared limit needs a dispatcher of its own; otherwise the global one, with the default limit.
  const dispatcher = max === undefined ? null : new Agent({ webSocket: { maxPayloadSize: max } });
  const open = new Set<WhatwgWebSocket>();
  return {
    connect: (url) =>
      new Promise<void>((resolve) => {
        let socket: WhatwgWebSocket;
        try {
          socket = dispatcher === null ? new WebSocket(url) : new WebSocket(url, { dispatcher });
        } catch {
          resolve();
          return;
        }
        open.add(socket);
        socket.binaryType = 'arraybuffer';
        socket.addEventListener('message', (event) => {
          try {
            socket.send(event.data as string | ArrayBuffer);
          } catch {
            // send() throws only while CONNECTING; a message cannot arrive then.
          }
        });
        // The cases fail connections on purpose; the API reports that as an error event before close.
        socket.addEventListener('error', () => {});
        socket.addEventListener('close', () => {
          open.delete(socket);
          resolve();
        });
      }),
    close: async () => {
      for (const s of open) s.close();
      await dispatcher?.destroy();
    },
  };
}

export const undiciClientTarget: ClientTargetFactory = {
  name: 'undici',
  description: `${libraryLabel(PACKAGE)} (npm) WHATWG WebSocket client; maxPayloadSize 128 MiB (the default)`,
  limits: { message: true, frame: false },
  start: undiciEchoClient,
};
