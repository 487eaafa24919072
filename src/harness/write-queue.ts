/**
 * The tester's write scheduling, as the Autobahn testsuite does it
 * (semantics.md §5.2): a FIFO of pieces drained one per event-loop turn.
 * A chopped frame goes in as pieces of `chop` octets, a sync frame as one
 * piece; other writes go out at once unless the queue is busy, so order is
 * always kept. Pieces still queued when the connection closes are dropped,
 * which is why a peer that fails mid-stream never sees the rest.
 *
 * Scheduled pieces are at least `minIntervalMs` apart (Autobahn's engine
 * leaves 10 µs plus a reactor turn, which in practice is a few hundred
 * microseconds), so a peer that answers quickly is heard between pieces, as
 * it would be with the original.
 */

/** Minimum time between two scheduled pieces. */
export const DEFAULT_PIECE_INTERVAL_MS = 0.15;

export interface WriteSink {
  /** Write one piece to TCP; `sync` marks a scheduled write. */
  write(piece: Uint8Array, sync: boolean): void;
  /** False once the connection is closed: queued pieces are discarded. */
  isOpen(): boolean;
}

export class WriteQueue {
  private readonly queue: Uint8Array[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  private lastWrite = -Infinity;
  /** Milliseconds spent draining before the current drain began, and when it began. */
  private busyBefore = 0;
  private busySince: number | null = null;

  constructor(
    private readonly sink: WriteSink,
    private readonly minIntervalMs = DEFAULT_PIECE_INTERVAL_MS,
    private readonly nextTurn: (fn: () => void) => void = setImmediate,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queue `data`: in `chop`-octet pieces, as one scheduled piece (`sync`), or immediately. */
  send(data: Uint8Array, chop: number | null, sync: boolean): void {
    if (chop !== null && chop > 0) {
      for (let at = 0; at < data.length; at += chop) this.queue.push(data.subarray(at, Math.min(at + chop, data.length)));
      if (data.length === 0) this.queue.push(data);
      this.kick();
    } else if (sync || this.queue.length > 0 || this.draining) {
      this.queue.push(data);
      this.kick();
    } else {
      this.sink.write(data, false);
    }
  }

  /** Nothing waiting. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.draining;
  }

  /** Resolve once every queued piece was written or dropped. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Milliseconds so far in which scheduled pieces were waiting to be written.
   * A peer cannot answer what has not left yet: timers that wait for its
   * answer leave this time out (a frame chopped into hundreds of pieces takes
   * hundreds of event-loop turns, which on a busy machine add up to seconds).
   */
  busyMs(): number {
    return this.busyBefore + (this.busySince === null ? 0 : this.now() - this.busySince);
  }

  /** Drop everything still queued. */
  clear(): void {
    this.queue.length = 0;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    this.busySince = this.now();
    // The first piece goes out in this turn, the rest one per turn.
    this.drainOne();
  }

  private drainOne(): void {
    const wait = this.minIntervalMs - (this.now() - this.lastWrite);
    if (this.queue.length > 0 && this.sink.isOpen() && wait > 0) {
      // Not yet: let the event loop read what the peer sent meanwhile (a timer for long waits,
      // the next turn for short ones, which timers cannot resolve).
      if (wait > 2) setTimeout(() => this.drainOne(), wait);
      else this.nextTurn(() => this.drainOne());
      return;
    }
    const piece = this.queue.shift();
    if (piece === undefined || !this.sink.isOpen()) {
      this.queue.length = 0;
      this.draining = false;
      if (this.busySince !== null) this.busyBefore += this.now() - this.busySince;
      this.busySince = null;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.sink.write(piece, true);
    this.lastWrite = this.now();
    this.nextTurn(() => this.drainOne());
  }
}
