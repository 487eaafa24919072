/**
 * wscheck category 15, Limits and Resources (RFC 6455 §10.4, §7.4.1 code
 * 1009): messages at and over the peer's declared limit, the limit counted
 * over fragments, frame headers announcing absurd lengths, and floods of
 * tiny fragments and tiny TCP writes. What the peer must do is computed by
 * the model from the declared limits (`--max-message`, `--max-frame`); the
 * cases that only make sense with a declared limit are UNIMPLEMENTED without
 * one.
 */
import { Opcode } from '../../codec/opcode.js';
import { type DeclaredLimits, frameLimitOf, messageLimitOf } from '../../model/limits.js';
import type { FrameDescription, Scenario, Step } from '../../model/scenario.js';
import { EMPTY, repeat, utf8 } from '../payload.js';
import { continueLater, frame, killAfter, message } from '../steps.js';
import type { Advisory, CaseDefinition } from '../types.js';
import { type WscheckCaseSpec, abusive, fragmentFrames, frameSteps, pieceSizes, transferSeconds, wscheckCase, caseSpec } from './build.js';

const CATEGORY = '15';
const TITLE = 'Limits and Resources';
const RULE = 'RFC 6455 §10.4, §7.4.1';

const ADVISORY = {
  wsLargeMessage: { id: 'CVE-2016-10542', url: 'https://github.com/advisories/GHSA-6663-c963-2gqg', project: 'ws' },
  javaWebSocketAllocation: { id: 'Java-WebSocket#1507', url: 'https://github.com/TooTallNate/Java-WebSocket/issues/1507', project: 'Java-WebSocket' },
  gobwasAllocation: { id: 'gobwas/ws#223', url: 'https://github.com/gobwas/ws/issues/223', project: 'gobwas/ws' },
  nettyFragments: { id: 'CVE-2014-0193', url: 'https://github.com/advisories/GHSA-7vpq-g998-qpv7', project: 'Netty' },
  undiciPerFrame: { id: 'CVE-2026-9675', url: 'https://github.com/nodejs/undici/security/advisories/GHSA-38rv-x7px-6hhq', project: 'undici' },
  gorillaReadLimit: { id: 'CVE-2020-27813', url: 'https://github.com/advisories/GHSA-3xh2-74w9-5vxm', project: 'gorilla/websocket' },
  wsTinyFragments: { id: 'CVE-2026-48779', url: 'https://github.com/websockets/ws/security/advisories/GHSA-96hv-2xvq-fx4p', project: 'ws' },
  wsDefaultFragmentCap: { id: 'ws#2331', url: 'https://github.com/websockets/ws/issues/2331', project: 'ws' },
  wsEmptyFragments: { id: 'ws#2329', url: 'https://github.com/websockets/ws/pull/2329', project: 'ws' },
  undiciFragmentCount: { id: 'CVE-2026-12151', url: 'https://github.com/advisories/GHSA-vxpw-j846-p89q', project: 'undici' },
  uwsSplitPayload: { id: 'uWebSockets#1407', url: 'https://github.com/uNetworking/uWebSockets/issues/1407', project: 'uWebSockets' },
} as const satisfies Record<string, Advisory>;

const A = utf8('a');
const STAR = utf8('*');
const BINARY_UNIT = Uint8Array.from([0x00, 0xfe, 0x23, 0xfa, 0xf0]);
/** Seconds the tester waits before the last fragment: far longer than a peer needs to react to the one before. */
const REACTION_SECONDS = 1;

const spec = (id: string, subcategoryTitle: string, description: string, expectation: string, advisories?: readonly Advisory[]): WscheckCaseSpec =>
  caseSpec(id, subcategoryTitle, RULE, description, expectation, advisories);

/** A flood of tiny frames or writes keeps the peer's event loop busy for seconds: run it alone (CaseDefinition.exclusive). */
const alone = (s: WscheckCaseSpec): WscheckCaseSpec => ({ ...s, exclusive: true });

const binaryOf = (n: number): Uint8Array => repeat(BINARY_UNIT, n);
const textOf = (n: number): Uint8Array => repeat(STAR, n);

// ---- 15.1: one message at and over the declared limit ----

const AT_LIMIT = 'Messages at and over the declared limit';

/** A message of `length` octets, in frames no larger than the declared frame limit. */
function wholeMessage(binary: boolean, length: number, limits: DeclaredLimits | undefined): Scenario {
  const frameLimit = frameLimitOf(limits);
  const payload = binary ? binaryOf(length) : textOf(length);
  const step: Step = message(binary, payload, { ...(length > frameLimit ? { fragmentSize: frameLimit } : {}), repeatUnit: binary ? BINARY_UNIT : STAR });
  return { steps: [step, killAfter(transferSeconds(2 * length))] };
}

/** One frame of `length` octets: over the limit, so the peer must refuse it with 1009 and echo nothing. */
function oneFrameOver(binary: boolean, length: number): Scenario {
  const payload = binary ? binaryOf(length) : textOf(length);
  return abusive({
    steps: [frame(binary ? Opcode.Binary : Opcode.Text, payload, { repeatUnit: binary ? BINARY_UNIT : STAR }), killAfter(transferSeconds(length))],
    rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' },
  });
}

const atLimit: CaseDefinition[] = [
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.1.1',
      AT_LIMIT,
      'Send a binary message exactly as long as the declared message limit (in frames no longer than the declared frame limit).',
      'The peer echoes it: a message at the limit is within it.',
      [ADVISORY.wsLargeMessage],
    ),
    (limits) => wholeMessage(true, messageLimitOf(limits), limits),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec('15.1.2', AT_LIMIT, 'Send a binary message one octet longer than the declared message limit, in one frame.', 'The peer fails the connection with 1009 (message too big) and echoes nothing.', [
      ADVISORY.wsLargeMessage,
    ]),
    (limits) => oneFrameOver(true, messageLimitOf(limits) + 1),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec('15.1.3', AT_LIMIT, 'Send a text message exactly as long as the declared message limit (in frames no longer than the declared frame limit).', 'The peer echoes it.'),
    (limits) => wholeMessage(false, messageLimitOf(limits), limits),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.1.4',
      AT_LIMIT,
      'Send a text message (valid UTF-8) one octet longer than the declared message limit, in one frame.',
      'The peer fails the connection with 1009 (too big, whatever the text), and echoes nothing.',
    ),
    (limits) => oneFrameOver(false, messageLimitOf(limits) + 1),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.1.5',
      AT_LIMIT,
      'Send the header of a binary frame announcing one octet more than the declared message limit, then at most 1024 octets of its payload, then nothing.',
      'The peer fails the connection with 1009 at once: the header alone shows the frame is over the limit, so it must not wait for (or buffer) its payload.',
      [ADVISORY.javaWebSocketAllocation, ADVISORY.gobwasAllocation],
    ),
    (limits) => {
      const length = messageLimitOf(limits) + 1;
      const sent = binaryOf(Math.min(1024, length - 1));
      return abusive({
        steps: [frame(Opcode.Binary, sent, { declaredLength: length }), killAfter(2)],
        rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' },
      });
    },
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.1.6',
      AT_LIMIT,
      'Send a binary message one octet longer than the declared frame limit (and within the message limit), in one frame.',
      'The peer fails the connection with 1009: the frame is over its frame limit even though the message would fit.',
    ),
    (limits) => oneFrameOver(true, frameLimitOf(limits) + 1),
    'frame-below-message',
  ),
];

// ---- 15.2: frame headers announcing absurd lengths ----

const HUGE = 'Frame headers announcing huge lengths';

/**
 * A binary frame whose header announces `length` octets, followed by 16 of
 * them and then silence. With a declared limit below it (always: the limit
 * is at most 2^30) the peer must fail at once with 1009. Without one, a peer
 * that accepts frames this long may wait for the rest: reported, not failed,
 * up to 2^32; at 2^53 and beyond no implementation could hold the payload,
 * so waiting means it has no limit at all.
 */
function hugeHeader(length: bigint, mayWaitWithoutLimit: boolean, limits: DeclaredLimits | undefined): Scenario {
  const mayWait = mayWaitWithoutLimit && limits?.maxMessage === undefined && limits?.maxFrame === undefined;
  return abusive({
    steps: [frame(Opcode.Binary, binaryOf(16), { lengthEncoding: 64, declaredLength: length }), killAfter(2)],
    rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail', ...(mayWait ? { ownLimits: { mayWait: true } } : {}) },
  });
}

const huge: CaseDefinition[] = [
  { id: '15.2.1', length: 2n ** 31n - 1n, words: '2^31 − 1 (the largest signed 32-bit value)', mayWait: true },
  { id: '15.2.2', length: 2n ** 32n, words: '2^32 (one more than an unsigned 32-bit value holds)', mayWait: true },
  { id: '15.2.3', length: 2n ** 53n, words: '2^53 (beyond the integers a double holds exactly)', mayWait: false },
  { id: '15.2.4', length: 2n ** 63n - 1n, words: '2^63 − 1 (the largest length a frame can announce)', mayWait: false },
].map((h) =>
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      h.id,
      HUGE,
      `Send the header of a binary frame announcing ${h.words} octets, then 16 octets of payload, then nothing.`,
      h.mayWait
        ? 'The peer fails the connection with 1009 without waiting for the payload. Without a declared limit a peer that accepts such frames may wait instead (INFORMATIONAL); it must never allocate the announced length first.'
        : 'The peer fails the connection with 1009 without waiting for the payload: no implementation can hold that many octets.',
      [ADVISORY.javaWebSocketAllocation, ADVISORY.gobwasAllocation, ADVISORY.gorillaReadLimit],
    ),
    (limits) => hugeHeader(h.length, h.mayWait, limits),
  ),
);

// ---- 15.3: the limit counts the whole message ----

const FRAGMENTED = 'Fragmented messages and the limit';

/**
 * Fragments of a message that crosses the limit: the crossing fragment
 * first (without FIN), the final fragment after a pause. A strict peer fails
 * at the crossing fragment and never sees the rest; one that checks only
 * complete messages fails after the final fragment (NON-STRICT: the tester's
 * pause is then recorded); one that checks each frame alone echoes (FAILED).
 */
function crossingFragments(binary: boolean, limits: DeclaredLimits | undefined): Scenario {
  const limit = messageLimitOf(limits);
  const size = Math.max(1, Math.min(frameLimitOf(limits), Math.ceil((limit + 1) / 4)));
  const crossing = Math.ceil((limit + 1) / size) * size;
  const payload = binary ? binaryOf(crossing + size) : textOf(crossing + size);
  const frames = fragmentFrames(binary ? Opcode.Binary : Opcode.Text, payload, pieceSizes(crossing + size, size), true);
  const last: FrameDescription = { ...frames[frames.length - 1]!, fin: true };
  return abusive({
    steps: [
      ...frameSteps(frames.slice(0, -1)),
      continueLater(REACTION_SECONDS, 'final fragment', frameSteps([last]), { recordTimeout: true }),
      killAfter(REACTION_SECONDS + transferSeconds(payload.length)),
    ],
    rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' },
  });
}

const fragmented: CaseDefinition[] = [
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.3.1',
      FRAGMENTED,
      'Send a binary message in fragments of about a quarter of the declared limit (none over the frame limit), the total passing the limit at a fragment without FIN; the final fragment follows a second later.',
      'The peer fails the connection with 1009 at the fragment that takes the total over the limit, before the final fragment. Failing only once the whole message arrived is NON-STRICT; echoing it is FAILED.',
      [ADVISORY.nettyFragments, ADVISORY.undiciPerFrame],
    ),
    (limits) => crossingFragments(true, limits),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.3.2',
      FRAGMENTED,
      'As 15.3.1 with a text message (valid UTF-8).',
      'The peer fails the connection with 1009 at the fragment that takes the total over the limit, before the final fragment.',
      [ADVISORY.nettyFragments, ADVISORY.undiciPerFrame],
    ),
    (limits) => crossingFragments(false, limits),
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.3.3',
      FRAGMENTED,
      'Send a binary message exactly as long as the declared limit in three or more fragments, with an unsolicited Pong after the first fragment and a Ping after the second.',
      'The peer answers the Ping and echoes the message: control frames between fragments do not count towards the message.',
      [ADVISORY.gorillaReadLimit],
    ),
    (limits) => {
      const limit = messageLimitOf(limits);
      const size = Math.max(1, Math.min(frameLimitOf(limits), Math.ceil(limit / 3)));
      const frames = fragmentFrames(Opcode.Binary, binaryOf(limit), limit < 3 ? [limit, 0, 0] : pieceSizes(limit, size));
      const steps: Step[] = frameSteps(frames);
      steps.splice(1, 0, frame(Opcode.Pong, utf8('unsolicited')));
      steps.splice(3, 0, frame(Opcode.Ping, utf8('between fragments')));
      return { steps: [...steps, killAfter(transferSeconds(2 * limit))] };
    },
    'message',
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    spec(
      '15.3.4',
      FRAGMENTED,
      'Send a binary message whose fragments without FIN add up to exactly the declared limit, then a final fragment of one octet.',
      'The peer fails the connection with 1009 at the final fragment (the message is one octet over) and echoes nothing.',
      [ADVISORY.undiciPerFrame],
    ),
    (limits) => {
      const limit = messageLimitOf(limits);
      const size = Math.max(1, Math.min(frameLimitOf(limits), Math.ceil(limit / 4)));
      const frames = fragmentFrames(Opcode.Binary, binaryOf(limit + 1), [...pieceSizes(limit, size), 1]);
      return abusive({ steps: [...frameSteps(frames), killAfter(transferSeconds(limit))], rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' } });
    },
    'message',
  ),
];

// ---- 15.4: floods of tiny fragments ----

const TINY = 'Very many small fragments';
const FRAGMENTS = 100_000;
const PING_EVERY = 10_000;
/** A peer's own cap on fragments may end these cases (§10.4): ws and undici use 1008, others 1009. */
const FRAGMENT_CAP_CODES = [1008, 1009] as const;

/**
 * The frames of a message of FRAGMENTS continuation frames carrying `each`
 * (after a first frame carrying `first`), a Ping after every PING_EVERY of
 * them, and a final frame unless the message stays `open`.
 */
function manyFragments(opcode: typeof Opcode.Text | typeof Opcode.Binary, first: Uint8Array, each: Uint8Array, open: boolean): FrameDescription[] {
  const frames: FrameDescription[] = [{ opcode, fin: false, payload: first }];
  for (let k = 1; k <= FRAGMENTS; k++) {
    frames.push({ opcode: Opcode.Continuation, fin: false, payload: each });
    if (k % PING_EVERY === 0) frames.push({ opcode: Opcode.Ping, payload: utf8(`after ${k} fragments`) });
  }
  if (!open) frames.push({ opcode: Opcode.Continuation, fin: true, payload: first });
  return frames;
}

function fragmentFlood(frames: FrameDescription[], extra: Step[] = []): Scenario {
  return abusive({
    // One stream: the fragments leave as fast as TCP takes them, as a flood would.
    steps: [{ kind: 'stream', frames, cuts: [] }, ...extra, killAfter(10)],
    rules: { ownLimits: { failCodes: FRAGMENT_CAP_CODES } },
  });
}

const tiny: CaseDefinition[] = [
  wscheckCase(
    CATEGORY,
    TITLE,
    alone(spec(
      '15.4.1',
      TINY,
      `Send a text message of ${FRAGMENTS + 2} one-octet fragments as fast as TCP takes them, with a Ping after every ${PING_EVERY} fragments.`,
      'The peer answers every Ping and echoes the whole message (or, within a declared limit below its length, fails with 1009 where it crosses it). A peer with a cap of its own on fragments may fail with 1008 or 1009 instead: INFORMATIONAL, with how far it got.',
      [ADVISORY.wsTinyFragments, ADVISORY.undiciFragmentCount],
    )),
    () => fragmentFlood(manyFragments(Opcode.Text, A, A, false)),
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    alone(spec(
      '15.4.2',
      TINY,
      `Send a binary message of one octet, ${FRAGMENTS} empty continuation frames and a final octet, with a Ping after every ${PING_EVERY} empty frames.`,
      'The peer answers every Ping and echoes the two-octet message; empty fragments cost it nothing it keeps. A cap of its own on fragments (1008 or 1009) is INFORMATIONAL.',
      [ADVISORY.wsEmptyFragments, ADVISORY.undiciFragmentCount],
    )),
    () => fragmentFlood(manyFragments(Opcode.Binary, A, EMPTY, false)),
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    alone(spec(
      '15.4.3',
      TINY,
      `Start a text message and send ${FRAGMENTS} one-octet fragments without ever finishing it, with a Ping after every ${PING_EVERY}; then close normally.`,
      'The peer answers every Ping and the closing handshake; the unfinished message is never delivered. A cap of its own on fragments (1008 or 1009) is INFORMATIONAL.',
      [ADVISORY.wsTinyFragments, ADVISORY.wsDefaultFragmentCap, ADVISORY.undiciFragmentCount],
    )),
    () => fragmentFlood(manyFragments(Opcode.Text, A, A, true)),
  ),
];

// ---- 15.5: one octet per TCP write ----

const TCP = 'One octet per TCP write';

const writes: CaseDefinition[] = [
  wscheckCase(
    CATEGORY,
    TITLE,
    alone(spec('15.5.1', TCP, 'Send a 1000-octet text message in one frame, each octet in a TCP write of its own.', 'The peer echoes the message intact.', [ADVISORY.uwsSplitPayload])),
    () => ({ steps: [frame(Opcode.Text, textOf(1000), { chop: 1 }), killAfter(10)] }),
  ),
  wscheckCase(
    CATEGORY,
    TITLE,
    alone(spec(
      '15.5.2',
      TCP,
      'Send a text message in four 64-octet fragments with a Ping between the second and the third, the whole byte stream one octet per TCP write.',
      'The peer answers the Ping and echoes the 256-octet message intact.',
      [ADVISORY.uwsSplitPayload],
    )),
    () => {
      const frames = fragmentFrames(Opcode.Text, textOf(256), [64, 64, 64, 64]);
      frames.splice(2, 0, { opcode: Opcode.Ping, payload: utf8('one octet at a time') });
      // Enough cuts for every octet whatever the masking adds; cuts past the end are ignored.
      const cuts = Array.from({ length: 400 }, (_, k) => k + 1);
      return { steps: [{ kind: 'stream', frames, cuts }, killAfter(10)] };
    },
  ),
];

export const limitCases: readonly CaseDefinition[] = [...atLimit, ...huge, ...fragmented, ...tiny, ...writes];
