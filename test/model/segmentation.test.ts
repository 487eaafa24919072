/**
 * The chop patterns of a chopped replay cut where they say: inside frame
 * headers, extended lengths and masking keys, at every octet, at seeded
 * random points, or nowhere; the pieces always put back together the stream
 * the plain run writes; and the piece budget bounds a connection.
 */
import { concatBytes } from '../../src/codec/bytes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/codec/encode.js';
import { cutStream } from '../../src/model/driver.js';
import {
  ALL_SEGMENTATIONS,
  FRAME_WINDOW,
  PIECE_BUDGET,
  type Segmentation,
  type TurnWrite,
  initialSegmenterState,
  parseSegmentation,
  segmentTurn,
  segmentationName,
  segmenterActive,
} from '../../src/model/segmentation.js';

const SEED = 0x6455;

/** Where the parts of one encoded frame sit in the turn's stream. */
interface Layout {
  readonly start: number;
  readonly end: number;
  /** Extended length: [start + 2, start + 2 + extended). */
  readonly extended: 0 | 2 | 8;
  /** Masking key: [key, key + 4), or null. */
  readonly key: number | null;
}

const frameArb = fc.record({
  opcode: fc.constantFrom(0, 1, 2, 8, 9, 10, 3),
  // Around every length-encoding boundary (§5.2), and small ones.
  length: fc.oneof(fc.integer({ min: 0, max: 140 }), fc.constantFrom(125, 126, 127, 300, 65535, 65536, 70000)),
  masked: fc.boolean(),
  key: fc.integer({ min: 0, max: 0xffffffff }),
});

type FrameArb = { opcode: number; length: number; masked: boolean; key: number };

function turnOf(frames: readonly FrameArb[]): { writes: TurnWrite[]; layouts: Layout[]; stream: Uint8Array } {
  const writes: TurnWrite[] = [];
  const layouts: Layout[] = [];
  let at = 0;
  for (const f of frames) {
    const data = encodeFrame({ opcode: f.opcode, payload: new Uint8Array(f.length).fill(0x61), maskKey: f.masked ? f.key : null });
    const extended = f.length <= 125 ? 0 : f.length <= 0xffff ? 2 : 8;
    layouts.push({ start: at, end: at + data.length, extended, key: f.masked ? at + 2 + extended : null });
    writes.push({ data, frame: true });
    at += data.length;
  }
  const stream = new Uint8Array(at);
  let p = 0;
  for (const w of writes) {
    stream.set(w.data, p);
    p += w.data.length;
  }
  return { writes, layouts, stream };
}

function cutsOf(s: Segmentation, writes: readonly TurnWrite[]): number[] {
  return segmentTurn(s, initialSegmenterState(s), writes).cuts;
}

const inside = (p: number, total: number) => p > 0 && p < total;

describe('chop patterns', () => {
  it('cut strictly inside the stream, ascending, and the pieces put back together the plain stream', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(...ALL_SEGMENTATIONS), (frames, s) => {
        const { writes, stream } = turnOf(frames);
        const cuts = cutsOf(s, writes);
        for (let k = 0; k < cuts.length; k++) {
          expect(inside(cuts[k]!, stream.length)).toBe(true);
          if (k > 0) expect(cuts[k]!).toBeGreaterThan(cuts[k - 1]!);
        }
        const pieces = cutStream(stream, cuts);
        expect(pieces.length).toBe(cuts.length + 1);
        expect(Buffer.from(concatBytes(pieces)).equals(stream)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('header: after the first octet, inside the extended length and inside the masking key of every frame, nowhere else', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), (frames) => {
        const { writes, layouts, stream } = turnOf(frames);
        const expected: number[] = [];
        for (const f of layouts) {
          expected.push(f.start + 1);
          if (f.extended > 0) expected.push(f.start + 2 + f.extended / 2);
          if (f.key !== null) expected.push(f.key + 2);
        }
        const cuts = cutsOf({ kind: 'header' }, writes);
        expect(cuts).toEqual(expected.filter((p) => inside(p, stream.length)));
        for (const f of layouts) {
          if (f.extended > 0) expect(cuts.some((c) => c > f.start + 2 && c < f.start + 2 + f.extended)).toBe(true);
          if (f.key !== null) expect(cuts.some((c) => c > f.key! && c < f.key! + 4)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('header: a piece can end one frame and start the next (frame boundaries are no cuts of their own)', () => {
    const { writes, layouts } = turnOf([
      { opcode: 1, length: 5, masked: true, key: 1 },
      { opcode: 2, length: 5, masked: true, key: 2 },
    ]);
    const cuts = cutsOf({ kind: 'header' }, writes);
    expect(cuts).not.toContain(layouts[1]!.start);
    // The piece after the first key's cut holds the key's end, the payload and the next frame's first octet.
    expect(cuts).toEqual([1, 4, layouts[1]!.start + 1, layouts[1]!.start + 4]);
  });

  it('mask: between the four octets of every masking key, and nothing in unmasked frames', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), (frames) => {
        const { writes, layouts } = turnOf(frames);
        const expected = layouts.flatMap((f) => (f.key === null ? [] : [f.key + 1, f.key + 2, f.key + 3]));
        expect(cutsOf({ kind: 'mask' }, writes)).toEqual(expected);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('1: every octet of the first FRAME_WINDOW of each frame its own piece, the rest of a longer frame one piece', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 4 }), (frames) => {
        const { writes, layouts, stream } = turnOf(frames);
        const expected = layouts.flatMap((f) => Array.from({ length: Math.min(FRAME_WINDOW, f.end - 1 - f.start) + 1 }, (_, k) => f.start + k));
        const cuts = cutsOf({ kind: 'octets' }, writes);
        expect(cuts).toEqual(expected.filter((p) => inside(p, stream.length)));
        const pieces = cutStream(stream, cuts);
        for (const f of layouts) {
          const last = pieces.findIndex((_, k) => cuts[k - 1] === Math.min(f.start + FRAME_WINDOW, f.end - 1));
          if (f.end - f.start > FRAME_WINDOW + 1) expect(pieces[last]!.length).toBe(f.end - f.start - FRAME_WINDOW);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('coalesce: everything of a turn in one piece', () => {
    const { writes } = turnOf([
      { opcode: 1, length: 5, masked: true, key: 1 },
      { opcode: 9, length: 0, masked: true, key: 2 },
      { opcode: 2, length: 300, masked: true, key: 3 },
    ]);
    expect(cutsOf({ kind: 'coalesce' }, writes)).toEqual([]);
  });

  it('random: reproducible from its seed, different for another seed, only where 1 would cut', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 2, maxLength: 6 }), fc.integer({ min: 0, max: 0xffffffff }), (frames, seed) => {
        const { writes } = turnOf(frames);
        const a = cutsOf({ kind: 'random', seed }, writes);
        expect(cutsOf({ kind: 'random', seed }, writes)).toEqual(a);
        const every = new Set(cutsOf({ kind: 'octets' }, writes));
        for (const c of a) expect(every.has(c)).toBe(true);
      }),
      { seed: SEED, numRuns: 100 },
    );
    const { writes } = turnOf([{ opcode: 2, length: 120, masked: true, key: 7 }]);
    expect(cutsOf({ kind: 'random', seed: 1 }, writes)).not.toEqual(cutsOf({ kind: 'random', seed: 2 }, writes));
    // About a third of the 126 boundaries.
    expect(cutsOf({ kind: 'random', seed: 1 }, writes).length).toBeGreaterThan(20);
    expect(cutsOf({ kind: 'random', seed: 1 }, writes).length).toBeLessThan(70);
  });

  it('header cuts the header of a frame begun alone, and nothing in the payload written after it', () => {
    const header = encodeFrame({ opcode: 1, fin: false, maskKey: 5, declaredLength: 21 });
    const payload = new Uint8Array(21);
    expect(cutsOf({ kind: 'header' }, [{ data: header, frame: true }, { data: payload, frame: false }])).toEqual([1, 4]);
    expect(cutsOf({ kind: 'header' }, [{ data: payload, frame: false }])).toEqual([]);
    expect(cutsOf({ kind: 'octets' }, [{ data: payload.subarray(0, 4), frame: false }])).toEqual([1, 2, 3]);
  });
});

describe('the piece budget', () => {
  const small = turnOf(Array.from({ length: 400 }, (_, k) => ({ opcode: 1, length: 3, masked: true, key: k }))).writes;

  it(`stops a connection at ${PIECE_BUDGET} pieces: the rest of the turn is one piece, later turns are plain`, () => {
    const s: Segmentation = { kind: 'octets' };
    const r = segmentTurn(s, initialSegmenterState(s), small);
    expect(r.cuts.length).toBe(PIECE_BUDGET - 1);
    expect(r.state.pieces).toBe(PIECE_BUDGET);
    expect(segmenterActive(r.state)).toBe(false);
  });

  it('counts pieces over the turns of a connection', () => {
    const s: Segmentation = { kind: 'header' };
    const first = segmentTurn(s, { pieces: PIECE_BUDGET - 10, rng: 0 }, small);
    expect(first.cuts.length).toBe(9);
    expect(first.state.pieces).toBe(PIECE_BUDGET);
    const early = segmentTurn(s, initialSegmenterState(s), small.slice(0, 2));
    expect(early.state.pieces).toBe(early.cuts.length + 1);
    expect(segmenterActive(early.state)).toBe(true);
  });
});

describe('pattern names', () => {
  it('parse back from the names reports and replay commands use', () => {
    for (const s of ALL_SEGMENTATIONS) expect(parseSegmentation(segmentationName(s))).toEqual(s);
    expect(parseSegmentation('random:4294967295')).toEqual({ kind: 'random', seed: 4294967295 });
  });

  it('refuse what is not a pattern', () => {
    for (const name of ['', '2', 'random', 'random:', 'random:x', 'random:-1', 'random:4294967296', 'Header', 'all']) expect(parseSegmentation(name)).toBeNull();
  });
});
