import { describe, expect, it } from 'vitest';
import { fairTimeout } from '../../src/harness/fair-timer.js';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a stall: nothing else can run
  }
}

describe('fair timer', () => {
  it('does not count a stall of the event loop as waiting time', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      fairTimeout(() => {
        order.push('fair');
        resolve();
      }, 60);
    });
    setTimeout(() => order.push('plain'), 60);
    // Let the heartbeat start, then stall for much longer than the timeout.
    await new Promise((r) => setTimeout(r, 15));
    block(200);
    await done;
    // The plain timer fired as soon as the stall ended; the fair one waited for its 60 ms of usable time.
    expect(order).toEqual(['plain', 'fair']);
  });

  it('fires after its time when nothing stalls, and not at all once cancelled', async () => {
    let fired = 0;
    const t = fairTimeout(() => fired++, 20);
    const kept = new Promise<void>((resolve) => fairTimeout(resolve, 30));
    t.cancel();
    await kept;
    expect(fired).toBe(0);
  });
});
