/**
 * Properties of permessage-deflate through the reference decoder: any
 * messages, under any agreed parameters (context takeover or not, every
 * window size both ways), compressed by one endpoint and decompressed by the
 * other across a whole conversation — the compressed octets cut into frames
 * at arbitrary points, control frames between the fragments, the byte stream
 * chopped anyhow — arrive as sent. Fixed seeds: the runs are replayable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DeflateParameters,
  type PerMessageDeflate,
  type WindowBits,
  createPerMessageDeflate,
} from '../src/codec/deflate/index.js';
import { type DecodeEvent, type DecoderOptions, decode, initialDecoderState } from '../src/codec/decoder.js';
import { type FrameSpec, encodeFrames } from '../src/codec/encode.js';
import { Opcode } from '../src/codec/opcode.js';
import { nodeDeflateEngine } from '../src/harness/deflate-node.js';
import { type Role, chop, chopping, maskKeys, maskedFor } from './support/streams.js';

const SEED = 0x7692;
const LIMIT = 1 << 20;
const encoder = new TextEncoder();

const windowBits: fc.Arbitrary<WindowBits | null> = fc.option(fc.integer({ min: 8, max: 15 }) as fc.Arbitrary<WindowBits>, { freq: 3 });

const parameters: fc.Arbitrary<DeflateParameters> = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: windowBits,
  clientMaxWindowBits: windowBits,
});

/** A conversation's vocabulary: messages built from it repeat each other, so windows are taken over. */
const vocabulary = fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 });

/** Text made of the vocabulary's words (any plane), so LZ77 finds matches within and across messages. */
const textOf = (words: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.nat(), { maxLength: 400 }).map((picks) => encoder.encode(picks.map((p) => words[p % words.length]).join('')));

const repetitiveText = vocabulary.chain(textOf);

const payloadOf = (words: readonly string[]): fc.Arbitrary<{ opcode: 1 | 2; payload: Uint8Array }> =>
  fc.oneof(
    { weight: 4, arbitrary: textOf(words).map((p) => ({ opcode: Opcode.Text as 1 | 2, payload: p })) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((p) => ({ opcode: Opcode.Binary as 1 | 2, payload: p })) },
    {
      weight: 1,
      // Long runs and periods just past small windows.
      arbitrary: fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.integer({ min: 1, max: 120 }))
        .map(([unit, times]) => ({ opcode: Opcode.Binary as 1 | 2, payload: Uint8Array.from({ length: unit.length * times }, (_, i) => unit[i % unit.length]!) })),
    },
    { weight: 1, arbitrary: fc.constant({ opcode: Opcode.Text as 1 | 2, payload: new Uint8Array(0) }) },
  );

interface Plan {
  readonly opcode: 1 | 2;
  readonly payload: Uint8Array;
  /** Cut points in the compressed payload, modulo its length + 1 (frames may be empty). */
  readonly cuts: readonly number[];
  /** Pings between fragments. */
  readonly pings: readonly boolean[];
}

const planOf = (words: readonly string[]): fc.Arbitrary<Plan> =>
  fc
    .tuple(payloadOf(words), fc.array(fc.nat(), { maxLength: 5 }), fc.array(fc.boolean(), { maxLength: 5 }))
    .map(([m, cuts, pings]) => ({ ...m, cuts, pings }));

/** Messages of one conversation. */
const plans = (minLength: number, maxLength: number): fc.Arbitrary<Plan[]> => vocabulary.chain((words) => fc.array(planOf(words), { minLength, maxLength }));

/** The compressed message as frames: RSV1 on the first only (RFC 7692 §6.1), cut at `cuts`. */
function framesOf(opcode: 1 | 2, compressed: { payload: Uint8Array; rsv: number }, cuts: readonly number[], pings: readonly boolean[]): FrameSpec[] {
  const bytes = compressed.payload;
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    parts.push(bytes.subarray(at, p));
    at = p;
  }
  parts.push(bytes.subarray(at));
  const frames: FrameSpec[] = [];
  parts.forEach((part, k) => {
    frames.push({ opcode: k === 0 ? opcode : Opcode.Continuation, fin: k === parts.length - 1, rsv: k === 0 ? compressed.rsv : 0, payload: part });
    if (pings[k] === true && k < parts.length - 1) frames.push({ opcode: Opcode.Ping, payload: Uint8Array.of(k) });
  });
  return frames;
}

function extensionFor(role: Role, params: DeflateParameters, threshold = 0): PerMessageDeflate {
  return createPerMessageDeflate({ role, params, engine: nodeDeflateEngine, threshold });
}

function run(sender: Role, params: DeflateParameters, plans: readonly Plan[], keys: readonly number[], sizes: readonly number[], threshold: number): void {
  const receiver: Role = sender === 'server' ? 'client' : 'server';
  const out = extensionFor(sender, params, threshold);
  const inn = extensionFor(receiver, params);
  const frames: FrameSpec[] = [];
  for (const p of plans) frames.push(...framesOf(p.opcode, out.encodeMessage(p.payload, p.opcode), p.cuts, p.pings));
  const stream = encodeFrames(maskedFor(receiver, frames, keys));
  const options: DecoderOptions = { role: receiver, extensions: [inn], emitFrames: false, maxFramePayload: LIMIT, maxMessagePayload: LIMIT };
  let state = initialDecoderState();
  const events: DecodeEvent[] = [];
  for (const piece of chop(stream, sizes)) {
    const r = decode(state, piece, options);
    state = r.state;
    events.push(...r.events);
  }
  expect(events.filter((e) => e.type === 'violation')).toEqual([]);
  const got = events.flatMap((e) => (e.type === 'message' ? [{ opcode: e.opcode, payload: Buffer.from(e.payload).toString('hex') }] : []));
  expect(got).toEqual(plans.map((p) => ({ opcode: p.opcode, payload: Buffer.from(p.payload).toString('hex') })));
  out.close();
  inn.close();
}

for (const sender of ['server', 'client'] as const) {
  describe(`permessage-deflate, ${sender} to ${sender === 'server' ? 'client' : 'server'}`, () => {
    it('delivers every message as sent, under any agreed parameters, fragmented and chopped anyhow', () => {
      fc.assert(
        fc.property(parameters, plans(1, 8), maskKeys, chopping, (params, messages, keys, sizes) => {
          run(sender, params, messages, keys, sizes, 0);
        }),
        { seed: SEED + (sender === 'server' ? 0 : 10), numRuns: 150 },
      );
    });

    it('keeps the window right when some messages go uncompressed (RSV1 clear) between compressed ones', () => {
      fc.assert(
        fc.property(parameters, plans(2, 10), maskKeys, fc.integer({ min: 1, max: 200 }), (params, messages, keys, threshold) => {
          run(sender, params, messages, keys, [], threshold);
        }),
        { seed: SEED + (sender === 'server' ? 1 : 11), numRuns: 100 },
      );
    });
  });
}

describe('permessage-deflate, many messages with context takeover', () => {
  it('carries the window over hundreds of messages (Autobahn 12.x shape: consecutive slices of one text)', () => {
    fc.assert(
      fc.property(repetitiveText, fc.integer({ min: 1, max: 300 }), fc.boolean(), (source, size, clientWindow) => {
        fc.pre(source.length > 0);
        const params: DeflateParameters = {
          serverNoContextTakeover: false,
          clientNoContextTakeover: false,
          serverMaxWindowBits: null,
          clientMaxWindowBits: clientWindow ? 9 : null,
        };
        const client = extensionFor('client', params);
        const server = extensionFor('server', params);
        let at = 0;
        for (let k = 0; k < 300; k++) {
          const slice = Uint8Array.from({ length: size }, (_, i) => source[(at + i) % source.length]!);
          at = (at + size) % source.length;
          const up = client.encodeMessage(slice, 2);
          const r1 = server.decodeMessage(up.payload, up.rsv, LIMIT);
          if (!r1.ok) throw new Error(r1.reason);
          const down = server.encodeMessage(r1.data, 2);
          const r2 = client.decodeMessage(down.payload, down.rsv, LIMIT);
          if (!r2.ok) throw new Error(r2.reason);
          if (!Buffer.from(r2.data).equals(slice)) throw new Error(`message ${k} differs`);
        }
        client.close();
        server.close();
      }),
      { seed: SEED + 2, numRuns: 20 },
    );
  });
});
