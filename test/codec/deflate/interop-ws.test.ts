/**
 * permessage-deflate against the real `ws` library (8.18.3): over loopback
 * TCP in both roles — ws compresses and wscheck's decoder and extension
 * decompress; wscheck compresses and ws decompresses (the echo proves it) —
 * for several parameter sets, negotiated with wscheck's own negotiation code;
 * and in process against ws's PerMessageDeflate for every parameter set.
 */
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  AUTOBAHN_DEFLATE_POLICIES,
  type DeflateOffer,
  type DeflateParameters,
  type DeflateServerPolicy,
  type PerMessageDeflate,
  type WindowBits,
  DEFAULT_DEFLATE_SERVER_POLICY,
  createPerMessageDeflate,
  formatDeflateOffers,
  selectDeflateOffer,
  validateDeflateResponse,
} from '../../../src/codec/deflate/index.js';
import { type DecodeEvent, type DecoderOptions, type DecoderState, decode, initialDecoderState } from '../../../src/codec/decoder.js';
import { type FrameSpec, encodeFrames } from '../../../src/codec/encode.js';
import {
  buildClientRequest,
  buildServerResponse,
  generateKey,
  parseExtensionList,
  parseRequestHead,
  parseResponseHead,
  validateClientRequest,
  validateServerResponse,
} from '../../../src/codec/handshake.js';
import { Opcode } from '../../../src/codec/opcode.js';
import { nodeDeflateEngine } from '../../../src/harness/deflate-node.js';
import { PerMessageDeflate as WsPerMessageDeflate, type WsPerMessageDeflateOptions, wsCompress, wsDecompress, wsExtension } from './support/ws-permessage-deflate.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const KEY = generateKey(Uint8Array.from({ length: 16 }, (_, i) => (i * 29 + 3) & 0xff));
const encoder = new TextEncoder();
const WAIT_MS = 10_000;

interface Message {
  readonly opcode: 1 | 2;
  readonly payload: Uint8Array;
}

function json(n: number, seed: number): Uint8Array {
  let s = '';
  for (let k = 0; s.length < n; k++) s += JSON.stringify({ id: seed + k, name: `item ${k}`, tags: ['a', 'b', `c${k % 7}`], value: (k * 7919) % 1000 }) + '\n';
  return encoder.encode(s.slice(0, n));
}

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Small and large, text and binary, empty, and repeats that only context takeover compresses well. */
const MESSAGES: readonly Message[] = [
  { opcode: 1, payload: encoder.encode('Hello') },
  { opcode: 1, payload: encoder.encode('Hello') },
  { opcode: 1, payload: new Uint8Array(0) },
  { opcode: 2, payload: Uint8Array.of(0) },
  { opcode: 1, payload: json(5000, 1) },
  { opcode: 1, payload: json(5000, 1) },
  { opcode: 2, payload: noise(3000, 9) },
  { opcode: 1, payload: encoder.encode('héllo wörld — 日本語 🚀 '.repeat(50)) },
  { opcode: 1, payload: json(70_000, 2) },
  { opcode: 2, payload: Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251) },
];

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), WAIT_MS);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Frames of one compressed message, `fragment` octets of compressed payload per frame (0: one frame). */
function framesOf(m: Message, ext: PerMessageDeflate, fragment: number, masked: boolean, seed: number): FrameSpec[] {
  const { payload, rsv } = ext.encodeMessage(m.payload, m.opcode);
  const frames: FrameSpec[] = [];
  const size = fragment > 0 ? fragment : Math.max(payload.length, 1);
  let at = 0;
  let k = 0;
  do {
    const part = payload.subarray(at, at + size);
    at += part.length;
    frames.push({
      opcode: k === 0 ? m.opcode : Opcode.Continuation,
      fin: at >= payload.length,
      rsv: k === 0 ? rsv : 0,
      payload: part,
      maskKey: masked ? (0x9e3779b9 * (seed + k + 1)) >>> 0 : null,
    });
    k++;
  } while (at < payload.length);
  return frames;
}

/** Reads frames with wscheck's decoder and the extension; any violation fails the test. */
class FrameReader {
  private state: DecoderState = initialDecoderState();
  readonly events: DecodeEvent[] = [];
  private waiters: (() => void)[] = [];
  failure: string | null = null;

  constructor(private readonly options: DecoderOptions) {}

  push(chunk: Uint8Array): void {
    const r = decode(this.state, chunk, this.options);
    this.state = r.state;
    for (const e of r.events) {
      this.events.push(e);
      if (e.type === 'violation') this.failure = `${e.violation.code}: ${e.violation.reason}`;
    }
    for (const w of this.waiters.splice(0)) w();
  }

  get messages(): Message[] {
    return this.events.flatMap((e) => (e.type === 'message' ? [{ opcode: e.opcode, payload: e.payload }] : []));
  }

  /** RSV bits of the first frame of every data message. */
  get firstFrameRsv(): number[] {
    const out: number[] = [];
    for (const e of this.events) if (e.type === 'frame' && (e.frame.opcode === 1 || e.frame.opcode === 2)) out.push(e.frame.rsv);
    return out;
  }

  waitForMessages(n: number): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (this.failure !== null) reject(new Error(`decoder failed the connection: ${this.failure}`));
          else if (this.messages.length >= n) resolve();
          else this.waiters.push(check);
        };
        check();
      }),
      `${n} messages`,
    );
  }
}

function expectSameMessages(got: readonly Message[], sent: readonly Message[]): void {
  expect(got.map((m) => ({ opcode: m.opcode, length: m.payload.length, same: Buffer.from(m.payload).equals(sent[got.indexOf(m)]!.payload) }))).toEqual(
    sent.map((m) => ({ opcode: m.opcode, length: m.payload.length, same: true })),
  );
}

/** Accumulates socket octets until `parse` finds a complete head. */
function readHead<H>(socket: Socket, parse: (b: Uint8Array) => { kind: string; head?: H; headLength?: number }): Promise<{ head: H; rest: Uint8Array }> {
  return withTimeout(
    new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const r = parse(received);
        if (r.kind === 'incomplete') return;
        socket.off('data', onData);
        if (r.kind !== 'complete') reject(new Error(`bad head: ${JSON.stringify(r)}`));
        else resolve({ head: r.head!, rest: received.subarray(r.headLength!) });
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error('closed before a complete head')));
    }),
    'opening handshake head',
  );
}

function startWsEchoServer(options: WsPerMessageDeflateOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { ...options, threshold: 0 } });
    wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary, compress: true }));
    });
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => done());
        }),
    );
    wss.once('listening', () => resolve((wss.address() as AddressInfo).port));
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

describe('wscheck as the client, a ws server echoing with compression', () => {
  const cases: [name: string, ws: WsPerMessageDeflateOptions, offers: DeflateOffer[], expectedResponse: Partial<DeflateParameters>][] = [
    ['defaults', {}, [{ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: true }], {}],
    [
      'no context takeover both ways',
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
      [{ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: true }],
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
    ],
    [
      'small windows from the server',
      { serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
      [{ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: true }],
      { serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
    ],
    [
      'window bits 8 both ways',
      { serverMaxWindowBits: 8, clientMaxWindowBits: 8 },
      [{ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: true }],
      { serverMaxWindowBits: 8, clientMaxWindowBits: 8 },
    ],
    [
      'requests from the client, the second offer accepted',
      // ws declines offers with server_no_context_takeover when told it does not support it.
      { serverNoContextTakeover: false },
      [
        { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: null, clientMaxWindowBits: true },
        { serverNoContextTakeover: false, clientNoContextTakeover: true, serverMaxWindowBits: 11, clientMaxWindowBits: 12 },
      ],
      // ws echoes the client's hints as they were offered.
      { serverMaxWindowBits: 11, clientNoContextTakeover: true, clientMaxWindowBits: 12 },
    ],
  ];

  it.each(cases)('%s', async (_name, wsOptions, offers, expectedResponse) => {
    const port = await startWsEchoServer(wsOptions);
    const socket = await openSocket(port);
    const header = formatDeflateOffers(offers);
    socket.write(buildClientRequest({ host: '127.0.0.1', port, path: '/', key: KEY, extensions: header }).bytes);
    const { head, rest } = await readHead(socket, (b) => parseResponseHead(b));
    const offered = parseExtensionList([header])!;
    const acceptance = validateServerResponse(head, { key: KEY, offeredProtocols: [], offeredExtensions: offered });
    if (!acceptance.ok) throw new Error(acceptance.reason);
    const agreement = validateDeflateResponse(acceptance.extensions, offered);
    if (!agreement.ok || agreement.params === null) throw new Error(`not negotiated: ${JSON.stringify(agreement)}`);
    expect(agreement.params).toEqual({ serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: null, ...expectedResponse });

    const ext = createPerMessageDeflate({ role: 'client', params: agreement.params, offer: agreement.offer, engine: nodeDeflateEngine });
    cleanups.push(() => ext.close());
    const reader = new FrameReader({ role: 'client', extensions: [ext], maxMessagePayload: 1 << 24, maxFramePayload: 1 << 24 });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    if (rest.length > 0) reader.push(rest);

    // Every message twice: once in one frame, once cut into 1000-octet fragments of compressed payload.
    const sent = [...MESSAGES, ...MESSAGES];
    sent.forEach((m, k) => socket.write(encodeFrames(framesOf(m, ext, k < MESSAGES.length ? 0 : 1000, true, k))));
    await reader.waitForMessages(sent.length);
    expectSameMessages(reader.messages, sent);
    // ws compressed every echo (threshold 0): RSV1 on every first frame.
    expect(reader.firstFrameRsv).toEqual(sent.map(() => 4));
    expect(ext.stats.messagesDecompressed).toBe(sent.length);
  });
});

describe('how ws treats an invalid offer', () => {
  it('answers 400 instead of declining the offer and accepting the next (RFC 7692 §7: the server "MUST decline" it)', async () => {
    const port = await startWsEchoServer({});
    const socket = await openSocket(port);
    const header = 'permessage-deflate; server_max_window_bits=16, permessage-deflate';
    socket.write(buildClientRequest({ host: '127.0.0.1', port, path: '/', key: KEY, extensions: header }).bytes);
    const { head } = await readHead(socket, (b) => parseResponseHead(b));
    expect(head.status).toBe(400);
    // wscheck, as a server, declines the first and accepts the second.
    expect(selectDeflateOffer(parseExtensionList([header])!).accepted).toMatchObject({ index: 1, header: 'permessage-deflate' });
  });
});

describe("how ws treats its own client_no_context_takeover hint", () => {
  // §7.1.1.2 calls the offer's parameter a hint that "the client is not going to
  // use context takeover"; ws offers it and takes over its window anyway when the
  // response does not repeat it. Harmless to a conforming server, which §7.2.2
  // tells to keep the window unless the agreed parameters say otherwise.
  it('takes over its window anyway when the response does not repeat the hint', async () => {
    const wsClient = new WsPerMessageDeflate({ clientNoContextTakeover: true, threshold: 0 }, false, 0);
    cleanups.push(() => wsClient.cleanup());
    expect(wsClient.offer()).toEqual({ client_no_context_takeover: true, client_max_window_bits: true });
    wsClient.accept(wsExtension.parse('permessage-deflate')['permessage-deflate']!);
    await wsCompress(wsClient, encoder.encode('Hello'));
    // RFC 7692 §7.2.3.2's second message: a reference into the first one.
    expect((await wsCompress(wsClient, encoder.encode('Hello'))).toString('hex')).toBe('f200110000');
  });
});

describe('wscheck as the server, a ws client sending compressed messages', () => {
  function startEchoServer(policy: DeflateServerPolicy, accepted: { params: DeflateParameters | null; header: string | null }[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const sockets = new Set<Socket>();
      const server: Server = createServer((socket) => {
        sockets.add(socket);
        void readHead(socket, (b) => parseRequestHead(b)).then(({ head, rest }) => {
          const request = validateClientRequest(head);
          if (!request.ok) throw new Error(request.reason);
          const selection = selectDeflateOffer(request.extensions, policy);
          const a = selection.accepted;
          accepted.push({ params: a?.params ?? null, header: a?.header ?? null });
          socket.write(buildServerResponse({ key: request.key, ...(a !== null ? { extensions: a.header } : {}) }).bytes);
          if (a === null) return;
          const ext = createPerMessageDeflate({ role: 'server', params: a.params, engine: nodeDeflateEngine });
          cleanups.push(() => ext.close());
          const reader = new FrameReader({ role: 'server', extensions: [ext], emitFrames: false, maxMessagePayload: 1 << 24, maxFramePayload: 1 << 24 });
          let echoed = 0;
          const onData = (chunk: Uint8Array): void => {
            reader.push(chunk);
            if (reader.failure !== null) {
              socket.destroy();
              return;
            }
            const messages = reader.messages;
            for (; echoed < messages.length; echoed++) {
              // Alternate one frame and 777-octet fragments of compressed payload.
              socket.write(encodeFrames(framesOf(messages[echoed]!, ext, echoed % 2 === 0 ? 0 : 777, false, echoed)));
            }
          };
          socket.on('data', onData);
          if (rest.length > 0) onData(rest);
        }, () => socket.destroy());
      });
      cleanups.push(
        () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      );
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  }

  const cases: [name: string, ws: WsPerMessageDeflateOptions, policy: DeflateServerPolicy, expectedHeader: string][] = [
    ['defaults', {}, DEFAULT_DEFLATE_SERVER_POLICY, 'permessage-deflate'],
    [
      'no context takeover both ways',
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
      { name: 'hints', rules: [{ clientNoContextTakeover: 'if-offered' }] },
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
    ],
    ['windows asked by the client', { serverMaxWindowBits: 9, clientMaxWindowBits: 10 }, DEFAULT_DEFLATE_SERVER_POLICY, 'permessage-deflate; server_max_window_bits=9'],
    ['window bits 8 for the server', { serverMaxWindowBits: 8 }, DEFAULT_DEFLATE_SERVER_POLICY, 'permessage-deflate; server_max_window_bits=8'],
    ["Autobahn's accept5", {}, AUTOBAHN_DEFLATE_POLICIES.accept5, 'permessage-deflate; client_no_context_takeover; client_max_window_bits=9'],
    ["Autobahn's accept4 with a server window", { serverMaxWindowBits: 12 }, AUTOBAHN_DEFLATE_POLICIES.accept4, 'permessage-deflate; server_max_window_bits=12; client_max_window_bits=15'],
  ];

  it.each(cases)('%s', async (_name, wsOptions, policy, expectedHeader) => {
    const accepted: { params: DeflateParameters | null; header: string | null }[] = [];
    const port = await startEchoServer(policy, accepted);
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: { ...wsOptions, threshold: 0 } });
    cleanups.push(() => {
      client.terminate();
    });
    const received: Message[] = [];
    const sent = [...MESSAGES, ...MESSAGES];
    const done = new Promise<void>((resolve, reject) => {
      client.on('message', (data: Buffer, isBinary: boolean) => {
        received.push({ opcode: isBinary ? 2 : 1, payload: data });
        if (received.length === sent.length) resolve();
      });
      client.once('error', reject);
      client.once('close', (code: number) => (received.length < sent.length ? reject(new Error(`ws closed with ${code}`)) : resolve()));
    });
    done.catch(() => {}); // awaited below; a failed assertion before that must not leave it unhandled
    await withTimeout(new Promise<void>((resolve, reject) => (client.once('open', resolve), client.once('error', reject))), 'ws open');
    expect(accepted.map((a) => a.header)).toEqual([expectedHeader]);
    expect(client.extensions).toBe('permessage-deflate');
    for (const m of sent) client.send(m.payload, { binary: m.opcode === 2, compress: true });
    await withTimeout(done, 'echoes');
    expectSameMessages(received, sent);
  });
});

describe("in process against ws's PerMessageDeflate, every parameter set", () => {
  const windows = [null, 8, 9, 12, 15] as const;
  const sets: DeflateParameters[] = [];
  for (const snct of [false, true]) {
    for (const cnct of [false, true]) {
      for (const w of windows) {
        sets.push({ serverNoContextTakeover: snct, clientNoContextTakeover: cnct, serverMaxWindowBits: w, clientMaxWindowBits: w === null ? null : (Math.max(8, 23 - w) as WindowBits) });
      }
    }
  }

  /** ws as a server that answers `params` to `permessage-deflate; client_max_window_bits`, and as the client reading that answer. */
  function wsPair(params: DeflateParameters): { wsServer: ReturnType<typeof makeWs>; wsClient: ReturnType<typeof makeWs> } {
    const wsServer = makeWs(
      {
        threshold: 0,
        serverNoContextTakeover: params.serverNoContextTakeover,
        clientNoContextTakeover: params.clientNoContextTakeover,
        ...(params.serverMaxWindowBits !== null ? { serverMaxWindowBits: params.serverMaxWindowBits } : {}),
        ...(params.clientMaxWindowBits !== null ? { clientMaxWindowBits: params.clientMaxWindowBits } : {}),
      },
      true,
    );
    const response = wsServer.accept(wsExtension.parse('permessage-deflate; client_max_window_bits')['permessage-deflate']!);
    const header = wsExtension.format({ 'permessage-deflate': response });
    // The answer ws writes is the one wscheck would have to accept.
    const agreement = validateDeflateResponse(parseExtensionList([header])!, parseExtensionList(['permessage-deflate; client_max_window_bits'])!);
    expect(agreement).toMatchObject({ ok: true, params });
    const wsClient = makeWs({ threshold: 0 }, false);
    wsClient.accept(wsExtension.parse(header)['permessage-deflate']!);
    return { wsServer, wsClient };
  }

  function makeWs(options: WsPerMessageDeflateOptions, isServer: boolean): InstanceType<typeof WsPerMessageDeflate> {
    const p = new WsPerMessageDeflate(options, isServer, 0);
    cleanups.push(() => p.cleanup());
    return p;
  }

  it.each(sets)('%j', async (params) => {
    const { wsServer, wsClient } = wsPair(params);
    const ourServer = createPerMessageDeflate({ role: 'server', params, engine: nodeDeflateEngine });
    const ourClient = createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine });
    cleanups.push(() => ourServer.close(), () => ourClient.close());
    for (const m of [...MESSAGES, ...MESSAGES]) {
      // wscheck's server compresses, ws's client decompresses; ws's client compresses, wscheck's server decompresses.
      const down = ourServer.encodeMessage(m.payload, m.opcode);
      expect((await wsDecompress(wsClient, down.payload)).equals(m.payload)).toBe(true);
      const up = ourServer.decodeMessage(await wsCompress(wsClient, m.payload), 4, 1 << 24);
      expect(up.ok && Buffer.from(up.data).equals(m.payload)).toBe(true);
      // ws's server compresses, wscheck's client decompresses; wscheck's client compresses, ws's server decompresses.
      const down2 = ourClient.decodeMessage(await wsCompress(wsServer, m.payload), 4, 1 << 24);
      expect(down2.ok && Buffer.from(down2.data).equals(m.payload)).toBe(true);
      const up2 = ourClient.encodeMessage(m.payload, m.opcode);
      expect((await wsDecompress(wsServer, up2.payload)).equals(m.payload)).toBe(true);
    }
  });
});
