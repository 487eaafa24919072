/**
 * Testing a client: wscheck listens and speaks the Autobahn testsuite's
 * fuzzingserver API (formats.md §5), so existing client drivers work
 * unchanged: `/getCaseCount`, `/runCase?case=N&agent=A` (or `casetuple`),
 * `/getCaseInfo?case=N`, `/getCaseStatus?case=N&agent=A`,
 * `/updateReports?agent=A`, `/stopServer`.
 */
import net from 'node:net';
import { buildErrorResponse, buildServerResponse, parseRequestHead, validateClientRequest } from '../codec/handshake.js';
import type { CaseDefinition } from '../cases/types.js';
import { chopAgent, chopOf } from '../cases/chopped.js';
import { initialEndpointState, step } from '../model/endpoint.js';
import type { EndpointInput, EndpointState } from '../model/types.js';
import { serverDeflateAgreement } from './deflate-negotiation.js';
import { runCaseAsServer } from './server-side.js';
import { type CaseResult, type CaseSummary, summarize } from './result.js';
import { HeadReader } from './head-reader.js';
import { WireRecorder } from './wire-log.js';
import { ConnectionWatch, probeClient } from './liveness.js';
import { variedAnswer } from './server-opening.js';

export const SERVER_NAME = 'wscheck/0.1.0';
const HEAD_TIMEOUT_MS = 5000;

export interface FuzzingServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The selected cases, in catalogue order: runCase N is the N-th (1-based). */
  readonly cases: readonly CaseDefinition[];
  /** The command that runs a case again; `caseDef` tells a chopped replay (src/cases/chopped.ts) from the plain case. */
  readonly replayCommand: (caseId: string, caseDef: CaseDefinition) => string;
  readonly onResult?: (result: CaseResult) => void;
  /** Called for `/updateReports` (write the reports); the reply waits for it. */
  readonly onUpdateReports?: (agent: string) => void | Promise<void>;
  /** Called for `/stopServer` and for `/updateReports?shutdownOnComplete=true`. */
  readonly onStop?: () => void;
  /** Cases an agent must not run (the spec's `exclude-agent-cases`): the connection is closed at once, nothing is stored. */
  readonly excluded?: (agent: string, caseId: string) => boolean;
}

class RequestError extends Error {}

function single(params: URLSearchParams, name: string, required: boolean): string | null {
  const all = params.getAll(name);
  if (all.length > 1) throw new RequestError(`parameter ${name} given ${all.length} times`);
  if (all.length === 0) {
    if (required) throw new RequestError(`missing parameter ${name}`);
    return null;
  }
  return all[0]!;
}

export class FuzzingServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** agent → case id → result */
  readonly results = new Map<string, Map<string, CaseSummary>>();
  private readonly statusWaiters: { agent: string; id: string; resolve: (r: CaseSummary) => void }[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly watch = new ConnectionWatch();

  constructor(private readonly o: FuzzingServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Start listening; resolves with the bound port. Rejects with a one-line reason (e.g. port in use). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new Error(err.code === 'EADDRINUSE' ? `port ${this.o.port} on ${this.o.host} is already in use; choose another with --port` : `cannot listen on ${this.o.host}:${this.o.port}: ${err.message}`));
      };
      this.server.once('error', onError);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  get url(): string {
    const a = this.server.address() as net.AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `ws://${host}:${a.port}`;
  }

  /** Stop accepting, wait for cases under way, close every socket. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.running]);
    for (const s of this.sockets) s.destroy();
  }

  /** Close at once (Ctrl-C): cases under way are dropped. */
  destroy(): void {
    this.watch.cancel();
    this.server.close();
    for (const s of this.sockets) s.destroy();
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
    const onData = (chunk: Buffer): void => {
      recorder.read(chunk);
      const buffered = reader.push(chunk);
      const parsed = parseRequestHead(buffered);
      if (parsed.kind === 'incomplete') return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      if (parsed.kind === 'error') {
        this.refuse(socket, parsed.status, parsed.reason);
        return;
      }
      const head = parsed.head;
      const httpRequest = reader.text(parsed.headLength);
      const leftover = buffered.subarray(parsed.headLength);
      const upgrade = head.headers.some((h) => h.name.toLowerCase() === 'upgrade');
      if (!upgrade) {
        this.statusPage(socket);
        return;
      }
      const task = this.route(socket, head.target, head, httpRequest, leftover, recorder, started).catch((e: unknown) => {
        if (e instanceof RequestError) this.refuse(socket, 400, e.message);
        else {
          this.refuse(socket, 500, e instanceof Error ? e.message : String(e));
        }
      });
      this.running.add(task);
      void task.finally(() => this.running.delete(task));
    };
    const onError = (): void => {
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', onError);
  }

  private async route(
    socket: net.Socket,
    target: string,
    head: Parameters<typeof validateClientRequest>[0],
    httpRequest: string,
    leftover: Uint8Array,
    recorder: WireRecorder,
    started: Date,
  ): Promise<void> {
    const url = new URL(target, 'ws://wscheck.invalid');
    const params = url.searchParams;
    const request = validateClientRequest(head);
    if (!request.ok) {
      this.refuse(socket, request.status, `${request.reason} (RFC 6455 §${request.rule})`);
      return;
    }
    // The client is alive and connecting: a case waiting for its next connection (the liveness probe) learns it here.
    this.watch.arrived(params.get('agent'));
    const accept = (extensions?: string): string => {
      const response = buildServerResponse({ key: request.key, server: SERVER_NAME, ...(extensions !== undefined ? { extensions } : {}) });
      recorder.wrote(response.bytes, false);
      socket.write(response.bytes);
      return response.text;
    };
    switch (url.pathname) {
      case '/getCaseCount':
        accept();
        await this.control(socket, [String(this.o.cases.length)], leftover);
        return;
      case '/getCaseInfo': {
        const c = this.caseFor(params);
        accept();
        await this.control(socket, [JSON.stringify({ id: c.def.id, description: c.def.description })], leftover);
        return;
      }
      case '/getCaseStatus': {
        const c = this.caseFor(params);
        const agent = single(params, 'agent', true)!;
        accept();
        const result = await this.resultOf(chopAgent(agent, chopOf(c.def)), c.def.id);
        await this.control(socket, [JSON.stringify({ behavior: result.verdict.behavior })], leftover);
        return;
      }
      case '/updateReports': {
        const agent = single(params, 'agent', true)!;
        const shutdown = /^(true|yes)$/i.test(single(params, 'shutdownOnComplete', false) ?? '');
        accept();
        await this.o.onUpdateReports?.(agent);
        await this.control(socket, [], leftover);
        if (shutdown) this.o.onStop?.();
        return;
      }
      case '/stopServer':
        accept();
        await this.control(socket, [], leftover);
        this.o.onStop?.();
        return;
      case '/runCase': {
        const c = this.caseFor(params);
        const driverAgent = single(params, 'agent', true)!;
        if (this.o.excluded?.(driverAgent, c.def.id)) {
          accept();
          await this.control(socket, [], leftover);
          return;
        }
        // A chopped replay's results belong to an agent of their own (see src/cases/chopped.ts).
        const agent = chopAgent(driverAgent, chopOf(c.def));
        const scenario = c.def.scenario();
        const requirement = scenario.deflate;
        const deflate = requirement !== undefined ? serverDeflateAgreement(requirement, request.extensions) : null;
        // A case may answer with a varied 101 and frames in the same write (category 14); others get the usual one.
        const answer = variedAnswer(socket, recorder, scenario.opening?.response, { key: request.key, server: SERVER_NAME, ...(deflate !== null ? { extensions: deflate.header } : {}) });
        const httpResponse = answer.text;
        const early = answer.written === null ? null : await answer.written;
        // A client proves it survived the case by connecting again after this answer. Not after the case's end: a
        // client that fails the handshake without closing TCP moves on to its next case before the tester gives up.
        const answeredAt = performance.now();
        const result = await runCaseAsServer({
          framesSentBefore: answer.frames,
          ...(scenario.probeAfter ? { liveness: () => probeClient(this.watch, driverAgent, answeredAt) } : {}),
          extension: deflate?.extension ?? null,
          socket,
          caseDef: c.def,
          caseNumber: c.number,
          agent,
          started,
          httpRequest,
          httpResponse,
          recorder,
          leftover: early === null || early.length === 0 ? leftover : Buffer.concat([leftover, early]),
          replay: this.o.replayCommand(c.def.id, c.def),
        });
        let byCase = this.results.get(agent);
        if (byCase === undefined) this.results.set(agent, (byCase = new Map()));
        const summary = summarize(result);
        byCase.set(c.def.id, summary);
        this.o.onResult?.(result);
        for (const w of this.statusWaiters.filter((x) => x.agent === agent && x.id === c.def.id)) {
          this.statusWaiters.splice(this.statusWaiters.indexOf(w), 1);
          w.resolve(summary);
        }
        return;
      }
      default:
        this.refuse(socket, 404, `unknown path ${url.pathname}; the API has /getCaseCount, /runCase, /getCaseInfo, /getCaseStatus, /updateReports`);
    }
  }

  private caseFor(params: URLSearchParams): { def: CaseDefinition; number: number } {
    const tuple = single(params, 'casetuple', false);
    if (tuple !== null) {
      const k = this.o.cases.findIndex((c) => c.id === tuple);
      if (k < 0) throw new RequestError(`casetuple ${tuple} is not among the selected cases`);
      return { def: this.o.cases[k]!, number: k + 1 };
    }
    const text = single(params, 'case', true)!;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > this.o.cases.length) {
      throw new RequestError(`case ${text} is not a number from 1 to ${this.o.cases.length}`);
    }
    return { def: this.o.cases[n - 1]!, number: n };
  }

  private resultOf(agent: string, id: string): Promise<CaseSummary> {
    const r = this.results.get(agent)?.get(id);
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve) => this.statusWaiters.push({ agent, id, resolve }));
  }

  /** A control connection: send these text messages, then close without a status code, and finish the closing handshake. */
  private control(socket: net.Socket, messages: readonly string[], leftover: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      let s: EndpointState = initialEndpointState({ role: 'server', closeHandshakeTimeout: 2 }, { open: true });
      let timer: NodeJS.Timeout | null = null;
      const feed = (input: EndpointInput): void => {
        const r = step(s, input);
        s = r.state;
        for (const o of r.outputs) {
          if (o.type === 'write') socket.write(o.data);
          else if (o.type === 'close-tcp') socket.end();
          else if (o.type === 'set-timer') timer = setTimeout(() => feed({ type: 'timer', timer: o.timer }), o.seconds * 1000);
        }
      };
      socket.on('data', (chunk: Buffer) => feed({ type: 'receive', data: chunk }));
      socket.on('end', () => feed({ type: 'tcp-end' }));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        if (timer !== null) clearTimeout(timer);
        resolve();
      });
      for (const m of messages) feed({ type: 'send-message', opcode: 1, payload: new TextEncoder().encode(m) });
      feed({ type: 'close', code: null });
      if (leftover.length > 0) feed({ type: 'receive', data: leftover });
    });
  }

  private refuse(socket: net.Socket, status: number, reason: string): void {
    socket.end(buildErrorResponse(status, reason).bytes);
  }

  private statusPage(socket: net.Socket): void {
    const body = `<!doctype html><title>wscheck</title><p>wscheck fuzzing server: ${this.o.cases.length} cases. Connect a WebSocket client to /runCase?case=N&amp;agent=NAME.</p>`;
    const head = `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    socket.end(head + body);
  }
}
