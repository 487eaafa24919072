/**
 * Differential judging: the same received octets through the reference
 * decoder and through another implementation, and a verdict on whether they
 * disagree in a way the RFC does not allow.
 *
 * What is compared: accept or reject (and where), the close code of a
 * rejection, and everything delivered — messages (type and octets), pings,
 * pongs, the Close frame's code and reason. What is *not* a disagreement,
 * each argued in docs/fuzzing.md:
 *
 * - **timing within a frame**: when the input ends inside a frame, one side
 *   may already have rejected it (ws checks lengths before the masking key
 *   arrives, wscheck after) while the other waits for more octets;
 * - **order of checks within a frame**: a frame with several violations may
 *   be rejected for any of them, so any close code of a violation the frame
 *   really has is acceptable (a frame whose 64-bit length has its most
 *   significant bit set is also over every limit: 1002 and 1009 both fit);
 * - **violations a receiver may ignore**: RFC 6455 §5.2 binds *senders* to
 *   the minimal length encoding; a receiver may reject a non-minimal one or
 *   not;
 * - **known divergences** of a given implementation, listed with the RFC
 *   section they concern (`KnownDivergence`).
 *
 * Everything else throws a FuzzFinding naming the frame and both sides.
 */
import { type DecoderOptions, decode, initialDecoderState } from '../../src/codec/decoder.js';
import type { ViolationKind } from '../../src/codec/violation.js';
import { type Walk, type WalkedFrame, CODE, walkStream } from './frames.js';
import { FuzzFinding, equalBytes, hex } from './input.js';

/** Something an implementation delivered to its application. */
export type Observation =
  | { readonly kind: 'message'; readonly binary: boolean; readonly payload: Uint8Array }
  | { readonly kind: 'ping' | 'pong'; readonly payload: Uint8Array };

/** How a run over the whole input ended. */
export type Outcome =
  | { readonly kind: 'failed'; readonly code: number; readonly detail: string }
  /** A Close frame was received (and processing stopped). `code` null: no status code. */
  | { readonly kind: 'closed'; readonly code: number | null; readonly reason: Uint8Array }
  | { readonly kind: 'open' };

export interface PeerRun {
  readonly observations: readonly Observation[];
  readonly outcome: Outcome;
}

/** Another implementation, run on some reads of a stream. */
export interface Peer {
  readonly name: string;
  run(chunks: readonly Uint8Array[]): PeerRun;
  /**
   * Close codes this implementation uses for a violation instead of RFC 6455
   * §7.4.1's, each a known divergence (`id`) argued in docs/fuzzing.md.
   */
  readonly codeFor?: Partial<Record<ViolationKind, { readonly code: number; readonly id: string }>>;
}

/**
 * Ids of the disagreements the RFC allows (docs/fuzzing.md), counted like
 * known divergences so that every run says how often it saw them.
 */
export const ALLOWED = {
  /** The input ends inside the frame where one side stopped; the other has not seen all of it. */
  pending: 'timing-within-frame',
  /** Both reject the same frame, for different violations it has. */
  checkOrder: 'check-order-within-frame',
  /** One side rejects a non-minimal length encoding (§5.2 binds senders), the other accepts it. */
  minimalLength: 'minimal-length-checked',
} as const;

/** The situation a known divergence is recognised in. */
export interface Disagreement {
  readonly walk: Walk;
  /** The frame where the sides part (index into walk.frames). */
  readonly frame: WalkedFrame;
  readonly ours: PeerRun;
  readonly theirs: PeerRun;
  /** The limit both sides were configured with. */
  readonly limit: number;
  readonly role: 'server' | 'client';
}

export interface KnownDivergence {
  /** Stable id, used in docs/fuzzing.md's table. */
  readonly id: string;
  /** Does this disagreement match it? */
  matches(d: Disagreement): boolean;
}

/** Known divergences seen in this process, by id (printed when a fuzzing run ends). */
export const knownSeen = new Map<string, number>();

function observationText(o: Observation | undefined): string {
  if (o === undefined) return '(nothing)';
  return o.kind === 'message' ? `${o.binary ? 'binary' : 'text'} message ${hex(o.payload)}` : `${o.kind} ${hex(o.payload)}`;
}

function outcomeText(o: Outcome): string {
  if (o.kind === 'failed') return `failed with ${o.code} (${o.detail})`;
  if (o.kind === 'closed') return `received Close ${o.code ?? '(no code)'} ${hex(o.reason)}`;
  return 'still open';
}

function sameObservation(a: Observation, b: Observation): boolean {
  if (a.kind !== b.kind || !equalBytes(a.payload, b.payload)) return false;
  return a.kind !== 'message' || (b.kind === 'message' && a.binary === b.binary);
}

/**
 * The reference decoder as a peer: delivers what decode() reports until the
 * first violation or Close frame. It reads its own copy of every chunk (a
 * plain Uint8Array): how it treats the caller's buffers is the `decoder`
 * target's business, and the other implementation must see the same octets.
 */
export function referenceRun(chunks: readonly Uint8Array[], options: DecoderOptions): PeerRun {
  let state = initialDecoderState();
  const observations: Observation[] = [];
  for (const chunk of chunks) {
    const r = decode(state, new Uint8Array(chunk), options);
    state = r.state;
    for (const e of r.events) {
      switch (e.type) {
        case 'message':
          observations.push({ kind: 'message', binary: e.opcode === 2, payload: e.payload });
          break;
        case 'ping':
        case 'pong':
          observations.push({ kind: e.type, payload: e.payload });
          break;
        case 'close':
          return { observations, outcome: { kind: 'closed', code: e.code, reason: e.reason } };
        case 'violation':
          return { observations, outcome: { kind: 'failed', code: e.violation.code, detail: `${e.violation.kind} @${e.violation.offset}: ${e.violation.reason}` } };
        case 'frame':
          break;
      }
    }
  }
  return { observations, outcome: { kind: 'open' } };
}

/** Index of the frame at which a run that ended (failed or closed) stopped, by feeding growing prefixes of whole frames. */
function stopFrame(stream: Uint8Array, walk: Walk, run: (prefix: Uint8Array) => PeerRun): number {
  for (let i = 0; i < walk.frames.length; i++) {
    const end = Math.min(walk.frames[i]!.end, stream.length);
    if (run(stream.subarray(0, end)).outcome.kind !== 'open') return i;
  }
  return walk.frames.length;
}

/** The frame a reference run stopped at (it agrees with the walk: the decoder target checks that). */
function ourStopFrame(walk: Walk, ours: PeerRun): number {
  if (ours.outcome.kind === 'failed') return walk.failedFrame >= 0 ? walk.failedFrame : walk.frames.length;
  if (ours.outcome.kind === 'closed') {
    const close = walk.deliveries.find((d) => d.type === 'close');
    return close === undefined ? walk.frames.length : close.frame;
  }
  return Infinity;
}

export interface DifferentialInput {
  readonly stream: Uint8Array;
  readonly chunks: readonly Uint8Array[];
  /** Options of the reference decoder, matching the peer's configuration. */
  readonly options: DecoderOptions;
  readonly ours: PeerRun;
  readonly peer: Peer;
  readonly known: readonly KnownDivergence[];
  /** Normalise our observations and outcome into what this peer reports (e.g. text as decoded strings). */
  readonly normalise?: (run: PeerRun) => PeerRun;
}

/**
 * Compare the reference decoder's run with the peer's on the same reads;
 * throw a FuzzFinding on a disagreement that is neither allowed nor known.
 * Returns the id of the known divergence it matched, or null.
 */
export function judge(input: DifferentialInput): string | null {
  const { stream, options, peer } = input;
  const theirs = peer.run(input.chunks);
  const ours = input.normalise ? input.normalise(input.ours) : input.ours;
  if (agree(ours, theirs)) return null;

  const walk = walkStream(stream, options);
  const endOurs = ourStopFrame(walk, ours);
  const endTheirs =
    theirs.outcome.kind === 'open' ? Infinity : stopFrame(stream, walk, (prefix) => peer.run(reChop(prefix, input.chunks)));
  const m = Math.min(endOurs, endTheirs);
  const frame = m < walk.frames.length ? walk.frames[m]! : null;
  const limit = options.maxFramePayload ?? 0;
  const role = options.role;
  const finding = (what: string): FuzzFinding =>
    new FuzzFinding(
      `${peer.name}-divergence`,
      `${what}; wscheck: ${outcomeText(ours.outcome)} after ${ours.observations.length} deliveries; ${peer.name}: ${outcomeText(theirs.outcome)} after ${theirs.observations.length} deliveries` +
        (frame !== null ? `; frame ${m} @${frame.start}: fin=${frame.fin ? 1 : 0} rsv=${frame.rsv} opcode=${frame.opcode} masked=${frame.masked} length=${frame.length} violations=[${frame.violations.map((v) => v.kind).join(',')}]` : ''),
    );

  // Deliveries of the frames both processed must be the same.
  const before = walk.deliveries.filter((d) => d.frame < m && d.type !== 'close').length;
  // The frame a known divergence is recognised on: where they part, else the last one.
  const d: Disagreement = { walk, frame: frame ?? walk.frames[walk.frames.length - 1]!, ours, theirs, limit, role };
  for (let k = 0; k < before; k++) {
    const a = ours.observations[k];
    const b = theirs.observations[k];
    if (a === undefined || b === undefined || !sameObservation(a, b)) {
      const known = matchKnown(input.known, d);
      if (known !== null) return known;
      throw finding(`delivery ${k} differs: wscheck ${observationText(a)}, ${peer.name} ${observationText(b)}`);
    }
  }
  if (frame === null) {
    // Neither stopped; one delivered more than the other.
    const known = matchKnown(input.known, d);
    if (known !== null) return known;
    throw finding(`delivery ${before} differs: wscheck ${observationText(ours.observations[before])}, ${peer.name} ${observationText(theirs.observations[before])}`);
  }
  // The input ends inside the frame where one side stopped: the other has not seen all of it yet.
  if (!frame.complete && (endOurs === Infinity || endTheirs === Infinity)) return allowed(ALLOWED.pending);

  const extraOurs = ours.observations.length - before;
  const extraTheirs = theirs.observations.length - before;
  // They reject this frame, we do not: fine if all they object to is a length encoding §5.2 lets receivers accept.
  const oursAccepts = endOurs > m || ours.outcome.kind === 'closed';
  if (oursAccepts && endTheirs === m && theirs.outcome.kind === 'failed' && theirs.outcome.code === CODE['non-minimal-length'] && nonMinimal(frame) && !options.rejectNonMinimalLength) {
    if (frame.violations.length === 0) return allowed(ALLOWED.minimalLength);
  }
  if (endOurs === m && endTheirs === m && extraOurs === 0 && extraTheirs === 0) {
    // Both stopped at this frame: the same ending, or a rejection for another violation this frame really has.
    const ending = sameEnding(ours.outcome, theirs.outcome, frame, peer, options);
    if (ending !== null) return ending === true ? null : allowed(ending);
  }
  const known = matchKnown(input.known, d);
  if (known !== null) return known;
  if (endOurs === m && endTheirs === m) throw finding(`both stop at frame ${m} but end differently`);
  if (endOurs === m) {
    throw finding(`${peer.name} accepts frame ${m}, which wscheck ${ours.outcome.kind === 'failed' ? 'rejects' : 'takes as the Close frame'}`);
  }
  throw finding(`${peer.name} ${theirs.outcome.kind === 'failed' ? 'rejects' : 'stops at'} frame ${m}, which wscheck accepts`);
}

function allowed(id: string): string {
  knownSeen.set(id, (knownSeen.get(id) ?? 0) + 1);
  return id;
}

/** Same observations and same ending. */
function agree(a: PeerRun, b: PeerRun): boolean {
  if (a.observations.length !== b.observations.length) return false;
  for (let k = 0; k < a.observations.length; k++) if (!sameObservation(a.observations[k]!, b.observations[k]!)) return false;
  const x = a.outcome;
  const y = b.outcome;
  if (x.kind !== y.kind) return false;
  if (x.kind === 'failed' && y.kind === 'failed') return x.code === y.code;
  if (x.kind === 'closed' && y.kind === 'closed') return x.code === y.code && equalBytes(x.reason, y.reason);
  return true;
}

/** Does the frame use a non-minimal length encoding (RFC 6455 §5.2: "the minimal number of bytes MUST be used")? */
function nonMinimal(frame: WalkedFrame): boolean {
  const n = frame.length;
  return n !== null && ((frame.len7 === 126 && n <= 125) || (frame.len7 === 127 && n <= 0xffff));
}

/**
 * true: the same ending; an id: an allowed or known difference; null: not
 * the same. Two rejections of one frame agree when the peer's code belongs
 * to a violation the frame has (the RFC orders no checks).
 */
function sameEnding(a: Outcome, b: Outcome, frame: WalkedFrame, peer: Peer, options: DecoderOptions): true | string | null {
  if (a.kind === 'closed' && b.kind === 'closed') return a.code === b.code && equalBytes(a.reason, b.reason) ? true : null;
  if (a.kind === 'failed' && b.kind === 'failed') {
    if (a.code === b.code) return true;
    if (frame.violations.some((v) => v.code === b.code)) return ALLOWED.checkOrder;
    // A non-minimal length is a violation too, for a receiver that checks it.
    if (!options.rejectNonMinimalLength && nonMinimal(frame) && b.code === CODE['non-minimal-length']) return ALLOWED.checkOrder;
    const alias = frame.violations.map((v) => peer.codeFor?.[v.kind]).find((c) => c !== undefined && c.code === b.code);
    if (alias !== undefined && !isStrict()) return alias.id;
  }
  return null;
}

function matchKnown(known: readonly KnownDivergence[], d: Disagreement): string | null {
  if (isStrict()) return null;
  for (const k of known) {
    if (k.matches(d)) {
      knownSeen.set(k.id, (knownSeen.get(k.id) ?? 0) + 1);
      return k.id;
    }
  }
  return null;
}

/** WSCHECK_FUZZ_STRICT=1 reports known divergences as findings too (to see them found). */
function isStrict(): boolean {
  return typeof process !== 'undefined' && process.env.WSCHECK_FUZZ_STRICT === '1';
}

/** The same cut points, applied to a prefix of the stream. */
function reChop(prefix: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of chunks) {
    if (at >= prefix.length) break;
    out.push(prefix.subarray(at, Math.min(at + c.length, prefix.length)));
    at += c.length;
  }
  return out.length > 0 ? out : [prefix];
}

let reporting = false;

/** Under Jazzer.js, say at exit which known divergences were seen (never silently ignored). */
export function reportKnownAtExit(target: string): void {
  if (reporting || typeof process === 'undefined' || !('Fuzzer' in globalThis)) return;
  reporting = true;
  process.on('exit', () => {
    if (knownSeen.size === 0) return;
    const list = [...knownSeen].map(([id, n]) => `${id} ×${n}`).join(', ');
    process.stderr.write(`${target}: allowed and known divergences seen (docs/fuzzing.md): ${list}\n`);
  });
}

