import fc from 'fast-check';
import type { Corruption } from './corruption.js';
import type { Message } from './message.js';

/** A message as it goes on the wire: the payload to fragment and the RSV bits of its first frame. */
export interface EncodedMessage {
  readonly payload: Uint8Array;
  /** RSV bits for the first frame (RSV1 = 4, RSV2 = 2, RSV3 = 1); 0 when not transformed. */
  readonly rsv: number;
}

/**
 * The extension point for per-message extensions (RFC 6455 §9, RFC 7692
 * permessage-deflate): how a message becomes the payload that is fragmented,
 * with every choice the extension allows as a generated value so that it is
 * replayed and shrunk like the rest of a scenario.
 *
 * The arbitraries call `encode(message, choice)` with a `choice` drawn from
 * `choices` (a plain tuple, never `chain`, so both shrink independently), put
 * `rsv` on the first frame only, and keep `rsvBits` out of the RSV bits they
 * use to break §5.2. `corruptions`, when given, joins the corruptions of
 * {@link corruption} (label them with the `extension-error` kind, rule
 * `RFC 7692 §6`, or whichever {@link ViolationKind} the decoder reports).
 *
 * The identity encoding ({@link identityEncoding}) is the default;
 * {@link permessageDeflate} is RFC 7692's, which `scenario({ deflate: true })`
 * also negotiates. A custom encoding is not negotiated: the peer must apply
 * it unasked.
 *
 * @typeParam Choice - what the extension decides per message (compression level, flush points, …)
 */
export interface MessageEncoding<Choice = unknown> {
  /** Registered extension name, e.g. `permessage-deflate`; `identity` for none. */
  readonly name: string;
  /** RSV bits the extension defines (0 for the identity). */
  readonly rsvBits: number;
  /** The extension's choices for one message. */
  readonly choices: fc.Arbitrary<Choice>;
  /** Transform one message under one choice. Pure. */
  encode(message: Message, choice: Choice): EncodedMessage;
  /**
   * Corruptions only this extension can make (a compressed payload that does
   * not inflate, RSV1 on a continuation frame, …), drawn alongside the
   * built-in ones by {@link scenario} when a scenario has a corruption.
   */
  readonly corruptions?: fc.Arbitrary<Corruption>;
}

/** The identity encoding: no extension, payload as is, RSV bits 0. */
export function identityEncoding(): MessageEncoding<null> {
  return {
    name: 'identity',
    rsvBits: 0,
    choices: fc.constant(null),
    encode: (m) => ({ payload: m.payload, rsv: 0 }),
  };
}
