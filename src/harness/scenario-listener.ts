/** A scenario waited for a client that never connected (it ended, or the listener closed first). */
export class ClientDidNotConnectError extends Error {
  override readonly name = 'ClientDidNotConnectError';
}

/**
 * Testing clients one connection per scenario: wscheck listens on
 * 127.0.0.1, a scenario waits under a path of its own, the client under test
 * connects to that path (`url` of `expect`), and the scenario runs on that
 * connection with wscheck as the server. A connection to any other path
 * takes the oldest waiting scenario. Exploration of clients uses it.
 */
import net from 'node:net';
import { buildErrorResponse, parseRequestHead, validateClientRequest } from '../codec/handshake.js';
import type { CaseDefinition } from '../cases/types.js';
import { HeadReader } from './head-reader.js';
import type { CaseResult } from './result.js';
import { serverDeflateAgreement } from './deflate-negotiation.js';
import { variedAnswer } from './server-opening.js';
import { runCaseAsServer } from './server-side.js';
import { WireRecorder } from './wire-log.js';

const HEAD_TIMEOUT_MS = 5000;

interface Pending {
  readonly id: number;
  readonly caseDef: CaseDefinition;
  readonly agent: string;
  readonly replay: string;
  readonly resolve: (r: CaseResult) => void;
  readonly reject: (e: Error) => void;
}

export class ScenarioListener {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly sockets = new Set<net.Socket>();
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private base = '';

  listen(host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => {
        const a = this.server.address() as net.AddressInfo;
        this.base = `ws://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
        resolve(this.base);
      });
    });
  }

  /**
   * Run `caseDef` on the next connection; `result` resolves with its judged
   * result. `cancel` gives up if no connection has taken it yet.
   */
  expect(caseDef: CaseDefinition, agent: string, replay: string): { url: string; result: Promise<CaseResult>; cancel(reason: string): void } {
    let pending!: Pending;
    const id = this.nextId++;
    const result = new Promise<CaseResult>((resolve, reject) => {
      pending = { id, caseDef, agent, replay, resolve, reject };
      this.waiting.push(pending);
    });
    return {
      url: `${this.base}/explore/${id}`,
      result,
      cancel: (reason) => {
        const k = this.waiting.indexOf(pending);
        if (k < 0) return;
        this.waiting.splice(k, 1);
        pending.reject(new ClientDidNotConnectError(reason));
      },
    };
  }

  /** Give up on scenarios still waiting for a connection (the client never came). */
  abandon(reason: string): void {
    for (const p of this.waiting.splice(0)) p.reject(new ClientDidNotConnectError(reason));
  }

  async close(): Promise<void> {
    this.abandon('listener closed');
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.setNoDelay(true);
    const started = new Date();
    const t0 = performance.now();
    const recorder = new WireRecorder(() => performance.now() - t0);
    const reader = new HeadReader();
    const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
    const onError = (): void => {
      socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      recorder.read(chunk);
      const parsed = parseRequestHead(reader.push(chunk));
      if (parsed.kind === 'incomplete') return;
      clearTimeout(timer);
      socket.off('data', onData);
      if (parsed.kind === 'error') return void socket.end(buildErrorResponse(parsed.status, parsed.reason).bytes);
      const request = validateClientRequest(parsed.head);
      if (!request.ok) return void socket.end(buildErrorResponse(request.status, request.reason).bytes);
      const wanted = /^\/explore\/(\d+)$/.exec(parsed.head.target);
      const k = wanted === null ? 0 : this.waiting.findIndex((p) => p.id === Number(wanted[1]));
      const pending = k < 0 ? undefined : this.waiting.splice(k, 1)[0];
      if (pending === undefined) return void socket.end(buildErrorResponse(503, 'no scenario is waiting for a connection').bytes);
      const scenario = pending.caseDef.scenario();
      const requirement = scenario.deflate;
      const deflate = requirement !== undefined ? serverDeflateAgreement(requirement, request.extensions) : null;
      const base = { key: request.key, server: 'wscheck', ...(deflate !== null ? { extensions: deflate.header } : {}) };
      const leftover = reader.bytes.subarray(parsed.headLength);
      // A scenario may answer with a varied 101 and frames in the same write, as the catalogue's category 14 does.
      const answer = variedAnswer(socket, recorder, scenario.opening?.response, base);
      const early = answer.written ?? Promise.resolve(null);
      // The client may reset the connection while a chopped 101 is still going out: until the case handles
      // the socket's errors, this listener does (a socket error without one ends the process).
      void early.then((sent) => {
        socket.off('error', onError);
        return runCaseAsServer({
          framesSentBefore: answer.frames,
          socket,
          caseDef: pending.caseDef,
          caseNumber: 0,
          agent: pending.agent,
          started,
          httpRequest: reader.text(parsed.headLength),
          httpResponse: answer.text,
          recorder,
          leftover: sent === null || sent.length === 0 ? leftover : Buffer.concat([leftover, sent]),
          replay: pending.replay,
          extension: deflate?.extension ?? null,
        });
      }).then(pending.resolve, pending.reject);
    };
    socket.on('data', onData);
    socket.on('error', onError);
  }
}
