/**
 * A chopped replay's writes: what the tester writes in one event-loop turn is
 * held until the turn ends, cut by the scenario's segmentation
 * (src/model/segmentation.ts, the function the oracle's simulation applies
 * too) and handed to the write queue piece by piece, each piece its own
 * scheduled TCP write.
 */
import { cutStream } from '../model/driver.js';
import { type SegmenterState, type Segmentation, type TurnWrite, initialSegmenterState, segmentTurn, segmenterActive } from '../model/segmentation.js';

export class TurnSegmenter {
  private state: SegmenterState;
  private turn: TurnWrite[] = [];

  constructor(
    private readonly segmentation: Segmentation,
    /** Write one piece (a scheduled write of its own). */
    private readonly send: (piece: Uint8Array) => void,
    private readonly endOfTurn: (fn: () => void) => void = process.nextTick,
  ) {
    this.state = initialSegmenterState(segmentation);
  }

  /** False once the connection's piece budget is spent: write as the plain run does. */
  get active(): boolean {
    return segmenterActive(this.state);
  }

  /** Hold a write of this turn; `frame`: it begins with a frame header. */
  add(data: Uint8Array, frame: boolean): void {
    this.turn.push({ data, frame });
    if (this.turn.length === 1) this.endOfTurn(() => this.flush());
  }

  /** Cut and send what this turn wrote so far (at the end of the turn, or before the tester closes TCP). */
  flush(): void {
    if (this.turn.length === 0) return;
    const writes = this.turn;
    this.turn = [];
    const r = segmentTurn(this.segmentation, this.state, writes);
    this.state = r.state;
    const all = writes.length === 1 ? writes[0]!.data : Buffer.concat(writes.map((w) => w.data));
    for (const piece of cutStream(all, r.cuts)) this.send(piece);
  }
}
