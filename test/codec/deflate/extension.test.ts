/**
 * The permessage-deflate message extension (RFC 7692 §6, §7.2) over the Node
 * engine: the RFC's own examples, context takeover and its absence, window
 * limits (checked by an independent decoder), empty messages and empty
 * fragments, BFINAL blocks, corrupt data, and the inflate limit against a
 * decompression bomb.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEFLATE_PARAMETERS,
  type DeflateEngine,
  type DeflateParameters,
  PerMessageDeflate,
  type PerMessageDeflateOptions,
  type RawInflater,
  type WindowBits,
  createPerMessageDeflate,
} from '../../../src/codec/deflate/index.js';
import { type DecodeEvent, type DecoderOptions, decode, initialDecoderState } from '../../../src/codec/decoder.js';
import { type FrameSpec, encodeFrame } from '../../../src/codec/encode.js';
import { createNodeDeflateEngine, nodeDeflateEngine } from '../../../src/harness/deflate-node.js';
import { traceDeflate } from './support/deflate-distances.js';

const encoder = new TextEncoder();
const text = (s: string): Uint8Array => encoder.encode(s);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const TRAILER = Uint8Array.of(0, 0, 0xff, 0xff);

function pair(params: DeflateParameters = DEFAULT_DEFLATE_PARAMETERS, extra: Partial<PerMessageDeflateOptions> = {}): { client: PerMessageDeflate; server: PerMessageDeflate } {
  return {
    client: createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine, ...extra }),
    server: createPerMessageDeflate({ role: 'server', params, engine: nodeDeflateEngine, ...extra }),
  };
}

/** Frames as a client receives them from a server (unmasked), decoded with the extension. */
function receive(frames: readonly FrameSpec[], ext: PerMessageDeflate, options: Partial<DecoderOptions> = {}): DecodeEvent[] {
  const o: DecoderOptions = { role: 'client', extensions: [ext], emitFrames: false, ...options };
  const r = decode(initialDecoderState(), Buffer.concat(frames.map((f) => encodeFrame(f))), o);
  return r.events;
}

function messages(events: readonly DecodeEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'message' ? [Buffer.from(e.payload).toString('latin1')] : e.type === 'violation' ? [`violation ${e.violation.code}: ${e.violation.reason}`] : []));
}

/** Incompressible octets (a linear congruential generator). */
function noise(n: number, seed = 1): Uint8Array {
  const data = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

/** Same payload? (vitest's deep equality walks typed arrays element by element: slow on megabytes.) */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function textLike(n: number, seed = 1): Uint8Array {
  const words = ['alpha', 'beta', 'gamma', 'delta', '{"id":', '"name":', 'true', 'false', ', ', '}\n', '[', ']'];
  let x = seed;
  const parts: string[] = [];
  let length = 0;
  while (length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = words[x % words.length]!;
    parts.push(w);
    length += w.length;
  }
  return text(parts.join('').slice(0, n));
}

describe('the examples of RFC 7692 §7.2.3, received by a client', () => {
  const { client } = pair();
  it('7.2.3.1 one compressed DEFLATE block, 7.2.3.2 sharing the sliding window', () => {
    // "0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00", then "0xc1 0x05 0xf2 0x00 0x11 0x00 0x00"
    const events = receive(
      [
        { opcode: 1, rsv: 4, payload: hex('f2 48 cd c9 c9 07 00') },
        { opcode: 1, rsv: 4, payload: hex('f2 00 11 00 00') },
      ],
      client,
    );
    expect(messages(events)).toEqual(['Hello', 'Hello']);
  });

  it('7.2.3.3 a DEFLATE block with no compression', () => {
    expect(messages(receive([{ opcode: 1, rsv: 4, payload: hex('00 05 00 fa ff 48 65 6c 6c 6f 00') }], pair().client))).toEqual(['Hello']);
  });

  it('7.2.3.4 a block with BFINAL set, and the window goes on after it', () => {
    const events = receive(
      [
        { opcode: 1, rsv: 4, payload: hex('f3 48 cd c9 c9 07 00 00') },
        // The next message refers back into the first one (7.2.3.2's second payload).
        { opcode: 1, rsv: 4, payload: hex('f2 00 11 00 00') },
      ],
      pair().client,
    );
    expect(messages(events)).toEqual(['Hello', 'Hello']);
  });

  it('7.2.3.5 two DEFLATE blocks in one message', () => {
    expect(messages(receive([{ opcode: 1, rsv: 4, payload: hex('f2 48 05 00 00 00 ff ff ca c9 c9 07 00') }], pair().client))).toEqual(['Hello']);
  });

  it('7.2.3.6 an empty fragment: a final continuation frame that is only an empty stored block', () => {
    // The first fragment carries a whole sync flush; the last one only the header
    // of an empty stored block (0x00), whose LEN and NLEN the receiver appends.
    const events = receive(
      [
        { opcode: 1, fin: false, rsv: 4, payload: hex('f2 48 cd c9 c9 07 00 00 00 ff ff') },
        { opcode: 0, fin: true, payload: hex('00') },
      ],
      pair().client,
    );
    expect(messages(events)).toEqual(['Hello']);
    // A compressed message that is nothing but that octet is the empty message.
    expect(messages(receive([{ opcode: 2, rsv: 4, payload: hex('00') }], pair().client))).toEqual(['']);
  });

  it('a BFINAL block followed by more blocks in the same message (§7.2.1: "The next DEFLATE block follows the padded data")', () => {
    const first = zlib.deflateRawSync(text('Hello')); // ends with a BFINAL block, padded
    const second = zlib.deflateRawSync(text('Hello, World'), { dictionary: text('Hello'), finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const payload = Buffer.concat([first, second.subarray(0, second.length - 4)]);
    expect(messages(receive([{ opcode: 1, rsv: 4, payload }], pair().client))).toEqual(['HelloHello, World']);
  });
});

describe('compression (§7.2.1)', () => {
  it('writes the examples of §7.2.3.1 and §7.2.3.2 for "Hello" twice', () => {
    const { server } = pair();
    expect(Buffer.from(server.encodeMessage(text('Hello'), 1).payload).toString('hex')).toBe('f248cdc9c90700');
    expect(Buffer.from(server.encodeMessage(text('Hello'), 1).payload).toString('hex')).toBe('f200110000');
  });

  it('sends the empty message as the single octet 0x00 (§7.2.3.6), leaving the window alone', () => {
    const { client, server } = pair();
    server.encodeMessage(text('Hello'), 1);
    const empty = server.encodeMessage(new Uint8Array(0), 1);
    expect(empty).toEqual({ payload: Uint8Array.of(0), rsv: 4 });
    expect(Buffer.from(server.encodeMessage(text('Hello'), 1).payload).toString('hex')).toBe('f200110000');
    void client;
  });

  it('removes exactly the trailing 00 00 ff ff of the sync flush', () => {
    for (const n of [1, 100, 70_000]) {
      const data = textLike(n, n);
      const { payload, rsv } = pair().server.encodeMessage(data, 1);
      expect(rsv).toBe(4);
      const inflated = zlib.inflateRawSync(Buffer.concat([payload, TRAILER]), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      expect(inflated.equals(data)).toBe(true);
      expect(Buffer.from(payload.subarray(-4)).equals(Buffer.from(TRAILER))).toBe(false);
    }
  });

  it('sends messages below the threshold uncompressed (RSV1 clear)', () => {
    const { server } = pair(DEFAULT_DEFLATE_PARAMETERS, { threshold: 10 });
    expect(server.encodeMessage(text('short'), 1)).toEqual({ payload: text('short'), rsv: 0 });
    expect(server.encodeMessage(text('long enough message'), 1).rsv).toBe(4);
  });

  it('takes over its window only when allowed', () => {
    const data = noise(2000, 7);
    const takeover = pair().server;
    const first = takeover.encodeMessage(data, 2).payload.length;
    expect(takeover.encodeMessage(data, 2).payload.length).toBeLessThan(first / 4);
    const reset = pair({ ...DEFAULT_DEFLATE_PARAMETERS, serverNoContextTakeover: true }).server;
    const a = reset.encodeMessage(data, 2).payload;
    const b = reset.encodeMessage(data, 2).payload;
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it("honours the client's hints even when the response does not repeat them", () => {
    const client = createPerMessageDeflate({
      role: 'client',
      params: DEFAULT_DEFLATE_PARAMETERS,
      offer: { serverNoContextTakeover: false, clientNoContextTakeover: true, serverMaxWindowBits: null, clientMaxWindowBits: 10 },
      engine: nodeDeflateEngine,
    });
    expect(client.sending).toEqual({ noContextTakeover: true, maxWindowBits: 10 });
    expect(client.receiving).toEqual({ noContextTakeover: false, maxWindowBits: 15 });
  });

  const ALL_BITS: WindowBits[] = [8, 9, 10, 11, 12, 13, 14, 15];
  it.each(ALL_BITS)('never uses a match distance beyond 2^%i, within a message and across messages, and does reach far', (bits) => {
    const params: DeflateParameters = { ...DEFAULT_DEFLATE_PARAMETERS, serverMaxWindowBits: bits };
    const { server } = pair(params);
    // A 200-octet block repeated at distance `near` (inside the window, and
    // inside zlib's reach of 2^w − 262) and at `far` (just past the window),
    // with incompressible filler between; and the end of each message repeated
    // at the start of the next.
    const near = bits === 8 ? 240 : 2 ** bits - 300;
    const far = 2 ** bits + 100;
    let history = new Uint8Array(0);
    let maxDistance = 0;
    let previousEnd = new Uint8Array(0);
    for (let k = 0; k < 4; k++) {
      const block = noise(200, 11 + k);
      const data = Buffer.concat([previousEnd, block, noise(near - 200, 100 + k), block, noise(far - 200, 200 + k), block, noise(64, 300 + k)]);
      const { payload } = server.encodeMessage(data, 2);
      const t = traceDeflate(Buffer.concat([payload, TRAILER]), history);
      expect(same(t.output, data)).toBe(true);
      maxDistance = Math.max(maxDistance, t.maxDistance);
      history = Buffer.concat([history, data]);
      previousEnd = data.subarray(data.length - 64);
    }
    expect(maxDistance).toBeLessThanOrEqual(2 ** bits);
    // zlib stops at 2^w − 262: an agreed 8, compressed at 9, reaches 240 but never past 250 (src/harness/deflate-node.ts).
    expect(maxDistance).toBeGreaterThanOrEqual(near);
  });
});

describe('decompression (§7.2.2)', () => {
  it('decompresses across many messages with the shared window, whatever each side agreed', () => {
    for (const snct of [false, true]) {
      for (const cnct of [false, true]) {
        const params: DeflateParameters = { serverNoContextTakeover: snct, clientNoContextTakeover: cnct, serverMaxWindowBits: 10, clientMaxWindowBits: 9 };
        const { client, server } = pair(params);
        for (let k = 0; k < 20; k++) {
          const data = textLike(50 + k * 97, k);
          const down = server.encodeMessage(data, 1);
          const up = client.encodeMessage(data, 1);
          expect(client.decodeMessage(down.payload, down.rsv, 1 << 20)).toEqual({ ok: true, data });
          expect(server.decodeMessage(up.payload, up.rsv, 1 << 20)).toEqual({ ok: true, data });
        }
      }
    }
  });

  it('passes a message without RSV1 through untouched, and it does not enter the window', () => {
    const { client, server } = pair();
    const plain = text('not compressed');
    expect(client.decodeMessage(plain, 0, 100)).toEqual({ ok: true, data: plain });
    const m = server.encodeMessage(text('Hello'), 1);
    expect(client.decodeMessage(m.payload, m.rsv, 100)).toMatchObject({ ok: true });
    expect(client.decodeMessage(hex('f2 00 11 00 00'), 4, 100)).toEqual({ ok: true, data: text('Hello') });
  });

  it('fails a peer that refers to an earlier message after agreeing not to (§7.2.2 "MAY decompress … with an empty LZ77 sliding window")', () => {
    const params: DeflateParameters = { ...DEFAULT_DEFLATE_PARAMETERS, serverNoContextTakeover: true };
    const client = createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine });
    expect(client.decodeMessage(hex('f2 48 cd c9 c9 07 00'), 4, 100)).toMatchObject({ ok: true });
    expect(client.decodeMessage(hex('f2 00 11 00 00'), 4, 100)).toEqual({ ok: false, code: 1007, reason: 'invalid compressed data: invalid distance too far back' });
    // … unless asked to keep the window anyway.
    const lenient = createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine, emptyWindowWhenPeerResets: false });
    lenient.decodeMessage(hex('f2 48 cd c9 c9 07 00'), 4, 100);
    expect(lenient.decodeMessage(hex('f2 00 11 00 00'), 4, 100)).toEqual({ ok: true, data: text('Hello') });
  });

  it('fails corrupt data with 1007, or the code asked for, and stays failed', () => {
    const { client } = pair();
    expect(client.decodeMessage(hex('ff ff ff'), 4, 100)).toEqual({ ok: false, code: 1007, reason: 'invalid compressed data: invalid block type' });
    expect(client.decodeMessage(hex('f2 48 cd c9 c9 07 00'), 4, 100)).toMatchObject({ ok: false, code: 1007 });
    const strict = createPerMessageDeflate({ role: 'client', params: DEFAULT_DEFLATE_PARAMETERS, engine: nodeDeflateEngine, invalidDataCode: 1002 });
    expect(strict.decodeMessage(hex('ff ff ff'), 4, 100)).toMatchObject({ ok: false, code: 1002 });
  });

  it('reads an empty compressed payload literally: an empty message, then a broken stream under context takeover (as zlib-based peers do)', () => {
    // RFC 7692's compressor never sends it (its payload ends with the header of an empty stored block);
    // appending 00 00 ff ff to nothing opens a stored block of 0xff00 octets that the next message would have to complete.
    const { client } = pair();
    expect(client.decodeMessage(new Uint8Array(0), 4, 100)).toEqual({ ok: true, data: new Uint8Array(0) });
    expect(client.decodeMessage(hex('f2 48 cd c9 c9 07 00'), 4, 100)).toMatchObject({ ok: false, code: 1007 });
    const fresh = pair({ ...DEFAULT_DEFLATE_PARAMETERS, serverNoContextTakeover: true }).client;
    expect(fresh.decodeMessage(new Uint8Array(0), 4, 100)).toMatchObject({ ok: true });
    expect(fresh.decodeMessage(hex('f2 48 cd c9 c9 07 00'), 4, 100)).toEqual({ ok: true, data: text('Hello') });
  });

  it('continues after a BFINAL block that ends exactly where a message ends', () => {
    const { client } = pair();
    // 0x01 + 00 00 ff ff is a final, empty stored block: the stream ends with the message.
    expect(client.decodeMessage(hex('f2 48 cd c9 c9 07 00 00 00 ff ff 01'), 4, 100)).toEqual({ ok: true, data: text('Hello') });
    expect(client.decodeMessage(hex('f2 00 11 00 00'), 4, 100)).toEqual({ ok: true, data: text('Hello') });
  });

  it('refuses messages after close()', () => {
    const { client, server } = pair();
    client.close();
    client.close();
    server.close();
    expect(client.decodeMessage(hex('00'), 4, 100)).toMatchObject({ ok: false, code: 1011 });
    expect(() => server.encodeMessage(text('x'), 1)).toThrow(/after close/);
  });

  it('counts what it did', () => {
    const { client, server } = pair();
    const m = server.encodeMessage(textLike(1000), 1);
    client.decodeMessage(m.payload, m.rsv, 1 << 20);
    expect(server.stats).toMatchObject({ messagesCompressed: 1, octetsBeforeCompression: 1000, octetsAfterCompression: m.payload.length });
    expect(client.stats).toMatchObject({ messagesDecompressed: 1, octetsBeforeDecompression: m.payload.length, octetsAfterDecompression: 1000 });
  });
});

describe('the inflate limit against a decompression bomb', () => {
  const MiB = 1024 * 1024;
  const bomb = zlib.deflateRawSync(new Uint8Array(16 * MiB), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);

  /** The Node engine, remembering the inflaters it made so the test can read their accounting. */
  function recordingEngine(outputChunk?: number): { engine: DeflateEngine; inflaters: RawInflater[] } {
    const inner = createNodeDeflateEngine(outputChunk === undefined ? {} : { outputChunk });
    const inflaters: RawInflater[] = [];
    return {
      inflaters,
      engine: {
        name: 'recording',
        createDeflater: (o) => inner.createDeflater(o),
        createInflater: (o) => {
          const i = inner.createInflater(o);
          inflaters.push(i);
          return i;
        },
      },
    };
  }

  it('is a few KiB for 16 MiB of zeros', () => {
    expect(bomb.length).toBeLessThan(20 * 1024);
  });

  for (const chunk of [undefined, 4096]) {
    it(`stops at the limit with 1009 and produces at most limit + 1 octets (output chunk ${chunk ?? 'default'})`, () => {
      const { engine, inflaters } = recordingEngine(chunk);
      const ext = createPerMessageDeflate({ role: 'server', params: DEFAULT_DEFLATE_PARAMETERS, engine });
      const r = ext.decodeMessage(bomb, 4, MiB);
      expect(r).toEqual({ ok: false, code: 1009, reason: `decompressed message exceeds the limit of ${MiB} octets` });
      const produced = inflaters.reduce((sum, i) => sum + i.produced, 0);
      expect(produced).toBe(MiB + 1);
    });
  }

  it('fails the connection with 1009 through the decoder, the bomb split over frames', () => {
    const { engine, inflaters } = recordingEngine();
    const ext = createPerMessageDeflate({ role: 'client', params: DEFAULT_DEFLATE_PARAMETERS, engine });
    const half = bomb.length >> 1;
    const events = receive(
      [
        { opcode: 2, fin: false, rsv: 4, payload: bomb.subarray(0, half) },
        { opcode: 0, fin: true, payload: bomb.subarray(half) },
      ],
      ext,
      { maxMessagePayload: MiB },
    );
    const v = events.find((e) => e.type === 'violation');
    expect(v).toMatchObject({ violation: { kind: 'extension-error', code: 1009 } });
    expect(inflaters.reduce((sum, i) => sum + i.produced, 0)).toBeLessThanOrEqual(MiB + 1);
  });

  it('lets a message of exactly the limit through', () => {
    const data = new Uint8Array(MiB).fill(7);
    const { server, client } = pair();
    const m = server.encodeMessage(data, 2);
    const r = client.decodeMessage(m.payload, m.rsv, MiB);
    expect(r.ok && same(r.data, data)).toBe(true);
    const m2 = server.encodeMessage(new Uint8Array(MiB + 1), 2);
    expect(client.decodeMessage(m2.payload, m2.rsv, MiB)).toMatchObject({ ok: false, code: 1009 });
  });
});

describe('the Node engine', () => {
  it('decompresses into many output chunks when its first buffer is small', () => {
    const engine = createNodeDeflateEngine({ outputChunk: 64 });
    const params = DEFAULT_DEFLATE_PARAMETERS;
    const server = createPerMessageDeflate({ role: 'server', params, engine });
    const client = createPerMessageDeflate({ role: 'client', params, engine });
    const data = textLike(100_000, 3);
    const m = server.encodeMessage(data, 1);
    const r = client.decodeMessage(m.payload, m.rsv, 1 << 20);
    expect(r.ok && same(r.data, data)).toBe(true);
  });

  it('compresses incompressible data larger than its scratch buffer', () => {
    const data = noise(3 << 20);
    const { client, server } = pair();
    const m = server.encodeMessage(data, 2);
    expect(m.payload.length).toBeGreaterThan(data.length);
    const r = client.decodeMessage(m.payload, m.rsv, 4 << 20);
    expect(r.ok && same(r.data, data)).toBe(true);
  });

  it('adapts once to the data after a first large message: stored blocks for noise, distance-1 matches for noisy data, full search otherwise', () => {
    // A smooth ramp with small noise on top: Huffman codes save more than matches (like a photograph).
    const noisy = (n: number, seed: number): Uint8Array => {
      const r = noise(n, seed);
      return r.map((v, i) => ((i >> 4) & 0x7f) + (v & 7));
    };
    const deflater = (): ReturnType<DeflateEngine['createDeflater']> => nodeDeflateEngine.createDeflater({ windowBits: 15, level: 1, memLevel: 9 });
    const history = new Uint8Array(0);
    const secondMessage = (first: Uint8Array, second: Uint8Array) => {
      const d = deflater();
      const a = d.compress(first);
      const b = d.compress(second);
      d.close();
      // The second message decoded on its own: refer only within itself (a fresh window would fail otherwise).
      return { first: traceDeflate(a, history), second: traceDeflate(b, traceDeflate(a).output), size: b.length };
    };
    const random = secondMessage(noise(8192, 1), noise(8192, 2));
    expect(random.second.maxDistance).toBe(0);
    expect(random.size).toBeGreaterThan(8192);
    const photo = secondMessage(noisy(8192, 3), noisy(8192, 4));
    expect(photo.first.maxDistance).toBeGreaterThan(1);
    expect(photo.second.maxDistance).toBe(1);
    const structured = secondMessage(textLike(8192, 5), textLike(8192, 6));
    expect(structured.second.maxDistance).toBeGreaterThan(1);
  });

  it('rejects settings out of range', () => {
    expect(() => nodeDeflateEngine.createDeflater({ windowBits: 7, level: 1, memLevel: 8 })).toThrow(RangeError);
    expect(() => nodeDeflateEngine.createDeflater({ windowBits: 15, level: 10, memLevel: 8 })).toThrow(RangeError);
    expect(() => nodeDeflateEngine.createInflater({ windowBits: 16 })).toThrow(RangeError);
    expect(() => createNodeDeflateEngine({ outputChunk: 10 })).toThrow(RangeError);
  });

  it('reports the end of a DEFLATE stream and where it stopped', () => {
    const i = nodeDeflateEngine.createInflater({ windowBits: 15 });
    const r = i.inflate(hex('f3 48 cd c9 c9 07 00 00 00 00 ff ff'), 100);
    expect(r).toMatchObject({ status: 'ok', consumed: 7, streamEnd: true });
    expect(r.status === 'ok' && Buffer.from(r.output).toString()).toBe('Hello');
    i.close();
  });
});
