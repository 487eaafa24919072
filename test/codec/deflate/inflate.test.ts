/**
 * The model's DEFLATE decoder and stored-block engine against node:zlib:
 * whatever zlib compresses (any level, window, strategy, with a preset
 * window), the TypeScript decoder gives back; corrupt data is refused with a
 * reason; output stops at the limit; and permessage-deflate over the stored
 * engine talks to permessage-deflate over zlib both ways.
 */
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFLATE_PARAMETERS, createPerMessageDeflate } from '../../../src/codec/deflate/index.js';
import { inflateRaw } from '../../../src/codec/deflate/inflate.js';
import { storedDeflateEngine } from '../../../src/codec/deflate/stored-engine.js';
import { nodeDeflateEngine } from '../../../src/harness/deflate-node.js';

const TRAILER = Uint8Array.of(0, 0, 0xff, 0xff);
const { Z_SYNC_FLUSH } = zlib.constants;

/** Payloads that compress: runs and repeats of a small alphabet, plus arbitrary octets. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc.array(fc.record({ octet: fc.integer({ min: 0, max: 3 }), run: fc.integer({ min: 1, max: 400 }) }), { maxLength: 40 }).map((runs) => Uint8Array.from(runs.flatMap((r) => new Array<number>(r.run).fill(r.octet)))),
);

function ok(r: ReturnType<typeof inflateRaw>): Uint8Array {
  if (r.status !== 'ok') throw new Error(`expected data, got ${JSON.stringify(r)}`);
  return r.output;
}

describe('inflateRaw', () => {
  it('decodes what zlib compresses at every level, window and strategy', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 9, max: 15 }), fc.constantFrom(0, 1, 2, 3, 4), (data, level, windowBits, strategy) => {
        const compressed = zlib.deflateRawSync(data, { level, windowBits, strategy, finishFlush: Z_SYNC_FLUSH });
        expect(Buffer.from(ok(inflateRaw(compressed, new Uint8Array(0), data.length)))).toEqual(Buffer.from(data));
      }),
      { numRuns: 150 },
    );
  });

  it('reaches back into the history it is given (context takeover)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.uint8Array({ maxLength: 500 }), (history, fresh) => {
        const data = Buffer.concat([history.subarray(0, 300), fresh, history]);
        const compressed = zlib.deflateRawSync(data, { dictionary: history, finishFlush: Z_SYNC_FLUSH });
        expect(Buffer.from(ok(inflateRaw(compressed, history, data.length)))).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });

  it('stops at the block with BFINAL set and says how much it read', () => {
    const first = zlib.deflateRawSync(Buffer.from('Hello'));
    const input = Buffer.concat([first, Buffer.from([0xaa, 0xbb])]);
    const r = inflateRaw(input, new Uint8Array(0), 100);
    expect(r).toMatchObject({ status: 'ok', consumed: first.length, streamEnd: true });
    expect(Buffer.from(ok(r)).toString()).toBe('Hello');
  });

  it('refuses the reserved block type, a stored block with a wrong NLEN and a distance before the window', () => {
    expect(inflateRaw(Uint8Array.of(0x07, 0, 0, 0xff, 0xff), new Uint8Array(0), 100)).toMatchObject({ status: 'error' });
    expect(inflateRaw(Uint8Array.of(0x00, 0x01, 0x00, 0x00, 0x00, 0x41), new Uint8Array(0), 100)).toMatchObject({ status: 'error' });
    // A fixed block whose first symbol is <length 3, distance 1> with nothing before it.
    const tooFar = Uint8Array.of(0x03, 0x02, 0x00, 0x00, 0x00, 0xff, 0xff);
    expect(inflateRaw(tooFar, new Uint8Array(0), 100)).toMatchObject({ status: 'error' });
    expect(ok(inflateRaw(tooFar, Uint8Array.of(0x41), 100)).length).toBe(3);
  });

  it('stops one octet past the limit instead of inflating a bomb', () => {
    const bomb = zlib.deflateRawSync(new Uint8Array(1 << 20), { level: 9, finishFlush: Z_SYNC_FLUSH });
    expect(inflateRaw(bomb, new Uint8Array(0), 1000)).toEqual({ status: 'limit' });
    expect(ok(inflateRaw(bomb, new Uint8Array(0), 1 << 20)).length).toBe(1 << 20);
  });

  it('gives what it decoded so far when the input ends inside a block', () => {
    const compressed = zlib.deflateRawSync(Buffer.from('Hello, Hello, Hello'), { finishFlush: Z_SYNC_FLUSH });
    const r = inflateRaw(compressed.subarray(0, compressed.length - 6), new Uint8Array(0), 100);
    expect(r).toMatchObject({ status: 'ok', streamEnd: false });
  });
});

describe('the stored engine', () => {
  it('writes valid DEFLATE that zlib reads, ending in a sync flush', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 140_000 }), (data) => {
        const out = storedDeflateEngine.createDeflater({ windowBits: 15, level: 0, memLevel: 9 }).compress(data);
        expect(Buffer.from(out.subarray(out.length - 4))).toEqual(Buffer.from(TRAILER));
        expect(zlib.inflateRawSync(out, { finishFlush: Z_SYNC_FLUSH })).toEqual(Buffer.from(data));
      }),
      { numRuns: 20 },
    );
  });

  it('carries permessage-deflate to and from the zlib engine, with context takeover', () => {
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 6 }), (messages) => {
        const model = createPerMessageDeflate({ role: 'server', params: DEFAULT_DEFLATE_PARAMETERS, engine: storedDeflateEngine });
        const node = createPerMessageDeflate({ role: 'client', params: DEFAULT_DEFLATE_PARAMETERS, engine: nodeDeflateEngine });
        for (const m of messages) {
          const toModel = node.encodeMessage(m, 2);
          expect(model.decodeMessage(toModel.payload, toModel.rsv, 1 << 20)).toEqual({ ok: true, data: m });
          const toNode = model.encodeMessage(m, 2);
          const back = node.decodeMessage(toNode.payload, toNode.rsv, 1 << 20);
          expect(back.ok && Buffer.from(back.data)).toEqual(Buffer.from(m));
        }
        node.close();
      }),
      { numRuns: 40 },
    );
  });
});
