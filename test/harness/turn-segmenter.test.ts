/**
 * The harness side of a chopped replay: the writes of one turn are held
 * until the turn ends and leave as the pattern's pieces, which together are
 * exactly what the plain run writes; once the budget is spent the segmenter
 * steps aside.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/codec/encode.js';
import { PIECE_BUDGET, segmentTurn, initialSegmenterState } from '../../src/model/segmentation.js';
import { TurnSegmenter } from '../../src/harness/turn-segmenter.js';

function frames(): Uint8Array[] {
  return [
    encodeFrame({ opcode: 1, payload: new TextEncoder().encode('κόσμε'), maskKey: 0x01020304 }),
    encodeFrame({ opcode: 9, payload: new Uint8Array(0), maskKey: 0x05060708 }),
    encodeFrame({ opcode: 2, payload: new Uint8Array(300).fill(7), maskKey: 0x090a0b0c }),
  ];
}

function harness(kind: 'header' | 'coalesce' | 'octets') {
  const sent: Uint8Array[] = [];
  let endOfTurn: (() => void) | null = null;
  const segmenter = new TurnSegmenter({ kind }, (p) => sent.push(p), (fn) => (endOfTurn = fn));
  return { sent, segmenter, endTurn: () => endOfTurn?.() };
}

describe('TurnSegmenter', () => {
  it('holds a turn until it ends, then sends the pattern’s pieces, which join into the plain stream', () => {
    const h = harness('header');
    const written = frames();
    for (const f of written) h.segmenter.add(f, true);
    expect(h.sent).toEqual([]);
    h.endTurn();
    const expected = segmentTurn({ kind: 'header' }, initialSegmenterState({ kind: 'header' }), written.map((data) => ({ data, frame: true })));
    expect(h.sent.length).toBe(expected.cuts.length + 1);
    expect(Buffer.concat(h.sent)).toEqual(Buffer.concat(written));
  });

  it('coalesce: one piece per turn; the next turn is a piece of its own', () => {
    const h = harness('coalesce');
    const [a, b, c] = frames();
    h.segmenter.add(a!, true);
    h.segmenter.add(b!, true);
    h.endTurn();
    h.segmenter.add(c!, true);
    h.endTurn();
    expect(h.sent.map((p) => p.length)).toEqual([a!.length + b!.length, c!.length]);
  });

  it('flush sends a turn at once (before the tester closes TCP)', () => {
    const h = harness('header');
    h.segmenter.add(frames()[1]!, true);
    h.segmenter.flush();
    expect(Buffer.concat(h.sent)).toEqual(Buffer.from(frames()[1]!));
    h.endTurn();
    expect(Buffer.concat(h.sent).length).toBe(frames()[1]!.length);
  });

  it('steps aside once the connection has written its budget of pieces', () => {
    const h = harness('octets');
    // Two thousand one-octet frames in one turn, each wanting a piece of its own.
    const pings = Array.from({ length: 2000 }, () => encodeFrame({ opcode: 9, payload: new Uint8Array(0), maskKey: null }));
    expect(h.segmenter.active).toBe(true);
    for (const p of pings) h.segmenter.add(p, true);
    h.endTurn();
    expect(h.sent.length).toBe(PIECE_BUDGET);
    expect(h.segmenter.active).toBe(false);
    expect(Buffer.concat(h.sent)).toEqual(Buffer.concat(pings));
  });
});
