/**
 * Reference decoder versus ws's Receiver, on the same bytes in the same
 * process: masked binary frames as a server receives them, fed in 64 KiB reads.
 *
 *   npm run bench            (or: npx tsx bench/decoder.ts [--rounds N])
 *
 * Prints one JSON line per measurement; `ratio` is wscheck / ws (higher is
 * better for wscheck). `npm run bench` sets WS_NO_BUFFER_UTIL=1 so ws unmasks
 * in JavaScript too; run `npx tsx bench/decoder.ts` to compare against ws
 * with its native bufferutil addon instead.
 */
import * as ws from 'ws';
import { initialDecoderState, decode, type DecoderOptions } from '../src/codec/decoder.js';
import { encodeFrame } from '../src/codec/encode.js';

const READ_SIZE = 64 * 1024;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;

/** Deterministic bytes and keys (xorshift32), so every run measures the same input. */
function pseudoRandom(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

function stream(frameCount: number, payloadLength: number): { reads: Buffer[]; payloadOctets: number } {
  const next = pseudoRandom(0x1234567);
  const payload = new Uint8Array(payloadLength);
  for (let i = 0; i < payloadLength; i++) payload[i] = next() & 0xff;
  const frames = Array.from({ length: frameCount }, () => encodeFrame({ opcode: 2, payload, maskKey: next() }));
  const all = Buffer.concat(frames);
  const reads: Buffer[] = [];
  for (let at = 0; at < all.length; at += READ_SIZE) reads.push(all.subarray(at, at + READ_SIZE));
  return { reads, payloadOctets: frameCount * payloadLength };
}

/** ws exports its frame parser, but @types/ws does not describe it. */
interface WsReceiver {
  on(event: 'message', listener: () => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  write(chunk: Buffer): boolean;
}
const Receiver = (ws as unknown as { Receiver: new (options: { isServer: boolean; maxPayload: number }) => WsReceiver }).Receiver;

function runWs(original: readonly Buffer[], expected: number): number {
  // ws unmasks in place: give it its own copy of the reads (outside the timing).
  const reads = original.map((r) => Buffer.from(r));
  const receiver = new Receiver({ isServer: true, maxPayload: 0 });
  let messages = 0;
  receiver.on('message', () => messages++);
  receiver.on('error', (e: Error) => {
    throw e;
  });
  const t0 = performance.now();
  for (const r of reads) receiver.write(r);
  const t1 = performance.now();
  if (messages !== expected) throw new Error(`ws delivered ${messages} messages, expected ${expected}`);
  return t1 - t0;
}

function runOurs(reads: readonly Buffer[], expected: number, options: DecoderOptions): number {
  let state = initialDecoderState();
  let messages = 0;
  const t0 = performance.now();
  for (const r of reads) {
    const result = decode(state, r, options);
    state = result.state;
    for (const e of result.events) if (e.type === 'message') messages++;
  }
  const t1 = performance.now();
  if (state.failure !== null) throw new Error(`decoder failed: ${state.failure.reason}`);
  if (messages !== expected) throw new Error(`decoder delivered ${messages} messages, expected ${expected}`);
  return t1 - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Case {
  readonly name: string;
  readonly frames: number;
  readonly payload: number;
  readonly unit: 'MB/s' | 'frames/s';
}

const cases: Case[] = [
  { name: 'masked-binary-64KiB', frames: 512, payload: 64 * 1024, unit: 'MB/s' },
  { name: 'masked-binary-16B', frames: 400_000, payload: 16, unit: 'frames/s' },
];

const limit = 64 * 1024 * 1024;
const variants: { impl: string; options: DecoderOptions }[] = [
  { impl: 'wscheck', options: { role: 'server', emitFrames: false, maxFramePayload: limit, maxMessagePayload: limit } },
  { impl: 'wscheck+frames', options: { role: 'server', emitFrames: true, maxFramePayload: limit, maxMessagePayload: limit } },
];

for (const c of cases) {
  const { reads, payloadOctets } = stream(c.frames, c.payload);
  const value = (ms: number) => (c.unit === 'MB/s' ? payloadOctets / 1e6 / (ms / 1000) : c.frames / (ms / 1000));
  const times: Record<string, number[]> = { ws: [] };
  for (const v of variants) times[v.impl] = [];
  // Interleave implementations round by round so drift affects both alike; round 0 warms up.
  for (let round = 0; round <= rounds; round++) {
    const ws = runWs(reads, c.frames);
    const ours = variants.map((v) => runOurs(reads, c.frames, v.options));
    if (round === 0) continue;
    times.ws!.push(ws);
    variants.forEach((v, k) => times[v.impl]!.push(ours[k]!));
  }
  const wsValue = value(median(times.ws!));
  const wsImpl = process.env.WS_NO_BUFFER_UTIL ? 'ws' : 'ws+bufferutil';
  console.log(JSON.stringify({ bench: c.name, impl: wsImpl, value: Math.round(wsValue), unit: c.unit }));
  for (const v of variants) {
    const ours = value(median(times[v.impl]!));
    console.log(JSON.stringify({ bench: c.name, impl: v.impl, value: Math.round(ours), unit: c.unit, ratio: Number((ours / wsValue).toFixed(2)) }));
  }
}
