/**
 * The Node default for the codec's raw DEFLATE engine (`DeflateEngine`), on
 * node:zlib.
 *
 * Why a persistent zlib stream driven synchronously: permessage-deflate's
 * context takeover needs a compressor and a decompressor that keep their
 * sliding window between messages, and the codec calls them synchronously.
 * Node's public synchronous API (`deflateRawSync`, `inflateRawSync`) starts a
 * fresh zlib stream on every call, so context would have to be carried as a
 * preset dictionary of the previous 32 KiB of plaintext, re-hashed for every
 * message. Node's streams keep the window but only compress asynchronously —
 * except through the handle's synchronous `writeSync`, which Node's own
 * `zlib.*Sync` functions are built on (`processChunkSync` in lib/zlib.js,
 * unchanged from Node 10 to 24). Measured through the same extension
 * (`npx tsx bench/deflate.ts --engines`, compress + decompress, JSON text with
 * context takeover): 33× the dictionary approach's throughput at 16 octets per
 * message, 6× at 1 KiB, 2.6× at 16 KiB, 1.1× at 128 KiB; never slower. So: one
 * zlib stream per direction, driven by `writeSync` with `Z_SYNC_FLUSH`. The
 * dictionary is still used, rarely: to continue a peer's window after a DEFLATE
 * block with BFINAL set ends its stream.
 *
 * Window bits 8: zlib refuses an 8-bit window for raw deflate ("until
 * 256-byte window bug fixed", deflate.c), and Node silently raises it to 9
 * (`DeflateRaw`: `if (opts.windowBits === 8) opts.windowBits = 9`) — the
 * change that made the Autobahn testsuite ask for 9 instead of 8 since 2021.
 * A 9-bit zlib compressor still honours an agreed 8: zlib never emits a match
 * distance above MAX_DIST = 2^windowBits − 262 (deflate.h; the lookahead it
 * keeps), which is 250 at 9, inside the 256 octets RFC 7692 §7.2.1 allows
 * ("MUST NOT use an LZ77 sliding window longer than the w-th power of 2
 * bytes": what binds the peer is the distance its decompressor must reach
 * back). So this engine compresses an agreed 8 at 9, with real back-references
 * up to 250 octets that exercise the peer's small window; the tests measure the
 * largest distance with an independent decoder for every window size. (zlib's
 * Z_RLE strategy, distance 1 only, would meet the letter without that
 * argument, at the cost of ratio and of what the peer's decoder is tested
 * with.) Decompressors use a 15-bit window always; a larger window decodes
 * anything a smaller one does.
 *
 * Inflate limit: output goes into buffers no larger than what the limit still
 * allows plus one octet, so a compression bomb stops at `maxOutput + 1`
 * octets produced — never the bomb's size.
 */
import zlib from 'node:zlib';
import type { DeflateEngine, DeflaterOptions, InflateResult, InflaterOptions, RawDeflater, RawInflater } from '../codec/deflate/engine.js';

const { Z_SYNC_FLUSH } = zlib.constants;

/** The native handle under a zlib stream, as lib/zlib.js drives it. */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  params?(level: number, strategy: number): void;
}

/** The stream's internals `writeSync` reports into: `[availOutAfter, availInAfter]`. */
interface ZlibInternals {
  _handle: ZlibHandle | null;
  _writeState: Uint32Array;
}

type ZlibStream = zlib.DeflateRaw | zlib.InflateRaw;

export interface NodeDeflateEngineOptions {
  /** Size of the first output buffer of a decompression (reused between calls). Default 64 KiB. */
  readonly outputChunk?: number;
}

const DEFAULT_OUTPUT_CHUNK = 64 * 1024;
/** Scratch buffers grow to fit a message up to this size and are reused; larger outputs get their own. */
const MAX_RETAINED_SCRATCH = 1024 * 1024;

/**
 * A `DeflateEngine` on node:zlib. Throws at construction if this Node lacks
 * the synchronous stream handle (none since Node 10 does).
 */
export function createNodeDeflateEngine(options: NodeDeflateEngineOptions = {}): DeflateEngine {
  const outputChunk = options.outputChunk ?? DEFAULT_OUTPUT_CHUNK;
  if (!Number.isInteger(outputChunk) || outputChunk < 64) throw new RangeError(`outputChunk must be an integer ≥ 64, got ${outputChunk}`);
  // Feature check, once.
  internalsOf(zlib.createInflateRaw()).stream.close();
  // One first output buffer for all of this engine's decompressors, made when first needed: inflate() is
  // synchronous and copies its output out, and a connection (or a fuzz input) may make several.
  let scratch: Uint8Array | null = null;
  const outputBuffer = (): Uint8Array => (scratch ??= new Uint8Array(outputChunk));
  return {
    name: 'node:zlib',
    createDeflater: (o) => new NodeDeflater(o),
    createInflater: (o) => new NodeInflater(o, outputBuffer),
  };
}

/** The shared default engine. */
export const nodeDeflateEngine: DeflateEngine = createNodeDeflateEngine();

function internalsOf(stream: ZlibStream): { handle: ZlibHandle; state: Uint32Array; stream: ZlibStream } {
  const s = stream as unknown as ZlibInternals;
  if (s._handle === null || typeof s._handle?.writeSync !== 'function' || !(s._writeState instanceof Uint32Array)) {
    stream.close();
    throw new Error(`node:zlib in Node ${process.version} has no synchronous stream handle; wscheck's deflate engine needs one`);
  }
  // Errors also arrive as an 'error' event on a later tick; they are read synchronously below.
  stream.on('error', () => {});
  return { handle: s._handle, state: s._writeState, stream };
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}

/**
 * Data LZ77 does little for costs zlib's match search for little. After the
 * first message of at least INCOMPRESSIBLE_PROBE octets, the compressor adapts
 * once, by the ratio that message reached:
 * - random-looking (the PDF-like document's streams: nothing shrinks): level 0,
 *   which emits the stored blocks level 1 would, twenty times faster;
 * - noisy (the bitmap: a sixth saved, by Huffman codes more than by matches):
 *   Z_RLE, matches at distance 1 only, two to three times faster for a few
 *   points of ratio, and still back-references for the peer's decoder.
 * What the peer's decoder must handle stays valid DEFLATE either way; verdicts
 * never depend on the level. The choice depends on the data only, so a run
 * sends the same octets every time.
 */
const INCOMPRESSIBLE_PROBE = 4096;
const INCOMPRESSIBLE_RATIO = 0.97;
const NOISY_RATIO = 0.7;

class NodeDeflater implements RawDeflater {
  private readonly stream: ZlibStream;
  private readonly handle: ZlibHandle;
  private readonly state: Uint32Array;
  private scratch = new Uint8Array(1024);
  private adapted = false;

  constructor(o: DeflaterOptions) {
    checkRange('windowBits', o.windowBits, 8, 15);
    checkRange('level', o.level, 0, 9);
    checkRange('memLevel', o.memLevel, 1, 9);
    const internals = internalsOf(
      zlib.createDeflateRaw({
        // See the module comment: an agreed 8 is compressed at 9, whose distances stay within 250.
        windowBits: Math.max(9, o.windowBits),
        level: o.level,
        memLevel: o.memLevel,
        chunkSize: 64, // the stream's own output buffer is never used
      }),
    );
    this.stream = internals.stream;
    this.handle = internals.handle;
    this.state = internals.state;
  }

  compress(data: Uint8Array): Uint8Array {
    // Room for incompressible data (stored blocks cost 5 octets per 64 KiB) and the flush.
    const bound = data.length + (data.length >>> 10) + 64;
    let out = this.scratch;
    if (out.length < bound) {
      out = new Uint8Array(bound);
      if (bound <= MAX_RETAINED_SCRATCH) this.scratch = out;
    }
    let outOff = 0;
    let inOff = 0;
    let inLen = data.length;
    for (;;) {
      const room = out.length - outOff;
      this.handle.writeSync(Z_SYNC_FLUSH, data, inOff, inLen, out, outOff, room);
      if (this.stream.destroyed) throw new Error(`zlib deflate failed: ${this.stream.errored?.message ?? 'stream destroyed'}`);
      const availOut = this.state[0]!;
      const availIn = this.state[1]!;
      outOff += room - availOut;
      inOff += inLen - availIn;
      inLen = availIn;
      if (availOut !== 0) break;
      // Output full: zlib may hold more. Grow and go on.
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out.subarray(0, outOff));
      out = bigger;
    }
    if (!this.adapted && data.length >= INCOMPRESSIBLE_PROBE && this.handle.params !== undefined) {
      // Between messages the stream is at a flush point, where zlib allows new parameters.
      this.adapted = true;
      const ratio = outOff / data.length;
      if (ratio >= INCOMPRESSIBLE_RATIO) this.handle.params(0, zlib.constants.Z_DEFAULT_STRATEGY);
      else if (ratio >= NOISY_RATIO) this.handle.params(1, zlib.constants.Z_RLE);
    }
    return out.slice(0, outOff);
  }

  reset(): void {
    this.stream.reset();
  }

  close(): void {
    this.stream.close();
  }
}

class NodeInflater implements RawInflater {
  private stream: ZlibStream;
  private handle: ZlibHandle;
  private state: Uint32Array;
  private readonly windowBits: number;
  /** Started from a preset dictionary, which zlib's `reset()` would put back. */
  private preset: boolean;
  private readonly outputBuffer: () => Uint8Array;
  produced = 0;

  constructor(o: InflaterOptions, outputBuffer: () => Uint8Array) {
    checkRange('windowBits', o.windowBits, 8, 15);
    this.windowBits = o.windowBits;
    this.preset = o.dictionary !== undefined && o.dictionary.length > 0;
    const internals = NodeInflater.open(o.windowBits, this.preset ? o.dictionary! : null);
    this.stream = internals.stream;
    this.handle = internals.handle;
    this.state = internals.state;
    this.outputBuffer = outputBuffer;
  }

  private static open(windowBits: number, dictionary: Uint8Array | null): ReturnType<typeof internalsOf> {
    return internalsOf(zlib.createInflateRaw({ windowBits, chunkSize: 64, ...(dictionary !== null ? { dictionary } : {}) }));
  }

  inflate(input: Uint8Array, maxOutput: number): InflateResult {
    const allowed = maxOutput + 1; // one octet past the limit proves it was passed
    const chunks: Uint8Array[] = [];
    let total = 0;
    const scratch = this.outputBuffer();
    let out = scratch;
    let outOff = 0;
    let inOff = 0;
    let inLen = input.length;
    let streamEnd = false;
    for (;;) {
      const room = Math.min(out.length - outOff, allowed - total);
      this.handle.writeSync(Z_SYNC_FLUSH, input, inOff, inLen, out, outOff, room);
      if (this.stream.destroyed) {
        return { status: 'error', message: this.stream.errored?.message ?? 'zlib stream destroyed' };
      }
      const availOut = this.state[0]!;
      const availIn = this.state[1]!;
      const have = room - availOut;
      outOff += have;
      total += have;
      this.produced += have;
      inOff += inLen - availIn;
      inLen = availIn;
      if (total > maxOutput) return { status: 'limit', produced: total };
      if (availOut === 0) {
        // Output buffer full: keep it and continue into a new one.
        if (outOff === out.length) {
          chunks.push(out === scratch ? out.slice() : out);
          out = new Uint8Array(Math.min(Math.max(out.length, total), allowed - total));
          outOff = 0;
        }
        continue;
      }
      // zlib stopped with room to spare: all input consumed, or the stream ended.
      if (inLen > 0) streamEnd = true;
      break;
    }
    let output: Uint8Array;
    if (chunks.length === 0) {
      output = out.slice(0, outOff);
    } else {
      output = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        output.set(c, at);
        at += c.length;
      }
      output.set(out.subarray(0, outOff), at);
    }
    return { status: 'ok', output, consumed: inOff, streamEnd };
  }

  reset(): void {
    if (!this.preset) {
      this.stream.reset();
      return;
    }
    // Node's reset re-applies the dictionary a raw inflater was created with
    // (ZlibContext::ResetStream ends in SetDictionary), so the window of an
    // earlier message would survive into one that must start from nothing.
    this.stream.close();
    const internals = NodeInflater.open(this.windowBits, null);
    this.stream = internals.stream;
    this.handle = internals.handle;
    this.state = internals.state;
    this.preset = false;
  }

  close(): void {
    this.stream.close();
  }
}
