/**
 * The tester as a WebSocket client: connect TCP, send the opening handshake,
 * read and check the server's answer. Bounded by the open-handshake timeout.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type ExtensionOffer, type ResponseHead, generateKey, headerValues, parseExtensionList } from '../codec/handshake.js';
import { type RequestVariation, offerOf, sameSizeRequest, variedRequest } from '../model/handshake-variation.js';
import { type OpeningOutcome, classifyServerAnswer } from '../model/opening-outcome.js';
import type { PipelinedFrames } from '../model/pipelined.js';
import { HeadReader } from './head-reader.js';
import type { WireRecorder } from './wire-log.js';
import { WriteQueue } from './write-queue.js';

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
  /** The answer, classified as the oracle classifies the reference server's. */
  readonly outcome: OpeningOutcome;
  /** Milliseconds from the last octet of the request (and its pipelined frames) to the answer or the close; null on timeout. */
  readonly answerMs: number | null;
}

/** What the request carries beyond the tester's usual one (category 14 and after). */
export interface RequestOptions {
  readonly variation?: RequestVariation;
  /** Frames to send in the same write as the request (already encoded). */
  readonly pipelined?: PipelinedFrames;
  /** Write the head padded to this many octets instead (a timing baseline; see `sameSizeRequest`). */
  readonly sameSizeAs?: number;
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
  options: { timeoutMs: number; userAgent: string; extensions?: ExtensionNegotiation<E> } & RequestOptions,
): Promise<ClientOpening> {
  return new Promise((resolve) => {
    const key = generateKey(randomBytes(16));
    const offered = options.extensions?.offered ?? [];
    const base = {
      host: target.host,
      port: target.port,
      path: target.path,
      key,
      userAgent: options.userAgent,
      ...(options.extensions !== undefined ? { extensions: options.extensions.header } : {}),
    };
    const request = options.sameSizeAs !== undefined ? sameSizeRequest(base, options.sameSizeAs) : variedRequest(options.variation, base);
    // What the request offers, read back from it: a variation may have removed or repeated the key, or offered subprotocols.
    const offer = options.variation === undefined ? { key, protocols: [], extensions: offered } : offerOf(request.bytes);
    const head = new HeadReader();
    let done = false;
    let lastWriteAt = performance.now();
    const finish = (result: Omit<ClientOpening, 'socket' | 'httpRequest' | 'answerMs'>): void => {
      if (done) return;
      done = true;
      const answerMs = result.timedOut ? null : Math.max(0, performance.now() - lastWriteAt);
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (!result.opened) socket.destroy();
      resolve({ socket, httpRequest: request.text, answerMs, ...result });
    };
    // Pieces of a chopped request still to write when the 101 arrived: what follows the head is frames the
    // server must read as the connection's first, so the rest goes out before the case writes anything.
    let queue: WriteQueue | null = null;
    let settling = false;
    const onData = (chunk: Buffer): void => {
      recorder.read(chunk);
      const buffered = head.push(chunk);
      if (settling) return;
      const answer = classifyServerAnswer(buffered, offer);
      if (answer.kind === 'incomplete') return;
      const outcome = answer.outcome;
      const httpResponse = head.text(answer.headLength);
      if (outcome.kind === 'malformed') {
        finish({ opened: false, leftover: null, httpResponse: head.text(), failure: `malformed response: ${outcome.reason}`, timedOut: false, outcome });
        return;
      }
      if (outcome.kind !== 'upgraded') {
        const why = outcome.kind === 'refused' ? `status ${outcome.status}, expected 101 Switching Protocols (RFC 6455 §4.1)` : outcome.kind === 'invalid-upgrade' ? `${outcome.reason} (RFC 6455 §${outcome.rule})` : 'no answer';
        finish({ opened: false, leftover: null, httpResponse, failure: why, timedOut: false, outcome });
        return;
      }
      let extension: E | null = null;
      if (options.extensions !== undefined) {
        const agreed = options.extensions.agree(answer.head === null ? [] : acceptedExtensions(answer.head), offered);
        if (!agreed.ok) {
          finish({ opened: false, leftover: null, httpResponse, failure: agreed.reason, timedOut: false, outcome });
          return;
        }
        extension = agreed.extension;
      }
      const opened = (): void => finish({ opened: true, leftover: head.bytes.subarray(answer.headLength), httpResponse, failure: null, timedOut: false, extension, outcome });
      if (queue === null || queue.idle) return opened();
      settling = true;
      void queue.whenIdle().then(opened);
    };
    const onClose = (): void =>
      finish({ opened: false, leftover: null, httpResponse: head.bytes.length > 0 ? head.text() : null, failure: 'server closed the connection during the opening handshake', timedOut: false, outcome: { kind: 'closed' } });
    const onError = (err: Error): void =>
      finish({ opened: false, leftover: null, httpResponse: null, failure: `socket error during the opening handshake: ${err.message}`, timedOut: false, outcome: { kind: 'closed' } });
    const timer = setTimeout(
      () =>
        finish({
          opened: false,
          leftover: null,
          httpResponse: head.bytes.length > 0 ? head.text() : null,
          failure: 'opening handshake timed out',
          timedOut: true,
          outcome: { kind: 'silent', waitedMs: options.timeoutMs },
        }),
      options.timeoutMs,
    );
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    const pipelined = options.pipelined;
    const all = pipelined === undefined || pipelined.bytes.length === 0 ? request.bytes : Buffer.concat([request.bytes, pipelined.bytes]);
    for (const f of pipelined?.sent ?? []) recorder.frameSent(f, { repeatUnit: null, chop: null, sync: false });
    const chop = options.variation?.chop;
    if (chop === undefined || chop <= 0) {
      recorder.wrote(all, false);
      socket.write(all);
      lastWriteAt = performance.now();
      return;
    }
    // One piece per event-loop turn, as the tester writes chopped frames; an answer other than a 101 stops the rest.
    queue = new WriteQueue({
      isOpen: () => !done && !socket.destroyed,
      write: (piece, sync) => {
        recorder.wrote(piece, sync);
        socket.write(piece);
        lastWriteAt = performance.now();
      },
    });
    queue.send(all, chop, false);
  });
}

/** The extensions a 101 agrees to, as the deflate negotiation reads them. */
function acceptedExtensions(head: ResponseHead): ExtensionOffer[] {
  return parseExtensionList(headerValues(head.headers, 'Sec-WebSocket-Extensions')) ?? [];
}
