/**
 * Each builder of src/arbitraries on its own: what it draws stays within its
 * constraints, covers what its documentation promises (boundaries, widths,
 * flaws, edges), and is checked with the codec's predicates rather than the
 * builder's own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCloseCode, parseClosePayload } from '../../src/codec/close.js';
import { MAX_CONTROL_PAYLOAD } from '../../src/codec/frame.js';
import { Opcode } from '../../src/codec/opcode.js';
import { UTF8_ACCEPT, isValidUtf8, utf8Advance } from '../../src/codec/utf8.js';
import {
  LENGTH_BOUNDARIES,
  UTF8_FLAWS,
  binaryPayload,
  closeBody,
  closeCode,
  codePoint,
  controlFrame,
  cutKinds,
  frameChop,
  interleaving,
  invalidUtf8,
  message,
  payloadLength,
  scenario,
  textPayload,
} from '../../src/arbitraries/index.js';
import { fillText } from '../../src/arbitraries/_internals/utf8.js';
import type { FrameDescription, Step } from '../../src/model/scenario.js';

const SEED = 0x1ab;
const sample = <T>(arb: fc.Arbitrary<T>, numRuns = 500): T[] => fc.sample(arb, { seed: SEED, numRuns });

describe('payloadLength', () => {
  it('stays within its bounds and reaches every length-encoding boundary', () => {
    const values = sample(payloadLength(), 2000);
    expect(values.every((n) => Number.isInteger(n) && n >= 0 && n <= 70_000)).toBe(true);
    for (const b of LENGTH_BOUNDARIES) expect(values, `boundary ${b}`).toContain(b);
    expect(values.some((n) => n > 65536 + 1)).toBe(true);
    // Mostly short.
    expect(values.filter((n) => n <= 16).length).toBeGreaterThan(values.length / 2);
  });

  it('keeps only the boundaries inside narrower bounds', () => {
    const values = sample(payloadLength({ minLength: 100, maxLength: 200 }));
    expect(values.every((n) => n >= 100 && n <= 200)).toBe(true);
    for (const b of [124, 125, 126, 127]) expect(values).toContain(b);
  });

  it('rejects inconsistent bounds', () => {
    expect(() => payloadLength({ minLength: 10, maxLength: 5 })).toThrow(RangeError);
  });
});

describe('codePoint', () => {
  it('draws scalar values of every UTF-8 width and the automaton edges, never a surrogate', () => {
    const values = sample(codePoint(), 2000);
    const widths = new Set(values.map((cp) => new TextEncoder().encode(String.fromCodePoint(cp)).length));
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
    expect(values.every((cp) => cp >= 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff))).toBe(true);
    for (const edge of [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x10ffff]) expect(values, edge.toString(16)).toContain(edge);
  });

  it('keeps to the widths it is given', () => {
    expect(sample(codePoint({ widths: [2] })).every((cp) => cp >= 0x80 && cp <= 0x7ff)).toBe(true);
  });
});

describe('textPayload and binaryPayload', () => {
  it('text is well-formed UTF-8 of exactly the drawn length, with characters of every width', () => {
    const values = sample(textPayload({ maxLength: 300 }), 1000);
    expect(values.every(isValidUtf8)).toBe(true);
    expect(values.every((t) => t.length <= 300)).toBe(true);
    expect(values.some((t) => t.length === 0)).toBe(true);
    const lead = (b: number) => (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : b < 0x80 ? 1 : 0);
    const widths = new Set(values.flatMap((t) => Array.from(t, lead)).filter((w) => w > 0));
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
  });

  it('fills an exact length even when the characters are wider than the room left', () => {
    for (let n = 0; n < 12; n++) {
      const t = fillText([0x10348, 0xe9], n);
      expect(t.length).toBe(n);
      expect(isValidUtf8(t)).toBe(true);
    }
  });

  it('binary payloads honour their bounds', () => {
    expect(sample(binaryPayload({ minLength: 3, maxLength: 9 })).every((b) => b.length >= 3 && b.length <= 9)).toBe(true);
  });

  it('messages are text or binary as asked', () => {
    const values = sample(message({ maxLength: 20 }));
    expect(new Set(values.map((m) => m.opcode))).toEqual(new Set([Opcode.Text, Opcode.Binary]));
    expect(values.filter((m) => m.opcode === Opcode.Text).every((m) => isValidUtf8(m.payload))).toBe(true);
    expect(sample(message({ types: ['binary'] })).every((m) => m.opcode === Opcode.Binary)).toBe(true);
  });
});

describe('controlFrame, closeCode, closeBody', () => {
  it('control frames are Pings and Pongs of 0 to 125 octets, both ends included', () => {
    const values = sample(controlFrame(), 1000);
    expect(new Set(values.map((f) => f.opcode))).toEqual(new Set([Opcode.Ping, Opcode.Pong]));
    expect(values.every((f) => f.payload.length <= MAX_CONTROL_PAYLOAD && f.fin === undefined)).toBe(true);
    expect(values.some((f) => f.payload.length === 0)).toBe(true);
    expect(values.some((f) => f.payload.length === 125)).toBe(true);
  });

  it('close codes are valid or invalid as asked (by the codec)', () => {
    expect(sample(closeCode(), 1000).every((c) => isValidCloseCode(c, 'iana'))).toBe(true);
    const invalid = sample(closeCode({ validity: 'invalid' }), 1000);
    expect(invalid.every((c) => !isValidCloseCode(c, 'iana') && c >= 0 && c <= 0xffff)).toBe(true);
    for (const c of [1004, 1005, 1006, 1015]) expect(invalid).toContain(c);
    expect(sample(closeCode({ registry: 'rfc6455' }), 1000).every((c) => isValidCloseCode(c, 'rfc6455'))).toBe(true);
  });

  it('close bodies parse, fit a control frame, and include 123-octet reasons ending in a wide character', () => {
    const values = sample(closeBody(), 1000);
    for (const b of values) {
      expect(b.payload.length).toBeLessThanOrEqual(MAX_CONTROL_PAYLOAD);
      const parsed = parseClosePayload(b.payload);
      expect(parsed.ok).toBe(true);
    }
    expect(values.some((b) => b.code === null)).toBe(true);
    const full = values.filter((b) => b.reason.length === 123);
    expect(full.length).toBeGreaterThan(0);
    expect(full.some((b) => b.reason[122]! >= 0x80)).toBe(true);
  });
});

describe('invalidUtf8', () => {
  it('is never UTF-8, and each flaw is the flaw it says', () => {
    const values = sample(invalidUtf8(), 2000);
    const seen = new Set<string>();
    for (const v of values) {
      seen.add(v.flaw);
      expect(isValidUtf8(v.bytes)).toBe(false);
      // Valid up to the flaw.
      expect(utf8Advance(UTF8_ACCEPT, v.bytes, 0, v.offset)).toBe(UTF8_ACCEPT);
      const [a, b] = [v.bytes[v.offset]!, v.bytes[v.offset + 1]];
      switch (v.flaw) {
        case 'overlong':
          expect(a === 0xc0 || a === 0xc1 || (a === 0xe0 && b! < 0xa0) || (a === 0xf0 && b! < 0x90)).toBe(true);
          break;
        case 'surrogate':
          expect(a === 0xed && b! >= 0xa0 && b! <= 0xbf).toBe(true);
          break;
        case 'above-max':
          expect((a === 0xf4 && b! >= 0x90) || (a >= 0xf5 && a <= 0xf7)).toBe(true);
          break;
        case 'truncated':
          // Ends inside a character: no octet is invalid, the automaton just is not at a boundary.
          expect(utf8Advance(UTF8_ACCEPT, v.bytes)).toBeGreaterThan(UTF8_ACCEPT);
          break;
        case 'interrupted':
          expect(a >= 0xc2 && a <= 0xf4).toBe(true);
          expect(utf8Advance(UTF8_ACCEPT, v.bytes)).toBeLessThan(0);
          break;
        case 'lone-continuation':
          expect(a >= 0x80 && a <= 0xbf).toBe(true);
          break;
        case 'invalid-octet':
          expect(a === 0xc0 || a === 0xc1 || a >= 0xf5).toBe(true);
          break;
      }
    }
    expect([...seen].sort()).toEqual([...UTF8_FLAWS].sort());
  });
});

describe('frameChop', () => {
  it('is null or a piece size within bounds, and includes single octets', () => {
    const values = sample(frameChop({ maxChop: 100 }));
    expect(values.every((c) => c === null || (Number.isInteger(c) && c >= 1 && c <= 100))).toBe(true);
    expect(values).toContain(null);
    expect(values).toContain(1);
    expect(values).toContain(100);
  });
});

describe('cutKinds', () => {
  // A masked 16-bit-length text frame of 200 octets (é = c3 a9 repeated), then an empty masked ping.
  const text: FrameDescription = { opcode: Opcode.Text, payload: fillText([0xe9], 200) };
  const ping: FrameDescription = { opcode: Opcode.Ping, payload: new Uint8Array(0) };
  // Layout towards a server: text header 0-1, extended length 2-3, key 4-7, payload 8-207; ping at 208.
  it('names the place of each cut', () => {
    const kinds = cutKinds([text, ping], 'server', [1, 3, 5, 8, 9, 10, 208, 209, 212]);
    expect(kinds).toEqual([
      ['anywhere', 'header'],
      ['anywhere', 'header', 'extended-length'],
      ['anywhere', 'header', 'mask-key'],
      ['anywhere'], // between the header and the payload
      ['anywhere', 'payload', 'character'],
      ['anywhere', 'payload'],
      ['anywhere', 'frame-boundary'],
      ['anywhere', 'header'],
      ['anywhere', 'header', 'mask-key'],
    ]);
  });

  it('has no masking key towards a client, and honours an explicit null key', () => {
    expect(cutKinds([text], 'client', [5])).toEqual([['anywhere', 'payload', 'character']]);
    expect(cutKinds([{ ...text, maskKey: null }], 'server', [5])).toEqual([['anywhere', 'payload', 'character']]);
  });
});

describe('interleaving', () => {
  it('keeps fragments in order, puts control frames between fragments, and a Close anywhere', () => {
    let controlInside = 0;
    let closeInside = 0;
    let afterClose = 0;
    for (const i of sample(interleaving({ message: { maxLength: 50 } }), 1000)) {
      let open = false;
      i.items.forEach((it, k) => {
        if (it.kind === 'close') {
          expect(k).toBe(i.closeAt);
          if (open) closeInside++;
          if (k < i.items.length - 1) afterClose++;
          return;
        }
        if (it.kind !== 'frame') return expect(open).toBe(false);
        if (it.part === 'control') {
          if (open) controlInside++;
          return;
        }
        // A fragment: a start only when no message is open, a continuation only inside one.
        expect(it.frame.opcode === Opcode.Continuation).toBe(open);
        open = it.frame.fin === false;
      });
      expect(open).toBe(false);
    }
    expect(controlInside).toBeGreaterThan(20);
    expect(closeInside).toBeGreaterThan(10);
    expect(afterClose).toBeGreaterThan(20);
  });
});

describe('scenario', () => {
  const all = (steps: readonly Step[]): Step[] => steps.flatMap((s) => (s.kind === 'continue-later' ? [s, ...all(s.steps)] : [s]));

  it('ends with a watchdog longer than its pauses, and labels what it holds', () => {
    for (const role of ['server', 'client'] as const) {
      for (const g of sample(scenario({ peerRole: role }), 300)) {
        const last = g.scenario.steps.at(-1)!;
        expect(last.kind).toBe('kill-after');
        const steps = all(g.scenario.steps);
        const pauses = steps.flatMap((s) => (s.kind === 'continue-later' ? [s.seconds] : []));
        expect((last as { seconds: number }).seconds).toBeGreaterThan(pauses.reduce((a, b) => a + b, 0));
        expect(g.label.pauses).toBe(pauses.length);
        expect(g.label.streams).toBe(steps.filter((s) => s.kind === 'stream').length);
        expect(g.label.cuts).toBe(steps.reduce((n, s) => n + (s.kind === 'stream' ? s.cuts.length : 0), 0));
        expect(g.label.choppedFrames).toBe(steps.filter((s) => s.kind === 'frame' && s.chop != null).length);
        expect(g.scenario.suppressClose === true).toBe(g.label.corruption !== null);
        expect(g.label.summary).toContain(g.label.corruption === null ? 'valid' : g.label.corruption.kind);
        // No chopped frame is written in more than 256 pieces.
        for (const s of steps) if (s.kind === 'frame' && s.chop != null) expect(s.payload.length / s.chop).toBeLessThan(256);
      }
    }
  });

  it('uses every kind of step it documents', () => {
    const kinds = new Set(sample(scenario({ peerRole: 'server' }), 500).flatMap((g) => all(g.scenario.steps).map((s) => s.kind)));
    expect([...kinds].sort()).toEqual(['close', 'close-raw', 'continue-later', 'frame', 'kill-after', 'message', 'stream']);
  });

  it('never corrupts, or always does, as asked', () => {
    expect(sample(scenario({ peerRole: 'client', corruption: 'never' }), 200).every((g) => g.label.corruption === null)).toBe(true);
    expect(sample(scenario({ peerRole: 'client', corruption: 'always' }), 200).every((g) => g.label.corruption !== null)).toBe(true);
  });
});
