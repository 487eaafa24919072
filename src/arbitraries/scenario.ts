import fc from 'fast-check';
import { encodedFrameLength } from '../codec/encode.js';
import { fragmentLengths } from '../codec/fragment.js';
import { MAX_CONTROL_PAYLOAD, minimalLengthEncoding } from '../codec/frame.js';
import { Opcode } from '../codec/opcode.js';
import type { DeflateRequirement, FrameDescription, Scenario, Step } from '../model/scenario.js';
import { type DeclaredLimits, frameLimitOf, hasDeclaredLimits } from '../model/limits.js';
import type { Role } from '../model/types.js';
import { type CutSpec, cutSpec, resolveCuts } from './_internals/cutSpec.js';
import { CUT_TARGETS, isMasked, layoutStream } from './_internals/layout.js';
import { sometimes } from './_internals/sometimes.js';
import { type Corruption, type CorruptionKind, type CorruptionLabel, corruption as corruptionArbitrary } from './corruption.js';
import { frameChop } from './frameChop.js';
import { permessageDeflate } from './permessageDeflate.js';
import { type OpeningChoice, type OpeningField, describeOpeningChoice, openingChoice, openingOf } from './openingVariation.js';
import { DEFAULT_MAX_PAYLOAD_LENGTH } from './payloadLength.js';
import { type InterleavedItem, type InterleavingConstraints, interleaving } from './interleaving.js';
import type { Message } from './message.js';
import type { MessageEncoding } from './messageEncoding.js';

/** Constraints of {@link scenario}. */
export interface ScenarioConstraints {
  /** Role of the implementation under test; the tester takes the other one (and masks as a client when the peer is a server). */
  readonly peerRole: Role;
  /** How often a scenario holds one corruption (default `sometimes`, about one in three). */
  readonly corruption?: 'never' | 'sometimes' | 'always';
  /** Which corruptions (default every kind the peer's role allows). */
  readonly corruptionKinds?: readonly CorruptionKind[];
  /** Messages, control frames and Close (see {@link interleaving}). */
  readonly interleaving?: InterleavingConstraints;
  /** Most write groups with their own write plan (default 4); frames past them are written one frame per step. */
  readonly maxWriteGroups?: number;
  /** Most cuts in one `stream` step (default 6). */
  readonly maxCuts?: number;
  /** Allow `continue-later` pauses between writes (default true). */
  readonly pauses?: boolean;
  /**
   * Lengths of those pauses in seconds (default 0.1, 0.25, 0.5). A pause only
   * has to let the peer act on what it got; on loopback a few milliseconds do.
   */
  readonly pauseSeconds?: readonly number[];
  /** Seconds of the `kill-after` watchdog (default: computed from the size of the scenario and its pauses). */
  readonly watchdogSeconds?: number;
  /**
   * How messages become frame payloads (default the identity). An extension's
   * encoding (permessage-deflate) also keeps its RSV bits out of the
   * `reserved-rsv` corruptions and adds its own corruptions. Nothing
   * negotiates a custom extension: the peer must apply it unasked (for
   * permessage-deflate, which scenarios do negotiate, use `deflate`).
   */
  readonly encoding?: MessageEncoding;
  /**
   * The limits the peer under test declared (`--max-message`, `--max-frame`):
   * the scenarios carry them (the oracle holds the reference peer to them),
   * messages stay within them unless a corruption crosses them on purpose
   * (`message-too-big`, which only then is drawn).
   */
  readonly limits?: DeclaredLimits;
  /**
   * How often the opening handshake differs from the tester's usual one
   * (default `never`): edited request or 101, head in pieces, first frames in
   * the head's write (see {@link openingChoice}).
   */
  readonly opening?: 'never' | 'sometimes' | 'always';
  /** Which fields of the head those variations edit (default every one; see {@link openingFields}). */
  readonly openingFields?: readonly OpeningField[];
  /**
   * Negotiate permessage-deflate (RFC 7692) and compress messages with
   * {@link permessageDeflate} (default false; needs no `encoding`). The
   * scenarios then ask the peer for the extension and the oracle inflates
   * what it gets; a peer that declines it makes them UNIMPLEMENTED.
   */
  readonly deflate?: boolean;
}

/** What a generated scenario contains, for reports and statistics. */
export interface ScenarioLabel {
  /** The one corruption, or null for a valid scenario (a conforming peer fails nothing). */
  readonly corruption: CorruptionLabel | null;
  /** Messages started. */
  readonly messages: number;
  /** Messages sent in more than one frame. */
  readonly fragmentedMessages: number;
  /** Fragment boundaries inside a character. */
  readonly splitCharacters: number;
  /** Pings and Pongs. */
  readonly controlFrames: number;
  /** How the tester's Close goes out: not at all, as a `close` step, or as a raw frame. */
  readonly close: 'none' | 'step' | 'frame';
  /** Items sent after the tester's Close. */
  readonly afterClose: number;
  /** `stream` steps. */
  readonly streams: number;
  /** Cuts over all `stream` steps. */
  readonly cuts: number;
  /** `frame` steps written in pieces. */
  readonly choppedFrames: number;
  /** Data frames whose length is written in a longer encoding than the shortest (RFC 6455 §5.2 binds senders, not receivers). */
  readonly wideLengths: number;
  /** `continue-later` pauses. */
  readonly pauses: number;
  /** What the opening handshake changes, or null for the usual one. */
  readonly opening: string | null;
  /** One line for people. */
  readonly summary: string;
}

/** A generated scenario, the role it is for, and what it contains. */
export interface GeneratedScenario {
  readonly peerRole: Role;
  readonly scenario: Scenario;
  readonly label: ScenarioLabel;
  /**
   * The messages sent whole before the tester's Close (and before any
   * corruption), in order: what a conforming peer delivers (and, under the
   * echo convention, echoes), once the opening handshake upgrades.
   */
  readonly delivered: readonly Message[];
}

/** How a run of consecutive items is written. */
type WriteGroup =
  | { readonly mode: 'frames'; readonly take: number; readonly chop: number | null; readonly sync: boolean; readonly raw: boolean; readonly wide?: boolean }
  | { readonly mode: 'stream'; readonly take: number; readonly cuts: readonly CutSpec[]; readonly wide?: boolean }
  | { readonly mode: 'pause'; readonly seconds: number };

type Item = InterleavedItem | { readonly kind: 'frame'; readonly frame: FrameDescription; readonly part: 'corruption' };

/**
 * Most pieces a chopped frame is written in. Each piece is a TCP write, a
 * read for the peer and an event-loop turn on both sides, so hundreds per
 * frame made a few scenarios cost more than all the others together; cuts
 * at the exact places that matter (header, extended length, masking key,
 * inside a character) are the `stream` steps' job.
 */
const MAX_PIECES = 64;

const DEFAULT_PAUSES = [0.1, 0.25, 0.5] as const;

/** permessage-deflate offered without parameters, and compressed in the model too (see DeflateRequirement). */
const NEGOTIATED_DEFLATE: DeflateRequirement = { accept: 'accept_deflate', modelled: true };

/**
 * Whether a write group writes its data frames' lengths one encoding wider
 * than needed (a 7-bit length in 16 bits, a 16-bit one in 64): one group in
 * eight. A receiver must read the length the 7-bit field announces (§5.2);
 * shrinks towards minimal lengths.
 */
const wideLengths = fc.integer({ min: 0, max: 7 }).map((n) => n === 7);

function writeGroup(maxCuts: number, pauses: boolean, pauseSeconds: readonly number[] = DEFAULT_PAUSES): fc.Arbitrary<WriteGroup> {
  const take = fc.integer({ min: 1, max: 8 });
  const frames = fc.record({ mode: fc.constant('frames' as const), take, chop: frameChop(), sync: fc.boolean(), raw: fc.boolean(), wide: wideLengths });
  const stream = fc.record({ mode: fc.constant('stream' as const), take, cuts: fc.array(cutSpec(CUT_TARGETS), { maxLength: maxCuts }), wide: wideLengths });
  const pause = fc.record({ mode: fc.constant('pause' as const), seconds: fc.constantFrom(...pauseSeconds) });
  return pauses
    ? fc.oneof({ withCrossShrink: true }, { arbitrary: frames, weight: 2 }, { arbitrary: stream, weight: 2 }, { arbitrary: pause, weight: 1 })
    : fc.oneof({ withCrossShrink: true }, frames, stream);
}

/** Indices where no fragmented message is open (a corruption may go there). */
function messageBoundaries(items: readonly Item[], limit: number): number[] {
  const out: number[] = [];
  let open = false;
  for (let i = 0; i <= Math.min(limit, items.length); i++) {
    if (!open) out.push(i);
    const it = items[i];
    if (it !== undefined && it.kind === 'frame' && it.part === 'fragment') {
      const f = it.frame;
      open = !(f.fin ?? true);
    }
  }
  return out;
}

/** The frames an item puts on the wire, for `stream` steps. */
function framesOf(item: Item): FrameDescription[] {
  switch (item.kind) {
    case 'frame':
      return [item.frame];
    case 'close':
      return [{ opcode: Opcode.Close, payload: item.body.payload }];
    case 'message': {
      const { message: m, fragmentSize } = item;
      const lengths = fragmentLengths(m.payload.length, fragmentSize, 'trailing-empty');
      let at = 0;
      return lengths.map((n, k) => {
        const f: FrameDescription = { opcode: k === 0 ? m.opcode : Opcode.Continuation, fin: k === lengths.length - 1, payload: m.payload.subarray(at, at + n) };
        at += n;
        return f;
      });
    }
  }
}

/** A raw Close the tester can send as a `close-raw` step (its endpoint then waits for the reply). */
function closeRawShape(f: FrameDescription): boolean {
  return (
    f.opcode === Opcode.Close &&
    (f.fin ?? true) &&
    (f.rsv ?? 0) === 0 &&
    (f.maskKey === undefined || f.maskKey === 'auto') &&
    f.lengthEncoding === undefined &&
    f.declaredLength === undefined &&
    f.payload.length <= MAX_CONTROL_PAYLOAD
  );
}

function frameStep(f: FrameDescription, chop: number | null, sync: boolean): Step {
  return {
    kind: 'frame',
    opcode: f.opcode,
    payload: f.payload,
    ...(f.fin !== undefined ? { fin: f.fin } : {}),
    ...(f.rsv !== undefined ? { rsv: f.rsv } : {}),
    ...(f.maskKey !== undefined ? { maskKey: f.maskKey } : {}),
    ...(f.lengthEncoding !== undefined ? { lengthEncoding: f.lengthEncoding } : {}),
    ...(f.declaredLength !== undefined ? { declaredLength: f.declaredLength } : {}),
    ...(chop !== null ? { chop } : {}),
    ...(sync ? { sync: true } : {}),
  };
}

/** `f` with its length one encoding wider than the shortest, if it is a data frame written with the shortest. */
function widened(f: FrameDescription): FrameDescription {
  if (f.opcode > Opcode.Binary || f.lengthEncoding !== undefined || f.declaredLength !== undefined) return f;
  const minimal = minimalLengthEncoding(f.payload.length);
  return minimal === 64 ? f : { ...f, lengthEncoding: minimal === 7 ? 16 : 64 };
}

interface Rendered {
  readonly steps: Step[];
  streams: number;
  cuts: number;
  choppedFrames: number;
  wideLengths: number;
  pauses: number;
  pauseSeconds: number;
  close: 'none' | 'step' | 'frame';
}

function render(items: readonly Item[], plan: readonly WriteGroup[], peerRole: Role): Rendered {
  const top: Step[] = [];
  const r: Rendered = { steps: top, streams: 0, cuts: 0, choppedFrames: 0, wideLengths: 0, pauses: 0, pauseSeconds: 0, close: 'none' };
  const widen = (g: WriteGroup, f: FrameDescription): FrameDescription => {
    if (g.mode === 'pause' || g.wide !== true) return f;
    const w = widened(f);
    if (w !== f) r.wideLengths++;
    return w;
  };
  let target = top;
  let at = 0;
  let k = 0;
  const defaultGroup: WriteGroup = { mode: 'frames', take: Number.MAX_SAFE_INTEGER, chop: null, sync: false, raw: false };
  while (at < items.length) {
    const g = plan[k++] ?? defaultGroup;
    if (g.mode === 'pause') {
      // Everything after the pause runs later, unless the connection is closed by then.
      const later: Step[] = [];
      target.push({ kind: 'continue-later', seconds: g.seconds, tag: `pause-${r.pauses + 1}`, steps: later });
      target = later;
      r.pauses++;
      r.pauseSeconds += g.seconds;
      continue;
    }
    const group = items.slice(at, at + g.take);
    at += group.length;
    if (g.mode === 'stream') {
      const frames = group.flatMap(framesOf).map((f) => widen(g, f));
      const cuts = resolveCuts(layoutStream(frames, peerRole), g.cuts);
      target.push({ kind: 'stream', frames, cuts });
      r.streams++;
      r.cuts += cuts.length;
      if (group.some((i) => i.kind === 'close')) r.close = 'frame';
      continue;
    }
    for (const item of group) {
      if (item.kind === 'message') {
        target.push({ kind: 'message', binary: item.message.opcode === Opcode.Binary, payload: item.message.payload, fragmentSize: item.fragmentSize, ...(g.sync ? { sync: true } : {}) });
      } else if (item.kind === 'close' && !g.raw) {
        const { code, reason } = item.body;
        target.push(reason.length > 0 ? { kind: 'close', code, reason } : { kind: 'close', code });
        r.close = 'step';
      } else if (item.kind === 'frame' && item.part === 'corruption' && !g.raw && closeRawShape(item.frame)) {
        target.push({ kind: 'close-raw', payload: item.frame.payload });
      } else {
        const f = widen(g, framesOf(item)[0]!);
        let chop = g.chop;
        if (chop !== null) {
          const length = encodedFrameLength({ ...f, maskKey: isMasked(f, peerRole) ? 0 : null });
          chop = length <= chop ? null : Math.max(chop, Math.ceil(length / MAX_PIECES));
        }
        if (chop !== null) r.choppedFrames++;
        target.push(frameStep(f, chop, g.sync));
        if (item.kind === 'close') r.close = 'frame';
      }
    }
  }
  return r;
}

function octets(items: readonly Item[]): number {
  let n = 0;
  for (const i of items) for (const f of framesOf(i)) n += f.payload.length;
  return n;
}

function summarize(label: Omit<ScenarioLabel, 'summary'>): string {
  const parts: string[] = [];
  parts.push(`${label.messages} message${label.messages === 1 ? '' : 's'}`);
  if (label.fragmentedMessages > 0) parts.push(`${label.fragmentedMessages} fragmented`);
  if (label.splitCharacters > 0) parts.push(`${label.splitCharacters} split character${label.splitCharacters === 1 ? '' : 's'}`);
  if (label.controlFrames > 0) parts.push(`${label.controlFrames} ping/pong`);
  if (label.close !== 'none') parts.push(`close as ${label.close}` + (label.afterClose > 0 ? `, ${label.afterClose} after it` : ''));
  if (label.streams > 0) parts.push(`${label.streams} stream${label.streams === 1 ? '' : 's'} with ${label.cuts} cut${label.cuts === 1 ? '' : 's'}`);
  if (label.choppedFrames > 0) parts.push(`${label.choppedFrames} chopped frame${label.choppedFrames === 1 ? '' : 's'}`);
  if (label.wideLengths > 0) parts.push(`${label.wideLengths} wide length${label.wideLengths === 1 ? '' : 's'}`);
  if (label.pauses > 0) parts.push(`${label.pauses} pause${label.pauses === 1 ? '' : 's'}`);
  if (label.opening !== null) parts.push(label.opening);
  const c = label.corruption;
  return parts.join(', ') + (c === null ? '; valid' : `; corrupt: ${c.kind} (${c.rule}, close ${c.code}): ${c.detail}`);
}

/**
 * A whole scenario for a peer of `peerRole`: an {@link interleaving} of
 * messages (fragmented anyhow, characters split), Pings and Pongs and a Close
 * at any point, maybe one labelled {@link corruption} at a message boundary
 * before the Close, written through a write plan — frames one per step
 * (chopped or not, synced or coalesced), `message` steps through the tester's
 * endpoint, `stream` steps cut anywhere ({@link choppedStream}) and
 * `continue-later` pauses — and ended by a `kill-after` watchdog so that every
 * scenario ends whatever the peer does.
 *
 * The label says what the scenario holds, including the corruption (the
 * verdict rules are the runner's to choose from it); `delivered` lists the
 * messages a conforming peer must deliver. Shrinks towards fewer messages and
 * frames, no corruption (a corruption never shrinks into another kind),
 * then simpler writes: one frame per step, unchopped, no pauses.
 *
 * Extensions: with `encoding`, messages are transformed by the extension
 * before they are fragmented (see {@link MessageEncoding}); `message` steps
 * are then not used, since the tester's endpoint would send them untransformed.
 * With `deflate`, the scenario also asks the peer for permessage-deflate
 * (`Scenario.deflate`) and the oracle inflates what it sends. With `opening`,
 * some scenarios vary the opening handshake ({@link openingChoice}); their
 * first items may go out in the head's TCP write.
 */
export function scenario(constraints: ScenarioConstraints): fc.Arbitrary<GeneratedScenario> {
  const { peerRole } = constraints;
  const limits = hasDeclaredLimits(constraints.limits) ? constraints.limits : undefined;
  const mode = constraints.corruption ?? 'sometimes';
  if (constraints.deflate === true && constraints.encoding !== undefined) throw new RangeError('scenario: give either deflate or an encoding, not both');
  const encoding = constraints.deflate === true ? permessageDeflate() : constraints.encoding;
  const builtIn = corruptionArbitrary({
    peerRole,
    ...(constraints.corruptionKinds !== undefined ? { kinds: constraints.corruptionKinds } : {}),
    ...(encoding !== undefined ? { rsvBits: encoding.rsvBits } : {}),
    ...(limits !== undefined ? { limits } : {}),
  });
  const bad = encoding?.corruptions !== undefined ? fc.oneof(builtIn, encoding.corruptions) : builtIn;
  const declared = constraints.interleaving ?? {};
  // Within the limits: a message no longer than the peer takes, so no frame of it is longer either.
  const withinLimits: InterleavingConstraints =
    limits === undefined
      ? declared
      : { ...declared, message: { ...declared.message, maxLength: Math.min(declared.message?.maxLength ?? DEFAULT_MAX_PAYLOAD_LENGTH, frameLimitOf(limits)) } };
  const interleavingConstraints: InterleavingConstraints =
    encoding === undefined ? withinLimits : { ...withinLimits, messageSteps: false, fragments: { ...withinLimits.fragments, encoding } };
  const corrupt =
    mode === 'never'
      ? fc.constant(null)
      : mode === 'always'
        ? fc.tuple(bad, fc.nat())
        : sometimes(fc.tuple(bad, fc.nat()), 1, 2);
  const plan = fc.array(writeGroup(constraints.maxCuts ?? 6, constraints.pauses ?? true, constraints.pauseSeconds), { maxLength: constraints.maxWriteGroups ?? 4 });
  // Scenarios that negotiate an extension keep the usual handshake: its answer is the negotiation.
  const openingMode = encoding !== undefined ? 'never' : (constraints.opening ?? 'never');
  const openingConstraints = { peerRole, ...(constraints.openingFields !== undefined ? { fields: constraints.openingFields } : {}) };
  const opening: fc.Arbitrary<OpeningChoice | null> =
    openingMode === 'never' ? fc.constant(null) : openingMode === 'always' ? openingChoice(openingConstraints) : sometimes(openingChoice(openingConstraints), 1, 2);
  return fc.record({ conversation: interleaving(interleavingConstraints), corrupt, plan, opening }).map(({ conversation, corrupt: c, plan: p, opening: o }) => {
    const items: Item[] = [...conversation.items];
    let closeAt = conversation.closeAt;
    let corruptAt: number | null = null;
    let label: CorruptionLabel | null = null;
    if (c !== null) {
      const [cor, position]: [Corruption, number] = c;
      // Before the Close (after it, a peer ignores everything) and where no message is open.
      const places = messageBoundaries(items, closeAt ?? items.length);
      corruptAt = places[position % places.length]!;
      items.splice(corruptAt, 0, ...cor.frames.map((frame): Item => ({ kind: 'frame', frame, part: 'corruption' })));
      if (closeAt !== null) closeAt += cor.frames.length;
      label = cor.label;
    }
    // The first items may go out in the head's TCP write: they are then the peer's first frames.
    const pipelined = o === null ? 0 : Math.min(o.pipeline, items.length);
    const rendered = render(items.slice(pipelined), p, peerRole);
    const headFrames = items.slice(0, pipelined).flatMap(framesOf);
    if (items.slice(0, pipelined).some((i) => i.kind === 'close')) rendered.close = 'frame';
    const openingVariation = o === null ? undefined : openingOf(o, headFrames);
    const watchdog = constraints.watchdogSeconds ?? 1 + Math.ceil(rendered.pauseSeconds) + 2 * Math.ceil(octets(items) / 65536);
    rendered.steps.push({ kind: 'kill-after', seconds: watchdog });

    // Messages a conforming peer delivers: complete before the Close and before the corruption.
    const end = Math.min(closeAt ?? items.length, corruptAt ?? items.length);
    const delivered: Message[] = [];
    const lastFragment = new Map<number, number>();
    items.forEach((it, i) => {
      if (it.kind === 'frame' && it.part === 'fragment' && it.message !== undefined) lastFragment.set(it.message, i);
    });
    items.slice(0, end).forEach((it, i) => {
      if (it.kind === 'message') delivered.push(it.message);
      else if (it.kind === 'frame' && it.part === 'fragment' && it.message !== undefined && lastFragment.get(it.message) === i) {
        delivered.push(conversation.messages[it.message]!.message);
      }
    });

    const fragmented = conversation.messages.filter((m) => m.fragments.length > 1).length + items.filter((i) => i.kind === 'message' && i.fragmentSize > 0 && i.fragmentSize < i.message.payload.length).length;
    const base = {
      corruption: label,
      messages: conversation.messages.length,
      fragmentedMessages: fragmented,
      splitCharacters: conversation.messages.reduce((n, m) => n + m.splitCharacters, 0),
      controlFrames: items.filter((i) => i.kind === 'frame' && i.part === 'control').length,
      close: rendered.close,
      afterClose: closeAt === null ? 0 : items.length - closeAt - 1,
      streams: rendered.streams,
      cuts: rendered.cuts,
      choppedFrames: rendered.choppedFrames,
      wideLengths: rendered.wideLengths,
      pauses: rendered.pauses,
      opening: o === null || openingVariation === undefined ? null : describeOpeningChoice({ ...o, pipeline: pipelined }),
    };
    // With a corruption, the tester must not close on its own once the echoes it expects have arrived
    // (Autobahn's "finish when done"): after a pause, that close would pre-empt the corruption.
    const data: Scenario = {
      steps: rendered.steps,
      ...(label === null ? {} : { suppressClose: true }),
      ...(limits !== undefined ? { limits } : {}),
      ...(openingVariation !== undefined ? { opening: openingVariation } : {}),
      ...(constraints.deflate === true ? { deflate: NEGOTIATED_DEFLATE } : {}),
      ...(o?.refusalAllowed === true ? { rules: { refusalAllowed: true } } : {}),
    };
    return { peerRole, scenario: data, label: { ...base, summary: summarize(base) }, delivered };
  });
}
