/**
 * Timers that count only time in which this process could have heard the
 * peer. When the event loop is stalled (a big message being decoded, the
 * garbage collector, an in-process peer doing its share), wall time passes
 * but no reply can be read; a one-second closing timeout that expires during
 * such a stall would blame the peer for the tester's own load. A heartbeat
 * measures stalls; a fair timer that comes due re-arms itself for the stalled
 * time it lost, then fires after reading whatever has already arrived.
 */

const HEARTBEAT_MS = 10;
/** Lateness of a heartbeat below this is ordinary scheduling noise, not a stall. */
const TOLERANCE_MS = 5;

let stalledMs = 0;
let last = 0;
let users = 0;
let heartbeat: NodeJS.Timeout | null = null;

function beat(): void {
  const now = performance.now();
  const late = now - last - HEARTBEAT_MS;
  if (late > TOLERANCE_MS) stalledMs += late;
  last = now;
}

function acquire(): void {
  if (users++ === 0) {
    last = performance.now();
    heartbeat = setInterval(beat, HEARTBEAT_MS);
    heartbeat.unref();
  }
}

function release(): void {
  if (--users === 0 && heartbeat !== null) {
    clearInterval(heartbeat);
    heartbeat = null;
  }
}

export interface FairTimer {
  cancel(): void;
}

/**
 * Call `fn` once `ms` of unstalled time has passed (and pending input was read).
 * `excluded`, when given, is a running total of milliseconds that must not
 * count either (time in which the tester was still writing what the peer is
 * to answer, see WriteQueue.busyMs).
 */
export function fairTimeout(fn: () => void, ms: number, excluded?: () => number): FairTimer {
  acquire();
  let handle: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let done = false;
  const start = performance.now();
  beat();
  const stalledAtStart = stalledMs;
  const excludedAtStart = excluded?.() ?? 0;
  const finish = (): void => {
    if (done) return;
    done = true;
    release();
  };
  const arm = (delay: number): void => {
    handle = setTimeout(() => {
      beat();
      const usable = performance.now() - start - (stalledMs - stalledAtStart) - ((excluded?.() ?? 0) - excludedAtStart);
      if (usable < ms - 1) {
        arm(ms - usable);
        return;
      }
      // Read what already arrived before deciding the peer was too slow.
      immediate = setImmediate(() => {
        finish();
        fn();
      });
    }, delay);
  };
  arm(ms);
  return {
    cancel: () => {
      if (handle !== null) clearTimeout(handle);
      if (immediate !== null) clearImmediate(immediate);
      finish();
    },
  };
}
