/**
 * permessage-deflate: wscheck's extension (over the node:zlib engine) versus
 * ws's PerMessageDeflate, on the same messages in the same process. Each
 * message is compressed by one endpoint and decompressed by the other, one
 * after the other, as a connection does: the server's compressor and the
 * client's decompressor, with the parameters negotiated.
 *
 *   npx tsx bench/deflate.ts [--rounds N] [--quick]
 *   npx tsx bench/deflate.ts --engines [--rounds N] [--quick]
 *
 * Prints one JSON line per measurement: `MBps` is payload octets (before
 * compression) per second through compress + decompress; `ratio` is
 * wscheck / ws (higher is better for wscheck); `compressed` is compressed
 * octets / payload octets. Implementations:
 *
 * - `ws`: ws 8.18.3 as deployed (zlib level 6 and memLevel 8, asynchronous
 *   zlib streams on the libuv thread pool);
 * - `ws@level1`: ws with wscheck's zlib settings (level 1, memLevel 9), so the
 *   difference left is the engine, not the settings;
 * - `wscheck`: wscheck's defaults (level 1, memLevel 9, synchronous zlib streams).
 *
 * With `--engines`, the choice behind the Node engine instead: wscheck's
 * extension over `node-stream` (the default: one zlib stream per direction
 * driven synchronously) versus `dictionary` (Node's public one-shot
 * `deflateRawSync`/`inflateRawSync`, the context carried as a preset
 * dictionary of the last window of plaintext); `ratio` is node-stream /
 * dictionary.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  type DeflateEngine,
  type DeflateParameters,
  type DeflaterOptions,
  type InflateResult,
  type InflaterOptions,
  type RawDeflater,
  type RawInflater,
  createPerMessageDeflate,
  formatDeflateResponse,
} from '../src/codec/deflate/index.js';
import { nodeDeflateEngine } from '../src/harness/deflate-node.js';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
const quick = args.includes('--quick');
const enginesMode = args.includes('--engines');

interface WsPmd {
  accept(configurations: Record<string, (string | true)[]>[]): Record<string, true | number>;
  compress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  decompress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  cleanup(): void;
}
// ws does not export PerMessageDeflate (its package `exports` hide lib/): load the file.
const require = createRequire(import.meta.url);
const wsDir = path.dirname(require.resolve('ws'));
const WsPerMessageDeflate = require(path.join(wsDir, 'lib', 'permessage-deflate.js')) as new (
  options: Record<string, unknown>,
  isServer: boolean,
  maxPayload: number,
) => WsPmd;
const wsExtension = require(path.join(wsDir, 'lib', 'extension.js')) as { parse(header: string): Record<string, Record<string, (string | true)[]>[]> };

/** Deterministic pseudo-random numbers (xorshift32). */
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

/** ~256 KiB of JSON text, like Autobahn's data1.json: records with repeated keys and varying values. */
function jsonCorpus(): Buffer {
  const next = pseudoRandom(0x600dcafe);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
  let s = '[\n';
  for (let k = 0; s.length < 256 * 1024; k++) {
    const r = next();
    s += `  {"id": ${k}, "name": "${words[r % 10]} ${words[(r >>> 8) % 10]}", "score": ${(r % 100000) / 100}, "active": ${(r & 1) === 1}, "tags": ["${words[(r >>> 4) % 10]}", "${words[(r >>> 12) % 10]}"], "created": "2025-${1 + ((r >>> 16) % 12)}-${1 + ((r >>> 20) % 28)}T12:${(r >>> 24) % 60}:00Z"},\n`;
  }
  return Buffer.from(s + ']\n');
}

/** ~256 KiB of binary: an 8-bit grey image-like surface with noise (compresses to roughly 60–70 %). */
function binaryCorpus(): Buffer {
  const next = pseudoRandom(0xb17ba5e);
  const width = 512;
  const out = Buffer.alloc(512 * 512);
  for (let y = 0; y < 512; y++) {
    for (let x = 0; x < width; x++) {
      const base = 128 + 60 * Math.sin(x / 37) * Math.cos(y / 23);
      out[y * width + x] = Math.max(0, Math.min(255, Math.round(base + ((next() & 31) - 16))));
    }
  }
  return out;
}

/** Consecutive slices of `corpus`, wrapping around (Autobahn 12.x/13.x message slicing). */
function slices(corpus: Buffer, size: number, count: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + size <= corpus.length) out.push(corpus.subarray(at, at + size));
    else out.push(Buffer.concat([corpus.subarray(at), corpus.subarray(0, size - (corpus.length - at))]));
    at = (at + size) % corpus.length;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Result {
  readonly ms: number;
  readonly compressed: number;
}

/** The last `size` octets of `window` followed by `data`. */
function tail(window: Uint8Array, data: Uint8Array, size: number): Uint8Array {
  // (Returns a copy: the caller may reuse `data`.)
  if (data.length >= size) return data.slice(data.length - size);
  const keep = Math.min(window.length, size - data.length);
  const out = new Uint8Array(keep + data.length);
  out.set(window.subarray(window.length - keep));
  out.set(data, keep);
  return out;
}

/**
 * The alternative the Node engine was measured against: Node's public
 * one-shot sync API, context carried as a preset dictionary. (Window bits 8
 * as the real engine does it: compressed at 9.)
 */
class DictionaryDeflater implements RawDeflater {
  private window: Uint8Array = new Uint8Array(0);
  private readonly options: zlib.ZlibOptions;
  private readonly size: number;
  constructor(o: DeflaterOptions) {
    const windowBits = Math.max(9, o.windowBits);
    this.size = 1 << windowBits;
    this.options = { level: o.level, memLevel: o.memLevel, windowBits, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  }
  compress(data: Uint8Array): Uint8Array {
    const out = zlib.deflateRawSync(data, this.window.length > 0 ? { ...this.options, dictionary: this.window } : this.options);
    this.window = tail(this.window, data, this.size);
    return out;
  }
  reset(): void {
    this.window = new Uint8Array(0);
  }
  close(): void {}
}

class DictionaryInflater implements RawInflater {
  private window: Uint8Array;
  produced = 0;
  constructor(o: InflaterOptions) {
    this.window = o.dictionary ?? new Uint8Array(0);
  }
  inflate(input: Uint8Array, maxOutput: number): InflateResult {
    try {
      const options = {
        windowBits: 15,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, maxOutput),
        info: true,
        ...(this.window.length > 0 ? { dictionary: this.window } : {}),
      };
      const { buffer, engine } = zlib.inflateRawSync(input, options) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      this.produced += buffer.length;
      if (buffer.length > maxOutput) return { status: 'limit', produced: buffer.length };
      this.window = tail(this.window, buffer, 32768);
      return { status: 'ok', output: buffer, consumed: engine.bytesWritten, streamEnd: engine.bytesWritten < input.length };
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      if (error.code === 'ERR_BUFFER_TOO_LARGE') return { status: 'limit', produced: maxOutput + 1 };
      return { status: 'error', message: error.message };
    }
  }
  reset(): void {
    this.window = new Uint8Array(0);
  }
  close(): void {}
}

const dictionaryEngine: DeflateEngine = {
  name: 'dictionary',
  createDeflater: (o) => new DictionaryDeflater(o),
  createInflater: (o) => new DictionaryInflater(o),
};

function runOurs(messages: readonly Buffer[], params: DeflateParameters, engine: DeflateEngine = nodeDeflateEngine): Result {
  const server = createPerMessageDeflate({ role: 'server', params, engine });
  const client = createPerMessageDeflate({ role: 'client', params, engine });
  let compressed = 0;
  const t0 = performance.now();
  for (const m of messages) {
    const c = server.encodeMessage(m, 2);
    compressed += c.payload.length;
    const d = client.decodeMessage(c.payload, c.rsv, 1 << 30);
    if (!d.ok || d.data.length !== m.length) throw new Error('wscheck: round trip failed');
  }
  const ms = performance.now() - t0;
  server.close();
  client.close();
  return { ms, compressed };
}

async function runWs(messages: readonly Buffer[], params: DeflateParameters, zlibDeflateOptions: Record<string, number> | undefined): Promise<Result> {
  const header = formatDeflateResponse(params);
  const configurations = wsExtension.parse(header)['permessage-deflate']!;
  const server = new WsPerMessageDeflate({ threshold: 0, ...(zlibDeflateOptions ? { zlibDeflateOptions } : {}) }, true, 0);
  // A server takes the response parameters as if offered: the same agreed parameters result.
  server.accept(JSON.parse(JSON.stringify(configurations)) as Record<string, (string | true)[]>[]);
  const client = new WsPerMessageDeflate({ threshold: 0 }, false, 0);
  client.accept(JSON.parse(JSON.stringify(configurations)) as Record<string, (string | true)[]>[]);
  const compress = (data: Buffer): Promise<Buffer> => new Promise((resolve, reject) => server.compress(data, true, (e, r) => (e ? reject(e) : resolve(r!))));
  const decompress = (data: Buffer): Promise<Buffer> => new Promise((resolve, reject) => client.decompress(data, true, (e, r) => (e ? reject(e) : resolve(r!))));
  let compressed = 0;
  const t0 = performance.now();
  for (const m of messages) {
    const c = await compress(m);
    compressed += c.length;
    const d = await decompress(c);
    if (d.length !== m.length) throw new Error('ws: round trip failed');
  }
  const ms = performance.now() - t0;
  server.cleanup();
  client.cleanup();
  return { ms, compressed };
}

const TAKEOVER: DeflateParameters = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: null };
const NO_TAKEOVER: DeflateParameters = { ...TAKEOVER, serverNoContextTakeover: true, clientNoContextTakeover: true };

const corpora = { json: jsonCorpus(), binary: binaryCorpus() };
/** Message sizes of Autobahn 12.x/13.x, with a message count giving ~2 MiB (~1 MiB with --quick) per measurement. */
const sizes = [16, 256, 1024, 16384, 131072];
const volume = (quick ? 1 : 2) * 1024 * 1024;

const implementations: { impl: string; run: (messages: readonly Buffer[], params: DeflateParameters) => Result | Promise<Result> }[] = enginesMode
  ? [
      { impl: 'dictionary', run: (m, p) => runOurs(m, p, dictionaryEngine) },
      { impl: 'node-stream', run: (m, p) => runOurs(m, p, nodeDeflateEngine) },
    ]
  : [
      { impl: 'ws', run: (m, p) => runWs(m, p, undefined) },
      { impl: 'ws@level1', run: (m, p) => runWs(m, p, { level: 1, memLevel: 9 }) },
      { impl: 'wscheck', run: (m, p) => runOurs(m, p) },
    ];
const baseline = implementations[0]!.impl;

for (const [data, corpus] of Object.entries(corpora)) {
  for (const [paramsName, params] of [
    ['context-takeover', TAKEOVER],
    ['no-context-takeover', NO_TAKEOVER],
  ] as const) {
    for (const size of sizes) {
      const count = Math.max(200, Math.min(20_000, Math.round(volume / size)));
      const messages = slices(corpus, size, count);
      const octets = size * count;
      const times: Record<string, number[]> = {};
      const compressed: Record<string, number> = {};
      // Interleave implementations round by round so drift affects all alike; round 0 warms up.
      for (let round = 0; round <= rounds; round++) {
        for (const { impl, run } of implementations) {
          const r = await run(messages, params);
          if (round === 0) continue;
          (times[impl] ??= []).push(r.ms);
          compressed[impl] = r.compressed;
        }
      }
      const mbps = (impl: string): number => octets / 1e6 / (median(times[impl]!) / 1000);
      const base = mbps(baseline);
      for (const { impl } of implementations) {
        const value = mbps(impl);
        console.log(
          JSON.stringify({
            bench: enginesMode ? 'permessage-deflate-engines' : 'permessage-deflate',
            data,
            params: paramsName,
            size,
            messages: count,
            impl,
            MBps: Number(value.toFixed(1)),
            compressed: Number((compressed[impl]! / octets).toFixed(3)),
            ...(impl === baseline ? {} : { ratio: Number((value / base).toFixed(2)) }),
          }),
        );
      }
    }
  }
}
