/**
 * The fuzz targets in plain Node: their input format, that valid traffic
 * never trips them (fast-check, fixed seed, with the generators of the
 * codec properties), and that a planted bug does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/decoder.js';
import { encodeFrames } from '../../src/codec/encode.js';
import { Opcode } from '../../src/codec/opcode.js';
import { buildClientRequest, generateKey } from '../../src/codec/handshake.js';
import { OPEN_FINDINGS, resetAcknowledged } from '../../fuzz/support/acknowledge.js';
import { DECODER_SETUP_OCTETS, encodeDecoderSetup, readDecoderSetup } from '../../fuzz/support/decoder-setup.js';
import { encodeDiffSetup } from '../../fuzz/support/diff-setup.js';
import { ALLOWED } from '../../fuzz/support/differential.js';
import { firstIllFormed, walkStream, wellFormed } from '../../fuzz/support/frames.js';
import { EVERY_WINDOW, FuzzFinding, FuzzInput, chopAt, cutPoints, encodeChop, readChop } from '../../fuzz/support/input.js';
import { checkDecoder } from '../../fuzz/targets/decoder.js';
import { checkDriver, DRIVER_KNOWN } from '../../fuzz/targets/driver-diff.js';
import { checkHandshake } from '../../fuzz/targets/handshake.js';
import { checkModel } from '../../fuzz/targets/model.js';
import { checkUtf8 } from '../../fuzz/targets/utf8.js';
import { checkWs } from '../../fuzz/targets/ws-diff.js';
import { plantedDecode } from './fixtures/planted-decoder-bug.js';
import { brokenFrame, conversation, maskKeys, maskedFor } from '../../properties/support/streams.js';

const SEED = 0x5eed;

function acknowledged<T>(fn: () => T): T {
  process.env.WSCHECK_FUZZ_ACKNOWLEDGE = OPEN_FINDINGS.map((f) => f.id).join(',');
  resetAcknowledged();
  try {
    return fn();
  } finally {
    delete process.env.WSCHECK_FUZZ_ACKNOWLEDGE;
    resetAcknowledged();
  }
}

const role = fc.constantFrom('server' as const, 'client' as const);
const chop = fc.record({ cuts: fc.array(fc.nat({ max: 0xffff }), { maxLength: 4 }), every: fc.option(fc.integer({ min: 1, max: 16 }), { nil: null }) });

/** A valid conversation as received by `r`, or one with exactly one broken frame, cut anyhow. */
const traffic = fc.tuple(role, conversation, fc.option(fc.constant(null), { freq: 3 }), maskKeys, chop).chain(([r, conv, , keys, plan]) =>
  fc.option(brokenFrame(r), { freq: 2 }).map((broken) => {
    const frames = [...maskedFor(r, conv.frames, keys)];
    if (broken !== null) frames.push(...maskedFor(r, broken.before, keys), broken.fixedMask ? broken.frame : maskedFor(r, [broken.frame], keys)[0]!);
    return { role: r, stream: encodeFrames(frames).subarray(0, 6000), chop: plan, broken: broken !== null };
  }),
);

describe('fuzz input format', () => {
  it('a chop plan survives encoding, and its cut points are inside the stream, sorted and few', () => {
    fc.assert(
      fc.property(chop, fc.nat({ max: 5000 }), (plan, length) => {
        const bytes = encodeChop(plan);
        const read = readChop(new FuzzInput(bytes));
        expect(read).toEqual({ cuts: plan.cuts.slice(0, 4), every: plan.every });
        const points = cutPoints(read, length);
        expect(points).toEqual([...new Set(points)].sort((a, b) => a - b));
        for (const p of points) expect(p > 0 && p < length).toBe(true);
        expect(points.length).toBeLessThanOrEqual(4 + EVERY_WINDOW);
        expect(chopAt(new Uint8Array(length), points).reduce((a, c) => a + c.length, 0)).toBe(length);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('reading past the end gives zeros, so every input is valid', () => {
    const input = new FuzzInput(Uint8Array.of(7));
    expect([input.byte(), input.byte(), input.uint16(), input.take(5).length, input.rest().length]).toEqual([7, 0, 0, 0, 0]);
    expect(readDecoderSetup(new Uint8Array(0)).options.role).toBe('server');
  });

  it('decoder setups round trip', () => {
    const data = encodeDecoderSetup({ role: 'client', utf8: 'message-end', limit: 3, closeCodes: 'rfc6455', chop: { cuts: [5], every: 2 }, branchAt: 1 }, Uint8Array.of(0x81, 0));
    const s = readDecoderSetup(data);
    expect(s.options).toMatchObject({ role: 'client', utf8: 'message-end', maxFramePayload: 125, closeCodes: 'rfc6455' });
    expect([s.chop, s.branchAt, s.compareWhole, Array.from(s.stream)]).toEqual([{ cuts: [5], every: 2 }, 1, false, [0x81, 0]]);
    expect(data.length).toBe(DECODER_SETUP_OCTETS + 2);
  });
});

describe('the naive reading (oracle of the decoder target)', () => {
  it('its UTF-8 scan agrees with TextDecoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(wellFormed(bytes)).toBe(valid);
        if (valid) expect(firstIllFormed(bytes)).toBe(-1);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('lists every violation of a frame, with the octet where the decoder must have seen it', () => {
    const walk = walkStream(Uint8Array.of(0x09, 0x7e, 0x00, 0xc8), { role: 'server', maxFramePayload: 100 });
    expect(walk.failedFrame).toBe(0);
    expect(walk.frames[0]!.violations.map((v) => [v.kind, v.certainAt])).toEqual([
      ['fragmented-control', 0],
      ['unmasked-client-frame', 1],
      ['control-too-long', 3],
      ['frame-too-big', 3],
    ]);
  });
});

describe('decoder target', () => {
  it('valid and singly broken traffic, any chopping: no finding', () => {
    fc.assert(
      fc.property(traffic, fc.nat(255), ({ role: r, stream, chop: plan }, extra) => {
        const data = encodeDecoderSetup({ role: r, chop: plan, ...(extra % 3 === 0 ? { branchAt: extra } : extra % 3 === 1 ? { compareWhole: true } : {}) }, stream);
        acknowledged(() => checkDecoder(Buffer.from(data)));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('finds the planted bug (a header cut inside its 16-bit length loses an octet) and only with it', () => {
    const stream = encodeFrames([{ opcode: Opcode.Binary, payload: new Uint8Array(200).fill(1), maskKey: 0x01020304 }]);
    const data = Buffer.from(encodeDecoderSetup({ role: 'server', chop: { cuts: [3], every: null } }, stream));
    acknowledged(() => checkDecoder(data));
    expect(() => acknowledged(() => checkDecoder(data, plantedDecode))).toThrow(FuzzFinding);
  });

  it('finds a decoder that writes into the Buffer it was given (the first finding: decoder-mutates-buffer-input)', () => {
    const data = Buffer.from(encodeDecoderSetup({ role: 'server' }, encodeFrames([{ opcode: 2, payload: Uint8Array.of(1, 2), maskKey: 0x0a0b0c0d }])));
    checkDecoder(Buffer.from(data));
    // The bug as it was: a masked payload copied with Buffer#slice (a view) and unmasked in place.
    const unmaskingInPlace: typeof decode = (state, chunk, options) => {
      const r = decode(state, chunk, options);
      for (const e of r.events) if (e.type === 'frame' && e.frame.maskKey !== null) chunk.set(e.frame.payload, e.offset + 6);
      return r;
    };
    expect(() => checkDecoder(Buffer.from(data), unmaskingInPlace)).toThrow(/input-unchanged/);
  });
});

describe('differential targets', () => {
  const allowed = new Set<string | null>([null, ...Object.values(ALLOWED)]);
  it('ws and wscheck agree on valid and singly broken traffic, or differ only as the RFC allows', () => {
    fc.assert(
      fc.property(traffic, fc.nat(7), ({ role: r, stream, chop: plan }, limit) => {
        expect(allowed.has(checkWs(encodeDiffSetup({ role: r, limit, chop: plan }, stream)))).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('websocket-driver and wscheck agree, or differ as the RFC allows or as listed', () => {
    const listed = new Set([...allowed, ...DRIVER_KNOWN.map((k) => k.id), 'driver-unmasked-frame-1003']);
    fc.assert(
      fc.property(traffic, fc.nat(7), ({ role: r, stream, chop: plan }, limit) => {
        expect(listed.has(checkDriver(encodeDiffSetup({ role: r, limit, chop: plan }, stream)))).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('valid traffic within the limits gives no divergence at all', () => {
    fc.assert(
      fc.property(role, conversation, maskKeys, chop, (r, conv, keys, plan) => {
        const stream = encodeFrames(maskedFor(r, conv.frames, keys));
        fc.pre(stream.length < 60_000);
        const data = encodeDiffSetup({ role: r, limit: 6 /* 65536 */, chop: plan }, stream);
        expect(checkWs(data)).toBeNull();
        expect(checkDriver(data)).toBeNull();
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('handshake, model and utf8 targets', () => {
  it('requests built by the codec, cut anywhere: no finding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.constantFrom('chat', 'superchat', 'x'), { maxLength: 3 }), fc.nat(600), (nonce, protocols, split) => {
        const head = buildClientRequest({ host: 'example.com', path: '/', key: generateKey(nonce), protocols: [...new Set(protocols)] }).bytes;
        checkHandshake(Uint8Array.from([0, split >> 8, split & 0xff, ...head]));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the endpoint reducer under random operations: no finding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 2 }), fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(Uint8Array.of(8), Uint8Array.of(9), Uint8Array.of(12, 3, 1), Uint8Array.of(13), Uint8Array.of(14), Uint8Array.of(15))), { maxLength: 10 }), (config, ops) => {
        checkModel(Uint8Array.from([...config, ...ops.flatMap((o) => [...o])]));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('UTF-8: every judge agrees on random octets and on text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }).map((s) => new TextEncoder().encode(s))), (setup, bytes) => {
        checkUtf8(Uint8Array.from([...setup, ...bytes]));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
