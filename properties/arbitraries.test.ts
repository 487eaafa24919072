/**
 * Properties of the exploration arbitraries (src/arbitraries), checked
 * against the reference codec and the oracle rather than against the
 * arbitraries' own bookkeeping: fragmentations reassemble, chop patterns
 * tile the stream and reach every kind of boundary, every labelled corruption
 * is rejected as labelled, valid scenarios are accepted, and the oracle
 * computes an expectation for every generated scenario.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodeEvent } from '../src/codec/decoder.js';
import { isValidUtf8 } from '../src/codec/utf8.js';
import { cutStream } from '../src/model/driver.js';
import { bytesEqual } from '../src/codec/bytes.js';
import { type DeclaredLimits, frameLimitOf, messageLimitOf } from '../src/model/limits.js';
import { computeExpectation } from '../src/model/oracle.js';
import type { FrameDescription } from '../src/model/scenario.js';
import type { Role } from '../src/model/types.js';
import {
  type CorruptionKind,
  type GeneratedScenario,
  choppedStream,
  corruption,
  corruptionKinds,
  fragmentFrames,
  fragmentedMessage,
  interleaving,
  message,
  scenario,
} from '../src/arbitraries/index.js';
import { type CutPlace, mostFramesInOnePiece, parseStream, placesOf } from '../test/arbitraries/support/parse.js';
import { concat, decodeChunks, encodeFor, peerDecoder, wireChunks } from '../test/arbitraries/support/wire.js';

const SEED = 0x6455a;
const ROLES: readonly Role[] = ['server', 'client'];

/** The regression this pins: the driver once masked frames whose `maskKey` was an explicit null. */
const UNMASKED: CorruptionKind = 'unmasked-client-frame';

const violations = (events: readonly DecodeEvent[]) => events.flatMap((e) => (e.type === 'violation' ? [e.violation] : []));

/** Sample values of `arb` (deterministic). */
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, seed = SEED): T[] => fc.sample(arb, { seed, numRuns });

/** The frames of an interleaving, as raw frames (Close as a frame; no endpoint messages). */
const interleavedFrames = interleaving({ messageSteps: false }).map((i) =>
  i.items.flatMap((it): FrameDescription[] => (it.kind === 'frame' ? [it.frame] : it.kind === 'close' ? [{ opcode: 8, payload: it.body.payload }] : [])),
);

describe('fragmentedMessage', () => {
  for (const role of ROLES) {
    it(`reassembles through the reference decoder of a ${role} to the original message`, () => {
      fc.assert(
        fc.property(fragmentedMessage(), (fm) => {
          expect(bytesEqual(concat(fm.fragments), fm.message.payload)).toBe(true);
          const events = decodeChunks([encodeFor(fragmentFrames(fm), role)], peerDecoder(role));
          expect(violations(events)).toEqual([]);
          const messages = events.flatMap((e) => (e.type === 'message' ? [e] : []));
          expect(messages).toHaveLength(1);
          expect(messages[0]!.opcode).toBe(fm.message.opcode);
          expect(messages[0]!.frames).toBe(fm.fragments.length);
          expect(bytesEqual(messages[0]!.payload, fm.message.payload)).toBe(true);
        }),
        { seed: SEED, numRuns: 300 },
      );
    });
  }

  it('splits characters when it says so, and often', () => {
    let splitting = 0;
    let empty = 0;
    const values = sample(fragmentedMessage(message({ types: ['text'], maxLength: 300 })), 500);
    for (const fm of values) {
      // Recount from the fragments alone: a boundary inside the payload before a continuation octet.
      const payload = fm.message.payload;
      let at = 0;
      let split = 0;
      for (const f of fm.fragments.slice(0, -1)) {
        at += f.length;
        if (at > 0 && at < payload.length && (payload[at]! & 0xc0) === 0x80) split++;
      }
      expect(split).toBe(fm.splitCharacters);
      if (split > 0) {
        splitting++;
        // A character really straddles two frames: some fragment is not UTF-8 on its own.
        expect(fm.fragments.some((f) => !isValidUtf8(f))).toBe(true);
      }
      if (fm.fragments.some((f) => f.length === 0)) empty++;
      expect(fm.emptyFragments).toBe(fm.fragments.filter((f) => f.length === 0).length);
    }
    expect(splitting).toBeGreaterThan(values.length / 10);
    expect(empty).toBeGreaterThan(values.length / 20);
  });
});

describe('choppedStream', () => {
  for (const role of ROLES) {
    it(`cuts a ${role}-bound stream into pieces that concatenate to it`, () => {
      fc.assert(
        fc.property(choppedStream(interleavedFrames, { peerRole: role }), (s) => {
          const stream = encodeFor(s.frames, role);
          for (let k = 0; k < s.cuts.length; k++) {
            expect(s.cuts[k]!).toBeGreaterThan(k === 0 ? 0 : s.cuts[k - 1]!);
            expect(s.cuts[k]!).toBeLessThan(stream.length);
          }
          const pieces = cutStream(stream, s.cuts);
          expect(pieces).toHaveLength(stream.length === 0 ? 1 : s.cuts.length + 1);
          expect(bytesEqual(concat(pieces), stream)).toBe(true);
        }),
        { seed: SEED, numRuns: 300 },
      );
    });
  }

  it('hits every kind of boundary: inside a header, an extended length, a masking key, a character, and several frames in one piece', () => {
    const counters: Record<CutPlace | 'several-frames-in-one-piece' | 'streams', number> = {
      streams: 0,
      'frame-boundary': 0,
      header: 0,
      'extended-length': 0,
      'mask-key': 0,
      payload: 0,
      character: 0,
      'several-frames-in-one-piece': 0,
    };
    const count = (frames: readonly FrameDescription[], cuts: readonly number[], role: Role): void => {
      const stream = encodeFor(frames, role);
      const parsed = parseStream(stream);
      counters.streams++;
      const seen = new Set<CutPlace>();
      for (const c of cuts) for (const p of placesOf(parsed, c)) seen.add(p);
      for (const p of seen) counters[p]++;
      if (mostFramesInOnePiece(parsed, stream.length, cuts) >= 2) counters['several-frames-in-one-piece']++;
    };
    // The builder alone, and the stream steps of whole scenarios, for a server peer (the tester masks).
    for (const s of sample(choppedStream(interleavedFrames, { peerRole: 'server' }), 400)) count(s.frames, s.cuts, 'server');
    for (const g of sample(scenario({ peerRole: 'server' }), 400)) {
      for (const st of g.scenario.steps) if (st.kind === 'stream') count(st.frames, st.cuts, 'server');
    }
    console.info('chop coverage (streams with at least one such cut):', counters);
    for (const [kind, n] of Object.entries(counters)) {
      expect(n, kind).toBeGreaterThanOrEqual(Math.ceil(counters.streams / 20));
    }
  });
});

describe('corruption', () => {
  for (const role of ROLES) {
    it(`is rejected by the reference decoder of a ${role} with the labelled kind and code, at its offending frame`, () => {
      fc.assert(
        fc.property(corruption({ peerRole: role }), (c) => {
          const stream = encodeFor(c.frames, role);
          const found = violations(decodeChunks([stream], peerDecoder(role)));
          expect(found).toHaveLength(1);
          expect(found[0]!.kind).toBe(c.label.kind);
          expect(found[0]!.code).toBe(c.label.code);
          expect(found[0]!.rule).toBe(c.label.rule);
          const offender = parseStream(stream)[c.offender]!;
          expect(found[0]!.offset).toBeGreaterThanOrEqual(offender.start);
          expect(found[0]!.offset).toBeLessThanOrEqual(offender.end);
          // Nothing before the offending frame is wrong.
          const before = encodeFor(c.frames.slice(0, c.offender), role);
          expect(violations(decodeChunks([before], peerDecoder(role)))).toEqual([]);
        }),
        { seed: SEED, numRuns: 400 },
      );
    });

    it(`draws every kind a ${role} can receive`, () => {
      const seen = new Map<CorruptionKind, number>();
      for (const c of sample(corruption({ peerRole: role }), 600)) seen.set(c.label.kind as CorruptionKind, (seen.get(c.label.kind as CorruptionKind) ?? 0) + 1);
      expect([...seen.keys()].sort()).toEqual([...corruptionKinds(role)].sort());
    });
  }

  it('rejects a kind the role cannot receive', () => {
    expect(() => corruption({ peerRole: 'client', kinds: ['unmasked-client-frame'] })).toThrow(RangeError);
  });
});

describe('corruption past declared limits', () => {
  const LIMITS: readonly DeclaredLimits[] = [{ maxMessage: 1000 }, { maxMessage: 70_000, maxFrame: 4096 }, { maxFrame: 300 }];
  for (const role of ROLES) {
    for (const limits of LIMITS) {
      it(`is refused with 1009 at its offending frame by the reference decoder of a ${role} holding ${JSON.stringify(limits)}`, () => {
        const decoder = { ...peerDecoder(role), maxMessagePayload: messageLimitOf(limits), maxFramePayload: frameLimitOf(limits) };
        const shapes = new Set<string>();
        fc.assert(
          fc.property(corruption({ peerRole: role, kinds: ['message-too-big'], limits }), (c) => {
            shapes.add(`${c.label.kind}/${c.frames.length}`);
            const stream = encodeFor(c.frames, role);
            const found = violations(decodeChunks([stream], decoder));
            expect(found.map((v) => [v.kind, v.code])).toEqual([[c.label.kind, 1009]]);
            const offender = parseStream(stream)[c.offender]!;
            expect(found[0]!.offset).toBeGreaterThanOrEqual(offender.start);
            expect(found[0]!.offset).toBeLessThanOrEqual(offender.end);
            // Without the limits nothing is wrong with the frames themselves (their octets just have not all arrived).
            expect(violations(decodeChunks([stream], peerDecoder(role))).filter((v) => v.kind !== 'frame-too-big' && v.kind !== 'message-too-big')).toEqual([]);
          }),
          { seed: SEED, numRuns: 200 },
        );
        // A message crossing its limit at its second fragment: only with a message limit, and one a few octets and a
        // fragment within the frame limit can cross.
        const crossable = limits.maxMessage !== undefined && messageLimitOf(limits) - frameLimitOf(limits) < 32;
        expect([...shapes].sort()).toEqual(crossable ? ['frame-too-big/1', 'message-too-big/2'] : ['frame-too-big/1']);
      });
    }

    it(`in a ${role}'s scenarios: carried with the scenario, messages within them, and 1009 expected when crossed`, () => {
      const limits = { maxMessage: 1000 };
      fc.assert(
        fc.property(scenario({ peerRole: role, limits }), (g) => {
          expect(g.scenario.limits).toEqual(limits);
          for (const m of g.delivered) expect(m.payload.length).toBeLessThanOrEqual(1000);
          if (g.label.corruption?.code === 1009) expect(computeExpectation(g.scenario, role).expectedClose.closeCode).toContain(1009);
        }),
        { seed: SEED, numRuns: 200 },
      );
    });
  }

  it('is drawn only when limits are declared', () => {
    expect(corruptionKinds('server')).not.toContain('message-too-big');
    expect(corruptionKinds('server', { maxMessage: 10 })).toContain('message-too-big');
    expect(() => corruption({ peerRole: 'server', kinds: ['message-too-big'] })).toThrow(RangeError);
  });
});

/** Decoder events of the peer for a whole scenario. */
const peerEvents = (g: GeneratedScenario): DecodeEvent[] => decodeChunks(wireChunks(g.scenario, g.peerRole), peerDecoder(g.peerRole));

describe('scenario', () => {
  for (const role of ROLES) {
    it(`with a corruption is rejected as labelled by a ${role}, and the oracle expects the labelled close code`, () => {
      const kinds = new Set<string>();
      const expectedKinds = corruptionKinds(role);
      fc.assert(
        fc.property(scenario({ peerRole: role, corruption: 'always', corruptionKinds: expectedKinds }), (g) => {
          const label = g.label.corruption!;
          kinds.add(label.kind);
          const events = peerEvents(g);
          const found = violations(events);
          expect(found.map((v) => [v.kind, v.code])).toEqual([[label.kind, label.code]]);
          // The peer closes only after failing (a Close before the corruption would make it moot).
          expect(events.findIndex((e) => e.type === 'close')).toBe(-1);
          // Every conforming peer that sends a Close fails with a failure code; the labelled one is among them.
          const codes = computeExpectation(g.scenario, role).expectedClose.closeCode;
          expect(codes).toContain(label.code);
          // A length with the MSB set is also too big for any peer with a size limit, which may say 1009 first.
          const allowed = label.kind === 'length-msb-set' ? [1002, 1007, 1009] : [1002, 1007];
          expect(codes.filter((c) => !allowed.includes(c))).toEqual([]);
        }),
        { seed: SEED, numRuns: 250 },
      );
      expect([...kinds].sort()).toEqual([...expectedKinds].sort());
    });

    it(`that is valid is accepted by a ${role}: no violation, the delivered messages, echoed by every reference peer`, () => {
      fc.assert(
        fc.property(scenario({ peerRole: role, corruption: 'never' }), (g) => {
          expect(g.label.corruption).toBeNull();
          const events = peerEvents(g);
          expect(violations(events)).toEqual([]);
          const closeAt = events.findIndex((e) => e.type === 'close');
          const received = (closeAt < 0 ? events : events.slice(0, closeAt)).flatMap((e) => (e.type === 'message' ? [e] : []));
          expect(received.map((m) => [m.opcode, m.payload.length])).toEqual(g.delivered.map((m) => [m.opcode, m.payload.length]));
          received.forEach((m, k) => expect(bytesEqual(m.payload, g.delivered[k]!.payload)).toBe(true));
          const expectation = computeExpectation(g.scenario, role);
          // The peer closes with 1000 or echoes the code of the tester's Close (or of its watchdog, 1001); it never fails,
          // unless it is one that refuses lengths written wider than needed (NON-STRICT) and the scenario wrote some.
          const testerCodes = [1001, ...events.flatMap((e) => (e.type === 'close' && e.code !== null ? [e.code] : []))];
          for (const t of expectation.traces) {
            const code = t.closing.remoteCloseCode;
            if (code === null || code === 1000 || testerCodes.includes(code)) continue;
            expect([code, t.strict, t.policy.nonMinimalLength, g.label.wideLengths > 0]).toEqual([1002, false, 'reject', true]);
          }
          expect(expectation.traces.flatMap((t) => t.observations.filter((o) => o.kind === 'violation'))).toEqual([]);
          // Strict peers echo every delivered message (a non-strict one may let a Close in the same read pre-empt the echo).
          for (const t of expectation.traces.filter((x) => x.strict)) {
            const echoed = t.events.flatMap((e) => (e.type === 'message' ? [e] : []));
            expect(echoed.map((e) => [e.binary, e.payload.length])).toEqual(g.delivered.map((m) => [m.opcode === 2, m.payload.length]));
          }
        }),
        { seed: SEED, numRuns: 250 },
      );
    });

    if (role === 'server') {
      it('with an unmasked frame reaches the server peer unmasked (a client tester can send maskKey: null)', () => {
        const g = sample(scenario({ peerRole: role, corruption: 'always', corruptionKinds: [UNMASKED] }), 1)[0]!;
        expect(violations(peerEvents(g)).map((v) => v.kind)).toEqual([UNMASKED]);
        expect(computeExpectation(g.scenario, role).expectedClose.closeCode).toEqual([1002]);
      });
    }

    it(`gets an expectation from the oracle for a ${role} (computeExpectation does not throw)`, () => {
      fc.assert(
        fc.property(scenario({ peerRole: role }), (g) => {
          computeExpectation(g.scenario, role);
        }),
        { seed: SEED + 1, numRuns: 400 },
      );
    });
  }
});
