import fc from 'fast-check';
import type { CloseCodeRegistry } from '../codec/close.js';
import type { FrameDescription } from '../model/scenario.js';
import { type CloseBody, closeBody } from './closeBody.js';
import { controlFrame } from './controlFrame.js';
import { type FragmentedMessage, type FragmentedMessageConstraints, fragmentFrames, fragmentedMessage } from './fragmentedMessage.js';
import { type Message, type MessageConstraints, message } from './message.js';
import { sometimes } from './_internals/sometimes.js';

/** Most frames of a message sent through the tester's endpoint. */
const MAX_ENDPOINT_FRAMES = 64;

/** One thing the tester sends, in order. */
export type InterleavedItem =
  /** A frame written as is: a fragment of a message, or a Ping or Pong. */
  | { readonly kind: 'frame'; readonly frame: FrameDescription; readonly part: 'fragment' | 'control'; readonly message?: number }
  /**
   * A message sent through the tester's endpoint (a `message` step):
   * fragmented in frames of `fragmentSize` octets (0: one frame), with an
   * empty final frame when the length is a multiple of it, as the Autobahn
   * testsuite's fragmenter does.
   */
  | { readonly kind: 'message'; readonly message: Message; readonly fragmentSize: number; readonly index: number }
  /** The tester's Close frame (it starts the closing handshake). */
  | { readonly kind: 'close'; readonly body: CloseBody };

/** Messages, control frames and a Close, interleaved as the tester sends them. */
export interface Interleaving {
  readonly items: readonly InterleavedItem[];
  /** The messages in the order they start, fragmented as sent (`message` items: as one fragment). */
  readonly messages: readonly FragmentedMessage[];
  /** Index in `items` of the Close, or null. Items after it are sent after the Close. */
  readonly closeAt: number | null;
}

/** Constraints of {@link interleaving}. */
export interface InterleavingConstraints {
  /** Most messages (default 3). */
  readonly maxMessages?: number;
  /** Constraints of each message (see {@link message}). */
  readonly message?: MessageConstraints;
  /** Constraints of each fragmentation (see {@link fragmentedMessage}). */
  readonly fragments?: FragmentedMessageConstraints;
  /** Pings and Pongs before, between and inside messages (default true). */
  readonly controlFrames?: boolean;
  /** Whether the tester sends a Close (default `sometimes`). */
  readonly close?: 'never' | 'sometimes' | 'always';
  /** Keep what comes after the Close (frames a peer must ignore). Default true. */
  readonly sendsAfterClose?: boolean;
  /** Some messages go through the tester's endpoint as `message` steps (default true). */
  readonly messageSteps?: boolean;
  /** Registry of the codes the tester's Close may carry (default `iana`; `rfc6455` leaves 1012-1014 out). */
  readonly closeCodes?: CloseCodeRegistry;
}

/**
 * Messages fragmented anyhow, with Pings and Pongs between messages and
 * between the fragments of one message (RFC 6455 §5.4: "control frames MAY be
 * injected in the middle of a fragmented message"), and a Close at any point —
 * between messages, between two fragments of a message, first or last, valid
 * with any code and reason of up to 123 octets, followed by more frames the
 * peer must ignore (§5.5.1). Shrinks towards fewer messages, fewer control
 * frames, no Close, then a Close last.
 */
export function interleaving(constraints: InterleavingConstraints = {}): fc.Arbitrary<Interleaving> {
  const maxMessages = constraints.maxMessages ?? 3;
  const controls = constraints.controlFrames ?? true;
  const maxFragments = constraints.fragments?.maxFragments ?? 6;
  const control = controls ? sometimes(controlFrame(), 1, 3) : fc.constant(null);
  const episode = fc.record({
    fragmented: fragmentedMessage(message(constraints.message ?? {}), constraints.fragments ?? {}),
    inside: fc.array(control, { maxLength: Math.max(0, maxFragments - 1) }),
    before: control,
    viaEndpoint: (constraints.messageSteps ?? true) ? sometimes(fc.nat({ max: 200 }), 1, 3) : fc.constant(null),
  });
  const closeMode = constraints.close ?? 'sometimes';
  const body = closeBody(constraints.closeCodes !== undefined ? { registry: constraints.closeCodes } : {});
  const close =
    closeMode === 'never'
      ? fc.constant(null)
      : closeMode === 'always'
        ? fc.tuple(body, fc.nat())
        : sometimes(fc.tuple(body, fc.nat()), 1, 1);
  return fc
    .record({ episodes: fc.array(episode, { maxLength: maxMessages }), trailing: control, close })
    .map(({ episodes, trailing, close: c }) => {
      const items: InterleavedItem[] = [];
      const messages: FragmentedMessage[] = [];
      episodes.forEach((e, index) => {
        if (e.before !== null) items.push({ kind: 'frame', frame: e.before, part: 'control' });
        if (e.viaEndpoint !== null && e.fragmented.rsv === 0) {
          const length = e.fragmented.message.payload.length;
          // At most MAX_ENDPOINT_FRAMES frames (plus the empty final one of an exact multiple).
          const fragmentSize = e.viaEndpoint === 0 ? 0 : Math.max(e.viaEndpoint, Math.ceil(length / MAX_ENDPOINT_FRAMES));
          items.push({ kind: 'message', message: e.fragmented.message, fragmentSize, index });
          messages.push({ message: e.fragmented.message, fragments: [e.fragmented.message.payload], rsv: 0, splitCharacters: 0, emptyFragments: 0 });
          return;
        }
        messages.push(e.fragmented);
        const frames = fragmentFrames(e.fragmented);
        frames.forEach((frame, k) => {
          items.push({ kind: 'frame', frame, part: 'fragment', message: index });
          const between = e.inside[k];
          if (k < frames.length - 1 && between !== undefined && between !== null) items.push({ kind: 'frame', frame: between, part: 'control' });
        });
      });
      if (trailing !== null) items.push({ kind: 'frame', frame: trailing, part: 'control' });
      let closeAt: number | null = null;
      if (c !== null) {
        const [body, position] = c;
        // Position 0 (what shrinking reaches) is the end: a Close after everything.
        closeAt = items.length - (position % (items.length + 1));
        items.splice(closeAt, 0, { kind: 'close', body });
        if (!(constraints.sendsAfterClose ?? true)) items.length = closeAt + 1;
      }
      return { items, messages, closeAt };
    });
}
