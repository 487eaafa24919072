/**
 * Seed corpora (`npx tsx fuzz seeds` writes them to corpus/<target>/):
 *
 * - the catalogue's wire octets: every case's frames, encoded as the tester
 *   sends them (src/codec/encode.ts), for a receiver in either role — masked
 *   towards a server, unmasked towards a client — with the case's own TCP
 *   chopping turned into a chop plan;
 * - hand-picked edge cases: every opcode with and without FIN, the length
 *   encodings at their boundaries (minimal and not, the 64-bit top bit),
 *   close bodies with every interesting code, UTF-8 characters split across
 *   frames and across reads, limits hit exactly;
 * - opening handshakes (requests and responses, good and broken) for
 *   `handshake` and `model`.
 *
 * Seeds are at most {@link MAX_SEED} octets, libFuzzer's -max_len for the
 * frame targets: longer streams are cut (a large frame keeps its header and
 * declared length, and the start of its payload).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeClosePayload } from '../../src/codec/close.js';
import { encodeFrame } from '../../src/codec/encode.js';
import { fragmentLengths } from '../../src/codec/fragment.js';
import { buildClientRequest, buildErrorResponse, buildServerResponse } from '../../src/codec/handshake.js';
import { catalogue } from '../../src/cases/index.js';
import type { FrameDescription, Step } from '../../src/model/scenario.js';
import { nextRandom } from '../../src/model/rng.js';
import { encodeDecoderSetup, type DecoderSetupSpec } from '../support/decoder-setup.js';
import { encodeDiffSetup } from '../support/diff-setup.js';
import { type ChopPlan, concat } from '../support/input.js';
import { MODEL_KEY } from '../targets/model.js';
import { deflateSeeds } from './deflate-seeds.js';

export const MAX_SEED = 4096;

type Role = 'server' | 'client';

/** A received stream and where the tester's writes cut it. */
export interface WireSeed {
  readonly name: string;
  readonly role: Role;
  readonly stream: Uint8Array;
  readonly cuts: readonly number[];
  /** The case wrote octet by octet (or in small pieces) from this offset on. */
  readonly every: { readonly from: number; readonly size: number } | null;
}

class Wire {
  readonly parts: Uint8Array[] = [];
  length = 0;
  readonly cuts: number[] = [];
  every: { from: number; size: number } | null = null;
  private key: number;

  constructor(readonly role: Role) {
    this.key = 0x37fa213d;
  }

  get full(): boolean {
    return this.length >= MAX_SEED;
  }

  private maskKey(given: number | null | 'auto' | 'wrong' | undefined): number | null {
    if (given === null) return null;
    if (typeof given === 'number') return given;
    // A receiving server gets masked frames (the tester is a client), a receiving client unmasked ones;
    // `wrong` is the other way round.
    if ((this.role === 'client') === (given !== 'wrong')) return null;
    this.key = nextRandom(this.key);
    return this.key;
  }

  push(bytes: Uint8Array): void {
    const room = MAX_SEED - this.length;
    if (room <= 0) return;
    const piece = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.parts.push(piece);
    this.length += piece.length;
  }

  /** One frame; a payload longer than the room left is cut, its declared length kept. */
  frame(f: FrameDescription, chop: number | null | undefined = null): void {
    if (this.full) return;
    const start = this.length;
    const room = MAX_SEED - this.length;
    const payload = f.payload.length > room ? f.payload.subarray(0, room) : f.payload;
    const declared = f.declaredLength ?? f.payload.length;
    const bytes = encodeFrame({
      opcode: f.opcode,
      fin: f.fin ?? true,
      rsv: f.rsv ?? 0,
      maskKey: this.maskKey(f.maskKey),
      payload,
      lengthEncoding: f.lengthEncoding ?? 'minimal',
      declaredLength: declared,
    });
    this.push(bytes);
    if (chop !== null && chop !== undefined && chop > 0) {
      if (chop <= 16 && this.every === null) this.every = { from: start, size: chop };
      else for (let at = start + chop; at < this.length && this.cuts.length < 4; at += chop) this.cuts.push(at);
    }
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Steps the scenario format may have beyond the ones this file names (they send nothing it can encode). */
type OtherStep = { readonly kind: string; readonly opcode?: number; readonly fin?: boolean; readonly rsv?: number; readonly length?: number; readonly payload?: Uint8Array };

function writeSteps(wire: Wire, steps: readonly Step[]): void {
  for (const step of steps) {
    if (wire.full) return;
    const other = step as OtherStep;
    if (other.kind === 'begin-frame' && other.opcode !== undefined && other.length !== undefined) {
      // A frame header alone; its payload follows in frame-data steps.
      wire.frame({ opcode: other.opcode, fin: other.fin ?? true, rsv: other.rsv ?? 0, payload: new Uint8Array(0), declaredLength: other.length });
      continue;
    }
    if (other.kind === 'frame-data' && other.payload !== undefined) {
      // Masking it would need the key of the frame begun before; a receiving client takes it as is.
      if (wire.role === 'client') wire.push(other.payload);
      continue;
    }
    switch (step.kind) {
      case 'frame':
        wire.frame(step, step.chop);
        break;
      case 'stream': {
        const base = wire.length;
        for (const f of step.frames) wire.frame(f);
        for (const c of step.cuts) if (wire.cuts.length < 4 && base + c < wire.length) wire.cuts.push(base + c);
        break;
      }
      case 'message': {
        const opcode = step.binary ? 2 : 1;
        const lengths = fragmentLengths(step.payload.length, step.fragmentSize ?? 0);
        let at = 0;
        lengths.forEach((n, k) => {
          wire.frame({ opcode: k === 0 ? opcode : 0, fin: k === lengths.length - 1, payload: step.payload.subarray(at, at + n) });
          at += n;
        });
        break;
      }
      case 'close':
        wire.frame({ opcode: 8, payload: encodeClosePayload(step.code, step.reason ?? new Uint8Array(0)) });
        break;
      case 'close-raw':
        wire.frame({ opcode: 8, payload: step.payload });
        break;
      case 'continue-later':
        writeSteps(wire, step.steps);
        break;
      default:
        // Timers, wire log switches and performance loops send nothing by themselves.
        break;
    }
  }
}

/** The catalogue's streams, for a receiver in each role. */
export function catalogueSeeds(): WireSeed[] {
  const seeds: WireSeed[] = [];
  for (const c of catalogue) {
    let scenario;
    try {
      scenario = c.scenario();
    } catch {
      continue;
    }
    for (const role of ['server', 'client'] as const) {
      const wire = new Wire(role);
      writeSteps(wire, scenario.steps);
      if (wire.length === 0) continue;
      seeds.push({ name: `catalogue-${c.id}-${role}`, role, stream: wire.bytes(), cuts: wire.cuts, every: wire.every });
    }
  }
  return seeds;
}

const text = (s: string) => new TextEncoder().encode(s);

/** Hand-picked streams: boundaries and classics, for a receiving server (masked) unless said otherwise. */
export function edgeSeeds(): WireSeed[] {
  const seeds: WireSeed[] = [];
  const add = (name: string, frames: FrameDescription[], options: { role?: Role; cuts?: number[]; every?: { from: number; size: number } } = {}) => {
    for (const role of options.role === undefined ? (['server', 'client'] as const) : [options.role]) {
      const wire = new Wire(role);
      for (const f of frames) wire.frame(f);
      seeds.push({ name: `edge-${name}-${role}`, role, stream: wire.bytes(), cuts: options.cuts ?? [], every: options.every ?? null });
    }
  };
  for (let op = 0; op < 16; op++) {
    add(`opcode-${op}`, [{ opcode: op, payload: text('x') }]);
    add(`opcode-${op}-nofin`, [{ opcode: op, fin: false, payload: text('x') }]);
  }
  for (const n of [0, 1, 125, 126, 127, 128, 1000, 4000]) add(`length-${n}`, [{ opcode: 2, payload: new Uint8Array(n).fill(0x5a) }]);
  add('length-16bit-nonminimal', [{ opcode: 2, payload: text('abc'), lengthEncoding: 16 }]);
  add('length-64bit-nonminimal', [{ opcode: 2, payload: text('abc'), lengthEncoding: 64 }]);
  add('ping-16bit-nonminimal', [{ opcode: 9, payload: text('abc'), lengthEncoding: 16 }]);
  add('close-64bit-nonminimal', [{ opcode: 8, payload: encodeClosePayload(1000), lengthEncoding: 64 }]);
  add('length-64bit-msb', [{ opcode: 2, payload: new Uint8Array(0), lengthEncoding: 64, declaredLength: (1n << 63n) + 5n }]);
  add('length-64bit-2p53', [{ opcode: 2, payload: new Uint8Array(0), lengthEncoding: 64, declaredLength: 1n << 53n }]);
  add('length-64bit-huge', [{ opcode: 2, payload: new Uint8Array(0), lengthEncoding: 64, declaredLength: (1n << 32n) + 1n }]);
  add('length-declared-longer', [{ opcode: 1, payload: text('short'), declaredLength: 100 }]);
  add('ping-126', [{ opcode: 9, payload: new Uint8Array(126) }]);
  add('ping-125', [{ opcode: 9, payload: new Uint8Array(125) }]);
  add('rsv-1', [{ opcode: 1, rsv: 4, payload: text('r') }]);
  add('rsv-on-continuation', [{ opcode: 1, fin: false, payload: text('a') }, { opcode: 0, rsv: 2, payload: text('b') }]);
  for (const code of [null, 999, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1012, 1014, 1015, 1016, 2999, 3000, 4999, 5000, 65535]) {
    add(`close-${code ?? 'empty'}`, [{ opcode: 8, payload: encodeClosePayload(code, code === null ? '' : 'bye') }]);
  }
  add('close-1-octet', [{ opcode: 8, payload: new Uint8Array([3]) }]);
  add('close-reason-invalid-utf8', [{ opcode: 8, payload: Uint8Array.from([3, 232, 0xce, 0xba, 0xff]) }]);
  add('close-then-data', [{ opcode: 8, payload: encodeClosePayload(1000) }, { opcode: 1, payload: text('after') }]);
  add('fragments-with-pings', [
    { opcode: 1, fin: false, payload: text('Hel') },
    { opcode: 9, payload: text('p1') },
    { opcode: 0, fin: false, payload: text('lo, ') },
    { opcode: 10, payload: text('p2') },
    { opcode: 0, payload: text('world') },
  ]);
  add('continuation-without-start', [{ opcode: 0, payload: text('x') }]);
  add('text-inside-fragmented', [{ opcode: 2, fin: false, payload: text('x') }, { opcode: 1, payload: text('y') }]);
  add('empty-fragments', [{ opcode: 1, fin: false, payload: new Uint8Array(0) }, { opcode: 0, fin: false, payload: new Uint8Array(0) }, { opcode: 0, payload: new Uint8Array(0) }]);
  // UTF-8: a 4-octet character split across frames, every cut within it; invalid sequences at the edges.
  const emoji = text('a\u{1F600}b');
  for (let cut = 1; cut < emoji.length; cut++) add(`utf8-split-frames-${cut}`, [{ opcode: 1, fin: false, payload: emoji.subarray(0, cut) }, { opcode: 0, payload: emoji.subarray(cut) }], { role: 'client' });
  add('utf8-split-reads', [{ opcode: 1, payload: text('κόσμε \u{1F600} €') }], { every: { from: 0, size: 1 } });
  for (const [name, bytes] of [
    ['overlong', [0xc0, 0x80]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above-max', [0xf4, 0x90, 0x80, 0x80]],
    ['cut-at-end', [0x61, 0xce]],
    ['lone-continuation', [0x80]],
    ['ff', [0xff]],
  ] as const) {
    add(`utf8-${name}`, [{ opcode: 1, payload: Uint8Array.from(bytes) }]);
    add(`utf8-${name}-fragmented`, [{ opcode: 1, fin: false, payload: Uint8Array.from(bytes) }, { opcode: 9, payload: text('ping') }, { opcode: 0, payload: text('z') }]);
  }
  add('masked-to-client', [{ opcode: 2, payload: text('m'), maskKey: 0x01020304 }], { role: 'client' });
  add('unmasked-to-server', [{ opcode: 2, payload: text('u'), maskKey: null }], { role: 'server' });
  add('mask-key-zero', [{ opcode: 2, payload: text('zero key'), maskKey: 0 }], { role: 'server' });
  add('header-split', [{ opcode: 2, payload: new Uint8Array(300).fill(7) }], { every: { from: 0, size: 1 } });
  add('message-limit', [{ opcode: 2, fin: false, payload: new Uint8Array(100).fill(1) }, { opcode: 9, payload: text('in between') }, { opcode: 0, payload: new Uint8Array(100).fill(2) }]);
  return seeds;
}

/** Limit index for a diff seed: small limits for the limit edge cases, the 8 KiB default otherwise. */
function diffLimit(name: string): number {
  return name.startsWith('edge-message-limit') ? 4 /* 1000 */ : name.startsWith('edge-length-126') ? 3 /* 126 */ : 0;
}

function chopOf(seed: WireSeed): ChopPlan {
  if (seed.every !== null) return { cuts: [seed.every.from, ...seed.cuts].slice(0, 4), every: seed.every.size };
  return { cuts: seed.cuts.slice(0, 4), every: null };
}

/** Opening handshake heads (latin1 text), for `handshake`: requests, then responses. */
export function handshakeSeeds(): { name: string; request: boolean; head: Uint8Array }[] {
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  const out: { name: string; request: boolean; head: Uint8Array }[] = [];
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const request = buildClientRequest({ host: 'example.com', port: 8080, path: '/chat?x=1', key, protocols: ['chat', 'superchat'], extensions: 'permessage-deflate; client_max_window_bits', origin: 'http://example.com' });
  out.push({ name: 'request-wscheck', request: true, head: request.bytes });
  out.push({ name: 'request-rfc-1.3', request: true, head: latin1(`GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n`) });
  out.push({ name: 'request-browser', request: true, head: latin1(`GET / HTTP/1.1\r\nHost: localhost:9001\r\nConnection: keep-alive, Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nUser-Agent: Mozilla/5.0\r\nUpgrade: websocket\r\nOrigin: http://localhost\r\nSec-WebSocket-Version: 13\r\nAccept-Encoding: gzip, deflate, br\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n`) });
  out.push({ name: 'request-leading-crlf', request: true, head: latin1(`\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`) });
  for (const [name, head] of [
    ['request-obs-fold', `GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n folded\r\n\r\n`],
    ['request-bare-lf', `GET / HTTP/1.1\nHost: a\n\n`],
    ['request-space-before-colon', `GET / HTTP/1.1\r\nHost : a\r\n\r\n`],
    ['request-version-8', `GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 8\r\n\r\n`],
    ['request-two-hosts', `GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`],
    ['request-short-key', `GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`],
    ['request-http10', `GET / HTTP/1.0\r\nHost: a\r\n\r\n`],
    ['request-http20', `GET / HTTP/2.0\r\nHost: a\r\n\r\n`],
    ['request-post', `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n`],
    ['request-control-in-value', `GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n`],
    ['request-obs-text', `GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9\r\n\r\n`],
    ['request-incomplete', `GET / HTTP/1.1\r\nHost: a\r\n`],
  ] as const) out.push({ name, request: true, head: latin1(head) });
  out.push({ name: 'response-101', request: false, head: buildServerResponse({ key, protocol: 'chat' }).bytes });
  out.push({ name: 'response-101-no-protocol', request: false, head: buildServerResponse({ key }).bytes });
  out.push({ name: 'response-101-extensions', request: false, head: buildServerResponse({ key, extensions: 'permessage-deflate; server_no_context_takeover' }).bytes });
  out.push({ name: 'response-426', request: false, head: buildErrorResponse(426, 'Sec-WebSocket-Version 13 required').bytes });
  out.push({ name: 'response-400', request: false, head: buildErrorResponse(400, 'bad').bytes });
  for (const [name, head] of [
    ['response-101-bare', `HTTP/1.1 101\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n`],
    ['response-wrong-accept', `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: xxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n\r\n`],
    ['response-unoffered-protocol', `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: other\r\n\r\n`],
    ['response-200', `HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`],
  ] as const) out.push({ name, request: false, head: latin1(head) });
  return out;
}

/** The model's inputs: an opening handshake, then catalogue traffic, as the model target's operations. */
function modelSeeds(wires: readonly WireSeed[]): { name: string; data: Uint8Array }[] {
  const out: { name: string; data: Uint8Array }[] = [];
  const receive = (bytes: Uint8Array): Uint8Array[] => {
    const ops: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 255) {
      const piece = bytes.subarray(at, at + 255);
      ops.push(Uint8Array.of(0, piece.length), piece);
    }
    return ops;
  };
  const request = buildClientRequest({ host: 'localhost', path: '/', key: MODEL_KEY, protocols: ['chat'] }).bytes;
  const response = buildServerResponse({ key: MODEL_KEY, protocol: 'chat' }).bytes;
  for (const w of wires.filter((s) => s.name.startsWith('catalogue-')).slice(0, 400)) {
    if (w.stream.length > 2000) continue;
    const server = w.role === 'server';
    // Configuration octet 0: role in bit 0, connecting (bit 7 clear), echo application; octet 1: fail-fast UTF-8, 1 MiB.
    const config = Uint8Array.of(server ? 0 : 1, 0);
    const opening = server ? receive(request) : [Uint8Array.of(0x0f), ...receive(response)];
    out.push({ name: w.name.replace('catalogue-', 'model-'), data: concat([config, ...opening, ...receive(w.stream), Uint8Array.of(0x09), Uint8Array.of(0x08)]) });
  }
  return out;
}

/** Every seed, by target. */
export function seedCorpora(): Map<string, { name: string; data: Uint8Array }[]> {
  const wires = [...catalogueSeeds(), ...edgeSeeds()];
  const corpora = new Map<string, { name: string; data: Uint8Array }[]>();
  corpora.set(
    'decoder',
    wires.map((w) => {
      const spec: DecoderSetupSpec = { role: w.role, chop: chopOf(w) };
      return { name: w.name, data: encodeDecoderSetup(spec, w.stream) };
    }),
  );
  const diff = wires.map((w) => ({ name: w.name, data: encodeDiffSetup({ role: w.role, limit: diffLimit(w.name), chop: chopOf(w) }, w.stream) }));
  corpora.set('ws-diff', diff);
  corpora.set('driver-diff', diff);
  corpora.set(
    'handshake',
    handshakeSeeds().map((h, k) => ({ name: h.name, data: Uint8Array.from([h.request ? 0 : 1 | ((k % 4) << 1), 0xff, 0xff, ...h.head]) })),
  );
  corpora.set('model', modelSeeds(wires));
  corpora.set('deflate', deflateSeeds());
  // utf8: the text payloads of the catalogue and of the edge cases, and the classic vectors.
  const utf8 = new Map<string, Uint8Array>();
  for (const c of catalogue.filter((c) => c.category === '6')) {
    const wire = new Wire('client');
    try {
      writeSteps(wire, c.scenario().steps);
    } catch {
      continue;
    }
    const payload = textPayload(wire.bytes());
    if (payload !== null && payload.length <= 1000) utf8.set(`catalogue-${c.id}`, payload);
  }
  corpora.set(
    'utf8',
    [...utf8].map(([name, bytes]) => {
      const out = new Uint8Array(10 + bytes.length);
      out.set(bytes, 10);
      return { name, data: out };
    }),
  );
  return corpora;
}

/** The payload octets of the text frames in an unmasked stream, joined. */
function textPayload(stream: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let at = 0;
  let inText = false;
  while (at + 2 <= stream.length) {
    const op = stream[at]! & 0x0f;
    const len7 = stream[at + 1]! & 0x7f;
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    let length = len7;
    if (extra === 2) length = (stream[at + 2]! << 8) | stream[at + 3]!;
    if (extra === 8) length = Number(new DataView(stream.buffer, stream.byteOffset + at + 2, 8).getBigUint64(0));
    const start = at + 2 + extra;
    if (op === 1) inText = true;
    if ((op === 1 || (op === 0 && inText)) && start + length <= stream.length) parts.push(stream.subarray(start, start + length));
    at = start + length;
  }
  if (parts.length === 0) return null;
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Write the seed corpora under `dir` (corpus/), replacing earlier seeds but never regressions/. */
export function writeSeedCorpora(dir: string, log: (line: string) => void): number {
  for (const [target, seeds] of seedCorpora()) {
    const targetDir = path.join(dir, target);
    mkdirSync(targetDir, { recursive: true });
    for (const entry of readdirSync(targetDir, { withFileTypes: true })) {
      if (entry.isFile() && (entry.name.startsWith('catalogue-') || entry.name.startsWith('edge-') || entry.name.startsWith('model-') || entry.name.startsWith('request-') || entry.name.startsWith('response-'))) {
        rmSync(path.join(targetDir, entry.name));
      }
    }
    const names = new Set<string>();
    for (const s of seeds) {
      if (names.has(s.name)) continue;
      names.add(s.name);
      writeFileSync(path.join(targetDir, s.name), s.data);
    }
    log(`corpus/${target}: ${names.size} seeds`);
  }
  return 0;
}
