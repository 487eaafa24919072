import fc from 'fast-check';
import { encodeClosePayload } from '../codec/close.js';
import { Opcode, opcodeName } from '../codec/opcode.js';
import { firstInvalidUtf8Offset } from '../codec/utf8.js';
import { type ViolationKind, violation } from '../codec/violation.js';
import type { FrameDescription } from '../model/scenario.js';
import { type DeclaredLimits, frameLimitOf, hasDeclaredLimits, messageLimitOf } from '../model/limits.js';
import type { Role } from '../model/types.js';
import { binaryPayload } from './binaryPayload.js';
import { closeCode } from './closeCode.js';
import { fragmentedMessage, resolvePayloadCuts } from './fragmentedMessage.js';
import { type Utf8Flaw, invalidUtf8 } from './invalidUtf8.js';
import { message } from './message.js';
import { textPayload } from './textPayload.js';
import { sometimes } from './_internals/sometimes.js';
import { ordered } from './_internals/ordered.js';

/** What a corruption breaks, in the reference decoder's words. */
export interface CorruptionLabel {
  /** The violation the peer must detect (the reference decoder's {@link ViolationKind}). */
  readonly kind: ViolationKind;
  /** Where the RFC says so, e.g. `RFC 6455 §5.2`. */
  readonly rule: string;
  /** The status code the peer must fail the connection with (RFC 6455 §7.4.1). */
  readonly code: number;
  /** One line for people: what exactly is wrong. */
  readonly detail: string;
  /** The flaw is in a Close frame (the peer's close-handling is what is tested). */
  readonly closeLevel: boolean;
}

/** Frames that break exactly one rule of RFC 6455, labelled with it. */
export interface Corruption {
  readonly label: CorruptionLabel;
  /**
   * The frames to send, in order: whatever context the rule needs (the start
   * of a fragmented message, for instance) then the frame that breaks it, and
   * nothing after. Masking is left to the tester's role (`maskKey` absent)
   * except when the masking is the flaw.
   */
  readonly frames: readonly FrameDescription[];
  /** Index in `frames` of the frame at which a conforming peer fails the connection. */
  readonly offender: number;
}

/** The kinds of corruption {@link corruption} draws; masking ones depend on the peer's role. */
export type CorruptionKind = Extract<
  ViolationKind,
  | 'reserved-rsv'
  | 'reserved-opcode'
  | 'fragmented-control'
  | 'control-too-long'
  | 'unmasked-client-frame'
  | 'masked-server-frame'
  | 'length-msb-set'
  | 'continuation-without-start'
  | 'data-inside-fragmented'
  | 'invalid-utf8'
  | 'close-payload-length-1'
  | 'invalid-close-code'
  | 'message-too-big'
>;

/** Every kind {@link corruption} can draw for a peer of `peerRole` (over-limit frames only when it declared limits). */
export function corruptionKinds(peerRole: Role, limits?: DeclaredLimits): CorruptionKind[] {
  const kinds: CorruptionKind[] = [
    'reserved-rsv',
    'reserved-opcode',
    'fragmented-control',
    'control-too-long',
    peerRole === 'server' ? 'unmasked-client-frame' : 'masked-server-frame',
    'length-msb-set',
    'continuation-without-start',
    'data-inside-fragmented',
    'invalid-utf8',
    'close-payload-length-1',
    'invalid-close-code',
  ];
  if (hasDeclaredLimits(limits)) kinds.push('message-too-big');
  return kinds;
}

/** Constraints of {@link corruption}. */
export interface CorruptionConstraints {
  /** Role of the implementation under test: it receives the corruption. */
  readonly peerRole: Role;
  /** Which kinds to draw (default {@link corruptionKinds}(peerRole)). */
  readonly kinds?: readonly CorruptionKind[];
  /** RSV bits a negotiated extension defines, which are then not a corruption on a data message's first frame (default 0). */
  readonly rsvBits?: number;
  /** UTF-8 flaws of `invalid-utf8` corruptions (default all). */
  readonly flaws?: readonly Utf8Flaw[];
  /** The limits the peer declared; with them, `message-too-big` corruptions cross them (§10.4, close 1009). */
  readonly limits?: DeclaredLimits;
}

function label(kind: ViolationKind, detail: string, closeLevel = false): CorruptionLabel {
  const v = violation(kind, detail, 0);
  return { kind, rule: v.rule, code: v.code, detail, closeLevel };
}

const CONTROL = [Opcode.Ping, Opcode.Pong] as const;
const RESERVED_OPCODES = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] as const;
const short = (max = 16): fc.Arbitrary<Uint8Array> => binaryPayload({ maxLength: max });
const shortText = (max = 16): fc.Arbitrary<Uint8Array> => textPayload({ maxLength: max });
const dataFrame = fc.oneof(
  shortText().map((payload) => ({ opcode: Opcode.Text as number, payload })),
  short().map((payload) => ({ opcode: Opcode.Binary as number, payload })),
);
/** A fragmented message left open: its first fragments, all without FIN. */
const openMessage = fragmentedMessage(message({ maxLength: 32 }), { maxFragments: 4 }).map((m) =>
  m.fragments.slice(0, Math.max(1, m.fragments.length - 1)).map(
    (payload, k): FrameDescription => ({ opcode: k === 0 ? m.message.opcode : Opcode.Continuation, fin: false, payload }),
  ),
);
/** The FIN bit, shrinking towards a final frame. */
const finBit = fc.boolean().map((b) => !b);
const nameOfMessage = (frames: readonly FrameDescription[]): string => opcodeName(frames[0]!.opcode);

function single(frame: FrameDescription, l: CorruptionLabel): Corruption {
  return { label: l, frames: [frame], offender: 0 };
}

function withContext(context: readonly FrameDescription[], frame: FrameDescription, l: CorruptionLabel): Corruption {
  return { label: l, frames: [...context, frame], offender: context.length };
}

function reservedRsv(rsvBits: number): fc.Arbitrary<Corruption> {
  const rsv = fc.integer({ min: 1, max: 7 });
  const onData = fc
    .tuple(dataFrame, rsv.filter((r) => (r & ~rsvBits) !== 0))
    .map(([f, r]) => single({ ...f, rsv: r }, label('reserved-rsv', `RSV bits ${r} on a ${opcodeName(f.opcode)} frame`)));
  const onControl = fc
    .tuple(fc.constantFrom(...CONTROL), short(), rsv)
    .map(([opcode, payload, r]) => single({ opcode, payload, rsv: r }, label('reserved-rsv', `RSV bits ${r} on a ${opcodeName(opcode)} frame`)));
  const onContinuation = fc
    .tuple(openMessage, short(), finBit, rsv)
    .map(([context, payload, fin, r]) =>
      withContext(
        context,
        { opcode: Opcode.Continuation, fin, payload, rsv: r },
        label('reserved-rsv', `RSV bits ${r} on a continuation frame of a ${nameOfMessage(context)} message`),
      ),
    );
  return fc.oneof(onData, onControl, onContinuation);
}

const reservedOpcode: fc.Arbitrary<Corruption> = fc
  .tuple(ordered(RESERVED_OPCODES), short(), finBit)
  .map(([opcode, payload, fin]) =>
    single({ opcode, payload, ...(fin ? {} : { fin: false }) }, label('reserved-opcode', `frame with reserved opcode ${opcode}`)),
  );

const closeBodyShort = fc.tuple(closeCode(), shortText()).map(([code, reason]) => encodeClosePayload(code, reason));

const fragmentedControl: fc.Arbitrary<Corruption> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constantFrom(...CONTROL), short()),
      closeBodyShort.map((body) => [Opcode.Close, body] as const),
    ),
    sometimes(openMessage, 1, 1),
  )
  .map(([[opcode, payload], context]) =>
    withContext(
      context ?? [],
      { opcode, fin: false, payload },
      label(
        'fragmented-control',
        `${opcodeName(opcode)} frame with FIN=0` + (context === null ? '' : ` between fragments of a ${nameOfMessage(context)} message`),
        opcode === Opcode.Close,
      ),
    ),
  );

const controlTooLong: fc.Arbitrary<Corruption> = fc
  .tuple(ordered([Opcode.Ping, Opcode.Pong, Opcode.Close]), binaryPayload({ minLength: 126, maxLength: 65537 }), closeCode())
  .map(([opcode, raw, code]) => {
    // A too-long Close is otherwise well-formed: a valid code and an ASCII reason.
    const payload = opcode === Opcode.Close ? encodeClosePayload(code, raw.subarray(2).map((b) => 0x20 + (b % 0x5f))) : raw;
    return single(
      { opcode, payload },
      label('control-too-long', `${opcodeName(opcode)} frame with a ${payload.length}-octet payload`, opcode === Opcode.Close),
    );
  });

function wrongMasking(peerRole: Role): fc.Arbitrary<Corruption> {
  const frame = fc.oneof(dataFrame, fc.tuple(fc.constantFrom(...CONTROL), short()).map(([opcode, payload]) => ({ opcode: opcode as number, payload })));
  // A continuation frame of a message whose first frames were masked right: the check belongs to every frame (§5.1).
  const continuation = fc.tuple(openMessage, short(), finBit);
  if (peerRole === 'server') {
    return fc.oneof(
      { arbitrary: frame.map((f) => single({ ...f, maskKey: null }, label('unmasked-client-frame', `unmasked ${opcodeName(f.opcode)} frame from the client`))), weight: 2 },
      {
        arbitrary: continuation.map(([context, payload, fin]) =>
          withContext(
            context,
            { opcode: Opcode.Continuation, payload, maskKey: null, ...(fin ? {} : { fin: false }) },
            label('unmasked-client-frame', `unmasked continuation frame of a ${nameOfMessage(context)} message from the client`),
          ),
        ),
        weight: 1,
      },
    );
  }
  const key = fc.integer({ min: 0, max: 0xffffffff });
  return fc.oneof(
    { arbitrary: fc.tuple(frame, key).map(([f, k]) => single({ ...f, maskKey: k }, label('masked-server-frame', `masked ${opcodeName(f.opcode)} frame from the server`))), weight: 2 },
    {
      arbitrary: fc.tuple(continuation, key).map(([[context, payload, fin], k]) =>
        withContext(
          context,
          { opcode: Opcode.Continuation, payload, maskKey: k, ...(fin ? {} : { fin: false }) },
          label('masked-server-frame', `masked continuation frame of a ${nameOfMessage(context)} message from the server`),
        ),
      ),
      weight: 1,
    },
  );
}

const lengthMsbSet: fc.Arbitrary<Corruption> = fc
  .tuple(fc.constantFrom(Opcode.Text, Opcode.Binary), fc.bigInt({ min: 1n << 63n, max: (1n << 64n) - 1n }), short(8))
  .map(([opcode, declaredLength, payload]) =>
    single(
      { opcode, payload, lengthEncoding: 64, declaredLength },
      label('length-msb-set', `${opcodeName(opcode)} frame declaring a 64-bit length of 0x${declaredLength.toString(16)}`),
    ),
  );

const continuationWithoutStart: fc.Arbitrary<Corruption> = fc
  .tuple(short(), finBit)
  .map(([payload, fin]) =>
    single(
      { opcode: Opcode.Continuation, payload, ...(fin ? {} : { fin: false }) },
      label('continuation-without-start', `continuation frame (FIN=${fin ? 1 : 0}) with no message in progress`),
    ),
  );

const dataInsideFragmented: fc.Arbitrary<Corruption> = fc
  .tuple(openMessage, dataFrame, finBit)
  .map(([context, f, fin]) =>
    withContext(
      context,
      { ...f, ...(fin ? {} : { fin: false }) },
      label('data-inside-fragmented', `${opcodeName(f.opcode)} frame inside a fragmented ${nameOfMessage(context)} message`),
    ),
  );

function invalidText(flaws: readonly Utf8Flaw[] | undefined): fc.Arbitrary<Corruption> {
  const bad = invalidUtf8(flaws !== undefined ? { flaws } : {});
  const cuts = fc.array(fc.nat().map((at) => ({ at })), { maxLength: 3 });
  const inMessage = fc.tuple(bad, cuts).map(([b, c]) => {
    const offsets = resolvePayloadCuts(b.bytes, false, c, true);
    const fragments: Uint8Array[] = [];
    let at = 0;
    for (const o of offsets) {
      fragments.push(b.bytes.subarray(at, o));
      at = o;
    }
    fragments.push(b.bytes.subarray(at));
    const frames = fragments.map(
      (payload, k): FrameDescription => ({
        opcode: k === 0 ? Opcode.Text : Opcode.Continuation,
        ...(k === fragments.length - 1 ? {} : { fin: false }),
        payload,
      }),
    );
    // Where a fail-fast receiver gives up: the frame holding the first octet that cannot become valid.
    const failAt = firstInvalidUtf8Offset(b.bytes);
    let offender = frames.length - 1;
    let end = 0;
    for (let k = 0; k < fragments.length && failAt < b.bytes.length; k++) {
      end += fragments[k]!.length;
      if (failAt < end) {
        offender = k;
        break;
      }
    }
    const l = label('invalid-utf8', `${b.flaw} in a text message of ${frames.length} frame${frames.length === 1 ? '' : 's'}`);
    return { label: l, frames, offender };
  });
  const inReason = fc
    .tuple(bad, closeCode())
    .map(([b, code]) => single({ opcode: Opcode.Close, payload: encodeClosePayload(code, b.bytes) }, label('invalid-utf8', `${b.flaw} in a close reason`, true)));
  return fc.oneof({ arbitrary: inMessage, weight: 3 }, { arbitrary: inReason, weight: 1 });
}

const closePayloadLength1: fc.Arbitrary<Corruption> = fc
  .integer({ min: 0, max: 255 })
  .map((b) => single({ opcode: Opcode.Close, payload: Uint8Array.of(b) }, label('close-payload-length-1', 'close frame with a 1-octet body', true)));

const invalidCloseCode: fc.Arbitrary<Corruption> = fc
  .tuple(closeCode({ validity: 'invalid' }), sometimes(shortText(), 1, 1))
  .map(([code, reason]) =>
    single(
      { opcode: Opcode.Close, payload: encodeClosePayload(code, reason ?? new Uint8Array(0)) },
      label('invalid-close-code', `close frame with code ${code}`, true),
    ),
  );

/**
 * A frame or message past the peer's declared limits, announced in a frame
 * header and never sent whole: a peer that enforces its limits refuses it at
 * that header with 1009 (§7.4.1, §10.4); one that waits for the octets, or
 * reads the length wrong, diverges. Lengths just past the frame limit, past
 * 2^32 (a reader of the low word only sees a few octets, and gets exactly
 * those), the largest the RFC allows, and a fragmented message whose second
 * fragment takes the total just past the message limit, each fragment within
 * the frame limit.
 */
function overLimit(limits: DeclaredLimits): fc.Arbitrary<Corruption> {
  const frameLimit = frameLimitOf(limits);
  const messageLimit = messageLimitOf(limits);
  const opcode = fc.constantFrom(Opcode.Text, Opcode.Binary);
  // What is sent of an announced payload: a few ASCII octets, valid in a text message too.
  const few = fc.integer({ min: 0, max: 8 }).map((n) => new Uint8Array(n).fill(0x61));
  const frameLabel = (op: number, l: number | bigint): CorruptionLabel =>
    label('frame-too-big', `${opcodeName(op)} frame announcing ${l} octets, past the declared frame limit of ${frameLimit}`);
  const justPast = fc
    .tuple(opcode, fc.integer({ min: 1, max: 16 }), few)
    .map(([op, k, payload]) => single({ opcode: op, payload, declaredLength: frameLimit + k }, frameLabel(op, frameLimit + k)));
  const highWord = fc
    .tuple(opcode, fc.integer({ min: 0, max: 16 }))
    .map(([op, k]) => single({ opcode: op, payload: new Uint8Array(k).fill(0x61), lengthEncoding: 64, declaredLength: 2 ** 32 + k }, frameLabel(op, 2 ** 32 + k)));
  const largest = fc
    .tuple(opcode, few)
    .map(([op, payload]) => single({ opcode: op, payload, lengthEncoding: 64, declaredLength: (1n << 63n) - 1n }, frameLabel(op, (1n << 63n) - 1n)));
  const shapes: fc.Arbitrary<Corruption>[] = [justPast, ...(2 ** 32 > frameLimit ? [highWord] : []), largest];
  // The message crosses its limit at the second fragment's header: n octets sent, then m announced, n + m past the limit.
  const lowest = Math.max(1, messageLimit - frameLimit + 1);
  const highest = Math.min(frameLimit, 32);
  if (limits.maxMessage !== undefined && lowest <= highest) {
    shapes.push(
      fc.tuple(opcode, fc.integer({ min: lowest, max: highest }), fc.nat(), few).map(([op, n, raw, payload]) => {
        const m = messageLimit - n + 1 + (raw % Math.min(16, frameLimit - messageLimit + n));
        return withContext(
          [{ opcode: op, fin: false, payload: new Uint8Array(n).fill(0x61) }],
          { opcode: Opcode.Continuation, payload, declaredLength: m },
          label('message-too-big', `${opcodeName(op)} message of ${n} octets, then a continuation announcing ${m}, past the declared message limit of ${messageLimit}`),
        );
      }),
    );
  }
  return fc.oneof(...shapes);
}

/**
 * Frames that break exactly one rule of RFC 6455, labelled with the
 * reference decoder's violation kind, the RFC section and the close code the
 * peer must fail the connection with:
 * RSV bits no extension defines (§5.2), reserved opcodes (§5.2), masking wrong
 * for the role (§5.1), control frames longer than 125 octets or fragmented
 * (§5.5), a continuation with no message (§5.4), a new data frame inside a
 * fragmented message (§5.4), text that is not UTF-8 — overlong, surrogate,
 * above U+10FFFF, truncated at the message end… (§8.1) —, Close bodies of one
 * octet, with invalid codes or with a reason that is not UTF-8 (§5.5.1, §7.4),
 * and a 64-bit length with its most significant bit set (§5.2).
 *
 * The corruption is self-contained: place it where no fragmented message is
 * open. Shrinks within its kind (towards short payloads and little context),
 * never across kinds, so the label of a counterexample stays true.
 */
export function corruption(constraints: CorruptionConstraints): fc.Arbitrary<Corruption> {
  const { peerRole } = constraints;
  const allowed = corruptionKinds(peerRole, constraints.limits);
  const kinds = constraints.kinds ?? allowed;
  for (const k of kinds) {
    if (!allowed.includes(k)) throw new RangeError(`a ${peerRole} cannot receive a '${k}' corruption`);
  }
  if (kinds.length === 0) throw new RangeError('corruption needs at least one kind');
  const rsvBits = constraints.rsvBits ?? 0;
  const of = (kind: CorruptionKind): fc.Arbitrary<Corruption> => {
    switch (kind) {
      case 'reserved-rsv':
        return reservedRsv(rsvBits);
      case 'reserved-opcode':
        return reservedOpcode;
      case 'fragmented-control':
        return fragmentedControl;
      case 'control-too-long':
        return controlTooLong;
      case 'unmasked-client-frame':
      case 'masked-server-frame':
        return wrongMasking(peerRole);
      case 'length-msb-set':
        return lengthMsbSet;
      case 'continuation-without-start':
        return continuationWithoutStart;
      case 'data-inside-fragmented':
        return dataInsideFragmented;
      case 'invalid-utf8':
        return invalidText(constraints.flaws);
      case 'close-payload-length-1':
        return closePayloadLength1;
      case 'invalid-close-code':
        return invalidCloseCode;
      case 'message-too-big':
        return overLimit(constraints.limits!);
    }
  };
  return fc.oneof(...[...new Set(kinds)].map(of));
}
