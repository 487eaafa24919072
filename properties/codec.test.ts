/**
 * Properties of the frame codec: round trip, chop invariance, and rejection of
 * every class of invalid frame with the close code RFC 6455 assigns to it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodeEvent, type DecoderOptions, decode, initialDecoderState } from '../src/codec/decoder.js';
import { encodeFrames } from '../src/codec/encode.js';
import { brokenFrame, chop, chopping, conversation, maskKeys, maskedFor } from './support/streams.js';

const SEED = 0x6455;
const LIMIT = 1 << 20;

function decodeAll(chunks: readonly Uint8Array[], options: DecoderOptions): DecodeEvent[] {
  let state = initialDecoderState();
  const events: DecodeEvent[] = [];
  for (const c of chunks) {
    const r = decode(state, c, options);
    state = r.state;
    events.push(...r.events);
  }
  return events;
}

/** Events as comparable plain data (payload copies, no shared buffers). */
function normal(events: readonly DecodeEvent[]): unknown[] {
  return events.map((e) => {
    switch (e.type) {
      case 'frame':
        return { ...e, frame: { ...e.frame, payload: Array.from(e.frame.payload) } };
      case 'message':
      case 'ping':
      case 'pong':
        return { ...e, payload: Array.from(e.payload) };
      case 'close':
        return { ...e, payload: Array.from(e.payload), reason: Array.from(e.reason) };
      case 'violation':
        return e;
    }
  });
}

for (const role of ['server', 'client'] as const) {
  describe(`decoder in the ${role} role`, () => {
    const options: DecoderOptions = { role, maxFramePayload: LIMIT, maxMessagePayload: LIMIT };

    it('decodes every valid frame and message it is given, in order (round trip)', () => {
      fc.assert(
        fc.property(conversation, maskKeys, (conv, keys) => {
          const frames = maskedFor(role, conv.frames, keys);
          const events = decodeAll([encodeFrames(frames)], options);
          expect(events.filter((e) => e.type === 'violation')).toEqual([]);
          const decodedFrames = events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
          expect(decodedFrames.map((f) => [f.opcode, f.fin, f.rsv, f.maskKey, Array.from(f.payload)])).toEqual(
            frames.map((f) => [f.opcode, f.fin ?? true, f.rsv ?? 0, f.maskKey ?? null, Array.from(f.payload ?? [])]),
          );
          const messages = events.flatMap((e) => (e.type === 'message' ? [[e.opcode, Array.from(e.payload)]] : []));
          expect(messages).toEqual(conv.messages.map((m) => [m.opcode, Array.from(m.payload)]));
        }),
        { seed: SEED, numRuns: 200 },
      );
    });

    it('gives the same events however the stream is cut into reads (chop invariance)', () => {
      fc.assert(
        fc.property(conversation, fc.option(brokenFrame(role), { freq: 2 }), maskKeys, chopping, (conv, broken, keys, sizes) => {
          const frames = [...maskedFor(role, conv.frames, keys)];
          let o = options;
          if (broken !== null) {
            frames.push(...maskedFor(role, broken.before, keys), broken.fixedMask ? broken.frame : maskedFor(role, [broken.frame], keys)[0]!);
            o = { ...options, ...broken.limits };
          }
          const stream = encodeFrames(frames);
          const whole = normal(decodeAll([stream], o));
          expect(normal(decodeAll(chop(stream, sizes), o))).toEqual(whole);
          if (stream.length < 4096) expect(normal(decodeAll(chop(stream, [1]), o))).toEqual(whole);
        }),
        { seed: SEED, numRuns: 150 },
      );
    });

    it('rejects every class of invalid frame with its close code, after whatever valid traffic preceded it', () => {
      fc.assert(
        fc.property(conversation, brokenFrame(role), maskKeys, chopping, (conv, broken, keys, sizes) => {
          const frames = [
            ...maskedFor(role, conv.frames, keys),
            ...maskedFor(role, broken.before, keys),
            broken.fixedMask ? broken.frame : maskedFor(role, [broken.frame], keys)[0]!,
          ];
          const events = decodeAll(chop(encodeFrames(frames), sizes), { ...options, ...broken.limits });
          const violations = events.flatMap((e) => (e.type === 'violation' ? [e.violation] : []));
          expect(violations).toHaveLength(1);
          expect(violations[0]!.kind).toBe(broken.kind);
          expect(violations[0]!.code).toBe(broken.code);
          // Nothing is delivered after the violation.
          expect(events.at(-1)!.type).toBe('violation');
        }),
        { seed: SEED, numRuns: 300 },
      );
    });
  });
}

describe('decoder state', () => {
  it('is not changed by decoding, so an old state can be stepped again (purity)', () => {
    fc.assert(
      fc.property(conversation, maskKeys, fc.integer({ min: 1, max: 100 }), (conv, keys, cut) => {
        const options: DecoderOptions = { role: 'server', maxFramePayload: LIMIT, maxMessagePayload: LIMIT };
        const stream = encodeFrames(maskedFor('server', conv.frames, keys));
        const first = decode(initialDecoderState(), stream.subarray(0, cut), options);
        const a = decode(first.state, stream.subarray(cut), options);
        // Step the same intermediate state again, with the rest cut differently.
        const mid = Math.floor((stream.length - cut) / 2) + cut;
        const b1 = decode(first.state, stream.subarray(cut, mid), options);
        const b2 = decode(b1.state, stream.subarray(mid), options);
        expect(normal([...b1.events, ...b2.events])).toEqual(normal(a.events));
        // And the first branch still reads the same after the second ran.
        expect(normal(a.events)).toEqual(normal(decode(first.state, stream.subarray(cut), options).events));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('decoder input', () => {
  it('is never written to, whether it comes as a Uint8Array or a Node Buffer (whose slice is a view)', () => {
    fc.assert(
      fc.property(conversation, maskKeys, fc.boolean(), fc.integer({ min: 1, max: 64 }), (conv, keys, asBuffer, cut) => {
        const options: DecoderOptions = { role: 'server', maxFramePayload: LIMIT, maxMessagePayload: LIMIT };
        const stream = encodeFrames(maskedFor('server', conv.frames, keys));
        const before = Uint8Array.from(stream);
        const input = asBuffer ? Buffer.from(stream.buffer, stream.byteOffset, stream.length) : stream;
        const first = decode(initialDecoderState(), input.subarray(0, cut), options);
        decode(first.state, input.subarray(cut), options);
        expect(Buffer.compare(Buffer.from(stream), Buffer.from(before))).toBe(0);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
