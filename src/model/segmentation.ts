/**
 * Segmentation: how a chopped replay cuts the octets the tester writes into
 * TCP writes. A segmentation never changes a frame, only where the byte
 * stream is cut (RFC 6455 §5.2 frames are a byte sequence on a stream; TCP
 * (RFC 9293) may deliver that sequence in any pieces). The simulation and the
 * harness apply the same function, so the oracle sees the writes the peer gets.
 *
 * The unit is a *turn*: every write the tester makes in reply to one event
 * (an open, a read, a timer). Within a turn the pattern alone decides the
 * cuts: the plain run's own pieces (a frame `chop`, a `sync` frame, a stream
 * step's cuts) are replaced. Frame boundaries are no cut points of their own
 * (except for `1`), so a piece may end one frame and begin the next.
 *
 * Bounds, so a chopped replay takes about as long as the plain run: cuts fall
 * only in the first `FRAME_WINDOW` octets of a frame (the rest of a longer
 * frame is one piece), and a connection makes at most `PIECE_BUDGET` pieces;
 * once they are spent, later turns are written exactly as the plain run
 * writes them. Pure: the state is plain data.
 */
import { nextRandom } from './rng.js';

export type Segmentation =
  /** `1`: every octet its own write. */
  | { readonly kind: 'octets' }
  /** `header`: cut every frame header after its first octet, inside its extended length and inside its masking key. */
  | { readonly kind: 'header' }
  /** `mask`: cut between the octets of every masking key. */
  | { readonly kind: 'mask' }
  /** `coalesce`: everything written in one turn in one write. */
  | { readonly kind: 'coalesce' }
  /** `random:SEED`: each octet boundary in the first `FRAME_WINDOW` octets of a frame a cut with probability 1/3, from a seeded generator. */
  | { readonly kind: 'random'; readonly seed: number };

/** Octets from the start of a frame within which the `1` and `random` patterns cut. */
export const FRAME_WINDOW = 128;
/** Pieces one connection writes by the pattern; later turns go out as in the plain run. */
export const PIECE_BUDGET = 1024;

/** Every pattern `--chop all` selects, in report order. */
export const ALL_SEGMENTATIONS: readonly Segmentation[] = [
  { kind: 'octets' },
  { kind: 'header' },
  { kind: 'mask' },
  { kind: 'coalesce' },
  { kind: 'random', seed: 1 },
];

/** The pattern's name on the command line and in agent names: `1`, `header`, `random:7`. */
export function segmentationName(s: Segmentation): string {
  switch (s.kind) {
    case 'octets':
      return '1';
    case 'random':
      return `random:${s.seed}`;
    default:
      return s.kind;
  }
}

/** The pattern of a name, or null when the name is not one. */
export function parseSegmentation(name: string): Segmentation | null {
  if (name === '1') return { kind: 'octets' };
  if (name === 'header' || name === 'mask' || name === 'coalesce') return { kind: name };
  const random = /^random:(\d{1,10})$/.exec(name);
  if (random !== null && Number(random[1]) <= 0xffffffff) return { kind: 'random', seed: Number(random[1]) };
  return null;
}

/** What the pattern does, in words for reports. */
export function describeSegmentation(s: Segmentation): string {
  const window = `in the first ${FRAME_WINDOW} octets of each frame`;
  switch (s.kind) {
    case 'octets':
      return `every octet is its own TCP write (${window}; the rest of a longer frame is one write)`;
    case 'header':
      return 'every frame header is cut after its first octet, inside its extended length and inside its masking key';
    case 'mask':
      return 'every masking key is cut between each of its four octets';
    case 'coalesce':
      return 'everything the tester writes in one turn leaves in one TCP write';
    case 'random':
      return `writes are cut at random points ${window} (seed ${s.seed})`;
  }
}

/** Does the pattern cut anything the tester writes in this role? (Frames a server sends carry no masking key.) */
export function segmentationApplies(s: Segmentation, testerRole: 'client' | 'server'): boolean {
  return s.kind !== 'mask' || testerRole === 'client';
}

/** One write of a turn: the octets, and whether they begin with a frame header (else: payload of a frame begun earlier). */
export interface TurnWrite {
  readonly data: Uint8Array;
  readonly frame: boolean;
}

export interface SegmenterState {
  /** Pieces written by the pattern so far on this connection. */
  readonly pieces: number;
  /** Generator state (`random` only). */
  readonly rng: number;
}

export function initialSegmenterState(s: Segmentation): SegmenterState {
  return { pieces: 0, rng: s.kind === 'random' ? nextRandom(s.seed) : 0 };
}

/** Is the budget not yet spent? Otherwise turns are written as in the plain run. */
export function segmenterActive(state: SegmenterState): boolean {
  return state.pieces < PIECE_BUDGET;
}

/** Where the parts of a frame header sit, from its first two octets (§5.2). */
function headerLayout(data: Uint8Array): { readonly extendedLength: 0 | 2 | 8; readonly masked: boolean } {
  const b1 = data[1] ?? 0;
  const len7 = b1 & 0x7f;
  return { extendedLength: len7 === 126 ? 2 : len7 === 127 ? 8 : 0, masked: (b1 & 0x80) !== 0 };
}

/** Cut points the pattern wants in one write starting at `at` of the turn, ascending; `take()` draws the random ones. */
function* cutsOfWrite(s: Segmentation, w: TurnWrite, at: number, take: () => boolean): Generator<number> {
  const end = at + w.data.length;
  if (s.kind === 'octets' || s.kind === 'random') {
    const last = Math.min(at + FRAME_WINDOW, end - 1);
    for (let p = at; p <= last; p++) if (s.kind === 'octets' || take()) yield p;
    return;
  }
  if (!w.frame || w.data.length < 2) return;
  const { extendedLength, masked } = headerLayout(w.data);
  const key = at + 2 + extendedLength;
  const points: number[] = [];
  if (s.kind === 'header') {
    points.push(at + 1);
    if (extendedLength > 0) points.push(at + 2 + extendedLength / 2);
    if (masked) points.push(key + 2);
  } else if (s.kind === 'mask' && masked) {
    points.push(key + 1, key + 2, key + 3);
  }
  for (const p of points) if (p < end) yield p;
}

/**
 * The cut points of one turn (offsets into the concatenation of `writes`,
 * ascending, strictly inside it) and the state after it. Call only while
 * `segmenterActive(state)`; when the budget runs out inside the turn, the
 * rest of the turn is one piece.
 */
export function segmentTurn(s: Segmentation, state: SegmenterState, writes: readonly TurnWrite[]): { readonly cuts: number[]; readonly state: SegmenterState } {
  let total = 0;
  for (const w of writes) total += w.data.length;
  const maxCuts = Math.max(0, PIECE_BUDGET - state.pieces - 1);
  const cuts: number[] = [];
  let rng = state.rng;
  const take = (): boolean => {
    rng = nextRandom(rng);
    return rng % 3 === 0;
  };
  if (s.kind !== 'coalesce') {
    let at = 0;
    outer: for (const w of writes) {
      for (const p of cutsOfWrite(s, w, at, take)) {
        if (p <= 0 || p >= total || p <= (cuts[cuts.length - 1] ?? 0)) continue;
        if (cuts.length === maxCuts) break outer;
        cuts.push(p);
      }
      at += w.data.length;
    }
  }
  return { cuts, state: { pieces: state.pieces + cuts.length + 1, rng } };
}
