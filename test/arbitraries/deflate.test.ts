/**
 * permessage-deflate in generated scenarios: the hand-written DEFLATE blocks
 * inflate to the message under zlib and under the model's own inflater, the
 * encoded fragments reassemble through the reference decoder running the
 * extension, the encoding's corruptions are refused by both, and deflate
 * scenarios ask for the extension.
 */
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RSV1 } from '../../src/codec/frame.js';
import { Opcode } from '../../src/codec/opcode.js';
import { DEFAULT_DEFLATE_PARAMETERS, createPerMessageDeflate } from '../../src/codec/deflate/index.js';
import { storedDeflateEngine } from '../../src/codec/deflate/stored-engine.js';
import { inflateRaw } from '../../src/codec/deflate/inflate.js';
import { type Block, deflatedMessage } from '../../src/codec/deflate/writer.js';
import { fragmentFrames, fragmentedMessage, message, permessageDeflate, scenario } from '../../src/arbitraries/index.js';
import { decodeChunks, encodeFor } from './support/wire.js';

const SEED = 0x7692;
const TRAILER = Uint8Array.of(0x00, 0x00, 0xff, 0xff);
const withTrailer = (payload: Uint8Array): Buffer => Buffer.concat([payload, TRAILER]);
/** zlib on a message's payload: no block ends the stream, so inflate up to a sync flush (as every permessage-deflate receiver does). */
const zlibInflate = (payload: Uint8Array): Uint8Array => new Uint8Array(zlib.inflateRawSync(withTrailer(payload), { finishFlush: zlib.constants.Z_SYNC_FLUSH }));

/** Data with runs (which fixed blocks copy from distance 1) and every octet value. */
const data = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 600 })), { maxLength: 8 }).map((runs) => Uint8Array.from(runs.flatMap(([b, n]) => Array<number>(n).fill(b)))),
);

/** Data and blocks covering it, empty ones included. */
const blocked = data.chain((d) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: d.length }), fc.boolean()), { maxLength: 4 })
    .map((cuts): [Uint8Array, Block[]] => {
      const ends = cuts.map(([c]) => c).sort((a, b) => a - b);
      ends.push(d.length);
      let at = 0;
      return [d, ends.map((end, k) => {
        const b: Block = { type: cuts[k]?.[1] === false ? 'stored' : 'fixed', length: end - at };
        at = end;
        return b;
      })];
    }),
);

describe('deflatedMessage', () => {
  it('inflates to the data under zlib and under the model, whatever the blocks', () => {
    fc.assert(
      fc.property(blocked, ([d, blocks]) => {
        const payload = deflatedMessage(d, blocks);
        expect(zlibInflate(payload)).toEqual(d);
        const model = inflateRaw(withTrailer(payload), new Uint8Array(0), 1 << 20);
        expect(model.status).toBe('ok');
        if (model.status === 'ok') expect(model.output).toEqual(d);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('writes an empty message as the single octet 00 (RFC 7692 §7.2.3.6)', () => {
    expect(deflatedMessage(new Uint8Array(0), [])).toEqual(Uint8Array.of(0));
  });

  it('copies runs in fixed blocks: 600 equal octets take far fewer than 600', () => {
    expect(deflatedMessage(new Uint8Array(600).fill(7), [{ type: 'fixed', length: 600 }]).length).toBeLessThan(20);
  });

  it('refuses blocks that do not cover the data', () => {
    expect(() => deflatedMessage(new Uint8Array(3), [{ type: 'stored', length: 2 }])).toThrow(RangeError);
  });
});

function deflateDecoder(role: 'server' | 'client') {
  const extension = createPerMessageDeflate({ role, params: DEFAULT_DEFLATE_PARAMETERS, engine: storedDeflateEngine });
  return { role, extensions: [extension] } as const;
}

describe('permessageDeflate()', () => {
  it('fragments reassemble and inflate to the message through the reference decoder running the extension', () => {
    fc.assert(
      fc.property(fragmentedMessage(message({ maxLength: 3000 }), { encoding: permessageDeflate() }), (fm) => {
        const frames = fragmentFrames(fm);
        for (const f of frames.slice(1)) expect(f.rsv ?? 0).toBe(0);
        const events = decodeChunks([encodeFor(frames, 'server')], deflateDecoder('server'));
        const messages = events.filter((e) => e.type === 'message');
        expect(events.filter((e) => e.type === 'violation')).toEqual([]);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatchObject({ opcode: fm.message.opcode, payload: fm.message.payload });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('compresses most messages and sends some as they are (RSV1 clear)', () => {
    const rsvs = fc.sample(fragmentedMessage(message({ maxLength: 100 }), { encoding: permessageDeflate() }), { seed: SEED, numRuns: 400 }).map((fm) => fragmentFrames(fm)[0]!.rsv ?? 0);
    const compressed = rsvs.filter((r) => r === RSV1).length;
    expect(compressed).toBeGreaterThan(300);
    expect(compressed).toBeLessThan(400);
  });

  it('its corruptions are not DEFLATE: zlib refuses them and the reference decoder fails with extension-error', () => {
    const corruptions = fc.sample(permessageDeflate().corruptions!, { seed: SEED, numRuns: 50 });
    for (const c of corruptions) {
      const f = c.frames[c.offender]!;
      expect(f.rsv).toBe(RSV1);
      expect(() => zlibInflate(f.payload)).toThrow();
      const events = decodeChunks([encodeFor(c.frames, 'server')], deflateDecoder('server'));
      expect(events.find((e) => e.type === 'violation')).toMatchObject({ violation: { kind: 'extension-error' } });
    }
    expect(new Set(corruptions.map((c) => c.label.detail)).size).toBeGreaterThan(1);
  });
});

describe('scenario({ deflate: true })', () => {
  it('asks for permessage-deflate, compressed in the model too, and keeps the usual handshake', () => {
    for (const g of fc.sample(scenario({ peerRole: 'server', deflate: true, opening: 'always' }), { seed: SEED, numRuns: 30 })) {
      expect(g.scenario.deflate).toEqual({ accept: 'accept_deflate', modelled: true });
      expect(g.scenario.opening).toBeUndefined();
    }
  });

  it('draws RSV1 on continuation and control frames as reserved-rsv corruptions', () => {
    const details = fc
      .sample(scenario({ peerRole: 'server', deflate: true, corruption: 'always', corruptionKinds: ['reserved-rsv'] }), { seed: SEED, numRuns: 300 })
      .map((g) => g.label.corruption!.detail);
    expect(details.some((d) => /^RSV bits 4 on a continuation frame/.test(d))).toBe(true);
    expect(details.some((d) => /^RSV bits 4 on a (ping|pong|close) frame/i.test(d))).toBe(true);
  });

  it('is refused together with a custom encoding', () => {
    expect(() => scenario({ peerRole: 'server', deflate: true, encoding: permessageDeflate() })).toThrow(/either deflate or an encoding/);
  });

  it('a text message in a deflate scenario is a compressed frame the peer can inflate', () => {
    const frames = fc
      .sample(scenario({ peerRole: 'client', deflate: true, corruption: 'never' }), { seed: SEED, numRuns: 100 })
      .flatMap((g) => g.scenario.steps.flatMap((s) => (s.kind === 'frame' ? [s] : s.kind === 'stream' ? s.frames : [])))
      .filter((f) => f.opcode === Opcode.Text && f.rsv === RSV1 && (f.fin ?? true));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(() => zlibInflate(f.payload)).not.toThrow();
  });
});
