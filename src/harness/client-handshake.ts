/**
 * The tester as a WebSocket client: connect TCP, send the opening handshake,
 * read and check the server's answer. Bounded by the open-handshake timeout.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type ExtensionOffer, buildClientRequest, generateKey, parseResponseHead, validateServerResponse } from '../codec/handshake.js';
import { HeadReader } from './head-reader.js';
import type { WireRecorder } from './wire-log.js';

export interface TargetUrl {
  readonly host: string;
  readonly port: number;
  /** request-target: path and query. */
  readonly path: string;
  readonly text: string;
}

export class TargetUrlError extends Error {
  override readonly name = 'TargetUrlError';
}

/** Parse a `ws://host:port/path` target (wss is not supported yet: say so). */
export function parseTargetUrl(text: string): TargetUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetUrlError(`"${text}" is not a URL; give a server as ws://host:port/path or builtin:ws`);
  }
  if (url.protocol === 'wss:') throw new TargetUrlError(`wss:// is not supported yet; test the server over ws:// (${text})`);
  if (url.protocol !== 'ws:') throw new TargetUrlError(`"${text}" is not a ws:// URL; give a server as ws://host:port/path or builtin:ws`);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host, port: url.port === '' ? 80 : Number(url.port), path: (url.pathname || '/') + url.search, text };
}

/** Extensions the tester offers, and how it judges the server's answer to them. */
export interface ExtensionNegotiation<E> {
  readonly header: string;
  readonly offered: readonly ExtensionOffer[];
  /** The agreed extension (null: declined), or why the server's answer is wrong. */
  agree(accepted: readonly ExtensionOffer[], offered: readonly ExtensionOffer[]): { ok: true; extension: E | null } | { ok: false; reason: string };
}

export interface ClientOpening {
  readonly socket: net.Socket;
  readonly opened: boolean;
  /** Octets after the response head (frames the server sent right away). */
  readonly leftover: Uint8Array | null;
  readonly httpRequest: string | null;
  readonly httpResponse: string | null;
  /** Why the handshake failed (null when opened). */
  readonly failure: string | null;
  readonly timedOut: boolean;
  /** The negotiated extension object, if one was offered and accepted. */
  readonly extension?: unknown;
}

export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}

/** Connect TCP; rejects with a ConnectError naming the target when nothing listens. */
export function connectTcp(target: TargetUrl, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(`cannot connect to ${target.text}: no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ConnectError(`cannot connect to ${target.text}: ${err.code ?? err.message}; is the server running?`));
    });
  });
}

/** Do the opening handshake on a connected socket. Never rejects: failures are reported in the result. */
export function openAsClient<E>(
  socket: net.Socket,
  target: TargetUrl,
  recorder: WireRecorder,
  options: { timeoutMs: number; userAgent: string; extensions?: ExtensionNegotiation<E> },
): Promise<ClientOpening> {
  return new Promise((resolve) => {
    const key = generateKey(randomBytes(16));
    const offered = options.extensions?.offered ?? [];
    const request = buildClientRequest({
      host: target.host,
      port: target.port,
      path: target.path,
      key,
      userAgent: options.userAgent,
      ...(options.extensions !== undefined ? { extensions: options.extensions.header } : {}),
    });
    const head = new HeadReader();
    let done = false;
    const finish = (result: Omit<ClientOpening, 'socket' | 'httpRequest'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (!result.opened) socket.destroy();
      resolve({ socket, httpRequest: request.text, ...result });
    };
    const onData = (chunk: Buffer): void => {
      recorder.read(chunk);
      const buffered = head.push(chunk);
      const parsed = parseResponseHead(buffered);
      if (parsed.kind === 'incomplete') return;
      if (parsed.kind === 'error') {
        finish({ opened: false, leftover: null, httpResponse: head.text(), failure: `malformed response: ${parsed.reason}`, timedOut: false });
        return;
      }
      const httpResponse = head.text(parsed.headLength);
      const check = validateServerResponse(parsed.head, { key, offeredProtocols: [], offeredExtensions: offered });
      if (!check.ok) {
        finish({ opened: false, leftover: null, httpResponse, failure: `${check.reason} (RFC 6455 §${check.rule})`, timedOut: false });
        return;
      }
      let extension: E | null = null;
      if (options.extensions !== undefined) {
        const agreed = options.extensions.agree(check.extensions, offered);
        if (!agreed.ok) {
          finish({ opened: false, leftover: null, httpResponse, failure: agreed.reason, timedOut: false });
          return;
        }
        extension = agreed.extension;
      }
      finish({ opened: true, leftover: buffered.subarray(parsed.headLength), httpResponse, failure: null, timedOut: false, extension });
    };
    const onClose = (): void =>
      finish({ opened: false, leftover: null, httpResponse: head.bytes.length > 0 ? head.text() : null, failure: 'server closed the connection during the opening handshake', timedOut: false });
    const onError = (err: Error): void =>
      finish({ opened: false, leftover: null, httpResponse: null, failure: `socket error during the opening handshake: ${err.message}`, timedOut: false });
    const timer = setTimeout(
      () => finish({ opened: false, leftover: null, httpResponse: head.bytes.length > 0 ? head.text() : null, failure: 'opening handshake timed out', timedOut: true }),
      options.timeoutMs,
    );
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    recorder.wrote(request.bytes, false);
    socket.write(request.bytes);
  });
}
