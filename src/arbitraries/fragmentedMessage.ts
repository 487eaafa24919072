import fc from 'fast-check';
import { Opcode } from '../codec/opcode.js';
import type { FrameDescription } from '../model/scenario.js';
import { countContinuationOctets, isContinuationOctet, nthContinuationOctet } from './_internals/utf8.js';
import { type Message, message as messageArbitrary } from './message.js';
import { type MessageEncoding, identityEncoding } from './messageEncoding.js';

/** A message split into the payloads of its frames (RFC 6455 §5.4). */
export interface FragmentedMessage {
  readonly message: Message;
  /** Frame payloads in order: the first frame carries the opcode, the others are continuations, the last has FIN. */
  readonly fragments: readonly Uint8Array[];
  /** RSV bits of the first frame (set by an extension's encoding; 0 otherwise). */
  readonly rsv: number;
  /** Cuts that fall inside a UTF-8 character of a text message (the character straddles two frames). */
  readonly splitCharacters: number;
  /** Fragments with no payload. */
  readonly emptyFragments: number;
}

/** Constraints of {@link fragmentedMessage}. */
export interface FragmentedMessageConstraints {
  /** Most frames per message (default 6); 1 sends every message unfragmented. */
  readonly maxFragments?: number;
  /** Allow empty fragments (two cuts at the same place, or a cut at either end). Default true. */
  readonly emptyFragments?: boolean;
  /** Favour cuts inside multi-octet characters of text messages. Default true. */
  readonly splitCharacters?: boolean;
  /** How the message becomes the payload that is cut (default {@link identityEncoding}). */
  readonly encoding?: MessageEncoding;
}

/** @internal A cut of a payload, resolved against the payload it cuts. */
type PayloadCut = { readonly at: number } | { readonly insideCharacter: number };

function payloadCut(splitCharacters: boolean): fc.Arbitrary<PayloadCut> {
  const at = fc.nat().map((n) => ({ at: n }));
  if (!splitCharacters) return at;
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: at, weight: 2 },
    { arbitrary: fc.nat().map((n) => ({ insideCharacter: n })), weight: 1 },
  );
}

/** The offset inside a character (a continuation octet past offset 0) of rank `rank` modulo their number, or null when there is none. */
function insidePosition(payload: Uint8Array, count: number, rank: number): number | null {
  return count === 0 ? null : nthContinuationOctet(payload, 1, rank % count);
}

/** @internal Resolve abstract cuts against a payload; returns sorted offsets (repeats allowed when `empty`). */
export function resolvePayloadCuts(payload: Uint8Array, text: boolean, cuts: readonly PayloadCut[], empty: boolean): number[] {
  const n = payload.length;
  const anywhere = (k: number): number => (empty ? k % (n + 1) : n < 2 ? 0 : 1 + (k % (n - 1)));
  let inside: number | null = null;
  const offsets = cuts.map((c) => {
    if ('at' in c) return anywhere(c.at);
    inside ??= text ? countContinuationOctets(payload, 1) : 0;
    return insidePosition(payload, inside, c.insideCharacter) ?? anywhere(c.insideCharacter);
  });
  const sorted = offsets.sort((a, b) => a - b);
  return empty ? sorted : [...new Set(sorted)].filter((o) => o > 0 && o < n);
}

/**
 * A message cut into fragments at arbitrary places: between any two octets,
 * inside a multi-octet character (so a character straddles two frames), at
 * either end or twice at the same place (empty fragments). Cuts are drawn as
 * abstract choices resolved against the payload, so the message and its cuts
 * shrink independently: fewer cuts first (down to one frame), then a shorter
 * message.
 *
 * @param message - the messages to fragment (default {@link message}())
 */
export function fragmentedMessage(
  message: fc.Arbitrary<Message> = messageArbitrary(),
  constraints: FragmentedMessageConstraints = {},
): fc.Arbitrary<FragmentedMessage> {
  const maxFragments = constraints.maxFragments ?? 6;
  if (!Number.isInteger(maxFragments) || maxFragments < 1) throw new RangeError(`maxFragments must be at least 1, got ${maxFragments}`);
  const empty = constraints.emptyFragments ?? true;
  const encoding = (constraints.encoding ?? identityEncoding()) as MessageEncoding;
  const cuts = fc.array(payloadCut(constraints.splitCharacters ?? true), { maxLength: maxFragments - 1 });
  return fc.tuple(message, cuts, encoding.choices).map(([m, cutList, choice]) => {
    const encoded = encoding.encode(m, choice);
    const payload = encoded.payload;
    // Characters are only meaningful in an untransformed text payload.
    const text = m.opcode === Opcode.Text && encoded.rsv === 0;
    const offsets = resolvePayloadCuts(payload, text, cutList, empty);
    const fragments: Uint8Array[] = [];
    let at = 0;
    let split = 0;
    for (const o of offsets) {
      fragments.push(payload.subarray(at, o));
      if (text && o > 0 && o < payload.length && isContinuationOctet(payload[o]!)) split++;
      at = o;
    }
    fragments.push(payload.subarray(at));
    return {
      message: m,
      fragments,
      rsv: encoded.rsv,
      splitCharacters: split,
      emptyFragments: fragments.filter((f) => f.length === 0).length,
    };
  });
}

/** The frames of a fragmented message, in order (masking left to the tester's role). */
export function fragmentFrames(fragmented: FragmentedMessage): FrameDescription[] {
  const last = fragmented.fragments.length - 1;
  return fragmented.fragments.map((payload, k) => ({
    opcode: k === 0 ? fragmented.message.opcode : Opcode.Continuation,
    fin: k === last,
    ...(k === 0 && fragmented.rsv !== 0 ? { rsv: fragmented.rsv } : {}),
    payload,
  }));
}
