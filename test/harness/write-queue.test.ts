import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../src/harness/write-queue.js';

/** A queue driven by hand: turns run only when the test says so. */
function harness() {
  const writes: { piece: number[]; sync: boolean }[] = [];
  let open = true;
  const turns: (() => void)[] = [];
  const queue = new WriteQueue(
    { write: (piece, sync) => writes.push({ piece: [...piece], sync }), isOpen: () => open },
    0,
    (fn) => turns.push(fn),
    () => 0,
  );
  const turn = () => turns.shift()?.();
  return { queue, writes, turn, close: () => (open = false), pending: () => turns.length };
}

describe('write queue (Autobahn scheduling)', () => {
  it('writes a chopped frame one piece per turn, the first at once', () => {
    const h = harness();
    h.queue.send(Uint8Array.from([1, 2, 3, 4, 5]), 2, false);
    expect(h.writes).toEqual([{ piece: [1, 2], sync: true }]);
    h.turn();
    h.turn();
    expect(h.writes.map((w) => w.piece)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('keeps order: an unchopped write waits behind queued pieces', () => {
    const h = harness();
    h.queue.send(Uint8Array.from([1, 2]), 1, false);
    h.queue.send(Uint8Array.from([9]), null, false);
    while (h.pending() > 0) h.turn();
    expect(h.writes.map((w) => w.piece)).toEqual([[1], [2], [9]]);
  });

  it('writes an unchopped frame at once when idle, not as a scheduled write', () => {
    const h = harness();
    h.queue.send(Uint8Array.from([7, 7]), null, false);
    expect(h.writes).toEqual([{ piece: [7, 7], sync: false }]);
  });

  it('drops the pieces still queued once the connection is closed', () => {
    const h = harness();
    h.queue.send(Uint8Array.from([1, 2, 3, 4]), 1, false);
    h.turn();
    h.close();
    while (h.pending() > 0) h.turn();
    expect(h.writes.map((w) => w.piece)).toEqual([[1], [2]]);
    expect(h.queue.idle).toBe(true);
  });
});
