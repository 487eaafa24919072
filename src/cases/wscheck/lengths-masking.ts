/**
 * wscheck category 16, Lengths and Masking (RFC 6455 §5.1, §5.2, §5.3):
 * 64-bit lengths with the most significant bit set or with a small low
 * word, lengths not written in their minimal encoding, frames with the
 * masking their sender's role forbids in every position a frame can take,
 * and frame headers cut by TCP at every octet.
 */
import { Opcode } from '../../codec/opcode.js';
import type { DeclaredLimits } from '../../model/limits.js';
import type { FrameDescription, Scenario, Step } from '../../model/scenario.js';
import { EMPTY, repeat, utf8 } from '../payload.js';
import { frame, killAfter } from '../steps.js';
import type { Advisory, CaseDefinition } from '../types.js';
import { type WscheckCaseSpec, abusive, wscheckCase, caseSpec } from './build.js';

const CATEGORY = '16';
const TITLE = 'Lengths and Masking';

const ADVISORY = {
  gorillaOverflow: { id: 'CVE-2020-27813', url: 'https://github.com/advisories/GHSA-3xh2-74w9-5vxm', project: 'gorilla/websocket' },
  tomcatLength: { id: 'CVE-2020-13935', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-13935', project: 'Apache Tomcat' },
  undiciLength: { id: 'CVE-2026-1528', url: 'https://github.com/advisories/GHSA-f269-vfmq-vjvj', project: 'undici' },
  wsMasking: { id: 'ws#1681', url: 'https://github.com/websockets/ws/pull/1681', project: 'ws' },
  webSocketNodeUnmasked: { id: 'WebSocket-Node#226', url: 'https://github.com/theturtle32/WebSocket-Node/issues/226', project: 'WebSocket-Node' },
  bunUnmasked: { id: 'bun#32820', url: 'https://github.com/oven-sh/bun/pull/32820', project: 'Bun' },
  uwsUnmasked: { id: 'uWebSockets#691', url: 'https://github.com/uNetworking/uWebSockets/issues/691', project: 'uWebSockets' },
  ladybirdMasked: { id: 'ladybird#12032', url: 'https://github.com/LadybirdBrowser/ladybird/pull/12032', project: 'Ladybird' },
  aiohttpDirection: { id: 'aiohttp#12677', url: 'https://github.com/aio-libs/aiohttp/pull/12677', project: 'aiohttp' },
  uwsSplitPayload: { id: 'uWebSockets#1407', url: 'https://github.com/uNetworking/uWebSockets/issues/1407', project: 'uWebSockets' },
} as const satisfies Record<string, Advisory>;

const HELLO = utf8('Hello');
const spec = caseSpec;
const build = (s: WscheckCaseSpec, scenario: (limits: DeclaredLimits | undefined) => Scenario): CaseDefinition => wscheckCase(CATEGORY, TITLE, s, scenario);

/** The peer must fail the connection; if the tester has to end it instead, the behaviour fails too. */
const mustFail = (steps: Step[]): Scenario => abusive({ steps: [...steps, killAfter(2)], rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' } });

// ---- 16.1: the most significant bit of a 64-bit length ----

const MSB = '64-bit lengths with the most significant bit set';
const MSB_RULE = 'RFC 6455 §5.2';
const MSB_EXPECTATION = 'The peer fails the connection at once with 1002 (or 1009, as several libraries do); it echoes nothing and does not hang.';

const msb: CaseDefinition[] = [
  build(spec('16.1.1', MSB, MSB_RULE, 'Send a binary frame whose 64-bit length is 2^63 + 5 (most significant bit set), followed by 5 octets.', `${MSB_EXPECTATION} Reading the length without its top bit would give 5.`, [ADVISORY.gorillaOverflow, ADVISORY.tomcatLength, ADVISORY.undiciLength]), () =>
    mustFail([frame(Opcode.Binary, HELLO, { lengthEncoding: 64, declaredLength: 2n ** 63n + 5n })]),
  ),
  build(spec('16.1.2', MSB, MSB_RULE, 'Send the header of a binary frame whose 64-bit length has every bit set (2^64 − 1), then nothing.', MSB_EXPECTATION, [ADVISORY.tomcatLength, ADVISORY.undiciLength]), () =>
    mustFail([frame(Opcode.Binary, EMPTY, { lengthEncoding: 64, declaredLength: 2n ** 64n - 1n })]),
  ),
  build(
    spec('16.1.3', MSB, MSB_RULE, 'Send the first fragment of a text message, then a continuation frame whose 64-bit length is 2^63 + 5, followed by 5 octets.', `${MSB_EXPECTATION} Nothing of the message is echoed.`, [ADVISORY.gorillaOverflow]),
    () => mustFail([frame(Opcode.Text, utf8('first'), { fin: false }), frame(Opcode.Continuation, HELLO, { lengthEncoding: 64, declaredLength: 2n ** 63n + 5n })]),
  ),
  build(spec('16.1.4', MSB, 'RFC 6455 §5.2, §5.5', 'Send a Ping whose length uses the 64-bit form with the most significant bit set (2^63 + 4), followed by 4 octets.', 'The peer fails the connection with 1002 (a control frame that long is a protocol error too) and sends no Pong.'), () =>
    mustFail([frame(Opcode.Ping, utf8('ping'), { lengthEncoding: 64, declaredLength: 2n ** 63n + 4n })]),
  ),
];

// ---- 16.2: lengths whose low 32 bits are small ----

const WIDE = 'Lengths beyond 32 bits';
const WIDE_RULE = 'RFC 6455 §5.2, §10.4';

/** A frame announcing `length` octets whose low 32 bits are 3, followed by those 3 octets. */
function wideLength(length: bigint, limits: DeclaredLimits | undefined): Scenario {
  const declared = limits?.maxMessage !== undefined || limits?.maxFrame !== undefined;
  return abusive({
    steps: [frame(Opcode.Binary, utf8('abc'), { lengthEncoding: 64, declaredLength: length }), killAfter(2)],
    rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail', ...(declared ? {} : { ownLimits: { mayWait: true } }) },
  });
}

const wide: CaseDefinition[] = [
  build(
    spec(
      '16.2.1',
      WIDE,
      WIDE_RULE,
      'Send a binary frame announcing 2^32 + 3 octets (low 32 bits: 3), followed by 3 octets, then nothing.',
      'The peer fails the connection with 1009 (over its limit) without waiting, or, with no declared limit, waits for the rest (INFORMATIONAL). It never echoes the 3 octets: that would mean it read only the low 32 bits of the length.',
      [ADVISORY.gorillaOverflow, ADVISORY.undiciLength],
    ),
    (limits) => wideLength(2n ** 32n + 3n, limits),
  ),
  build(
    spec(
      '16.2.2',
      WIDE,
      WIDE_RULE,
      'Send a binary frame announcing 2^31 + 3 octets (negative as a signed 32-bit number), followed by 3 octets, then nothing.',
      'The peer fails the connection with 1009 without waiting, or, with no declared limit, waits for the rest (INFORMATIONAL); it never echoes the 3 octets.',
      [ADVISORY.undiciLength],
    ),
    (limits) => wideLength(2n ** 31n + 3n, limits),
  ),
];

// ---- 16.3: lengths not in their minimal encoding ----

const NON_MINIMAL = 'Lengths not in their minimal encoding';
const NON_MINIMAL_RULE = 'RFC 6455 §5.2';
// `finish: 'complete'`: the tester closes once the echo is back, and a peer that refused the frame is
// judged by the closing of the refusing trace it followed, not the echoing one.
const NON_MINIMAL_EXPECTATION =
  'RFC 6455 §5.2 requires the minimal encoding of the sender only: the peer echoes the message (OK) or fails the connection with 1002 (NON-STRICT). Anything else means it misread where the header ends.';

const nonMinimal: CaseDefinition[] = [
  build(spec('16.3.1', NON_MINIMAL, NON_MINIMAL_RULE, 'Send the text "Hello" with its length written in the 16-bit form (126, then 5).', NON_MINIMAL_EXPECTATION), () => ({
    steps: [frame(Opcode.Text, HELLO, { lengthEncoding: 16 }), killAfter(2)],
    finish: 'complete',
  })),
  build(spec('16.3.2', NON_MINIMAL, NON_MINIMAL_RULE, 'Send the text "Hello" with its length written in the 64-bit form (127, then 5).', NON_MINIMAL_EXPECTATION), () => ({
    steps: [frame(Opcode.Text, HELLO, { lengthEncoding: 64 }), killAfter(2)],
    finish: 'complete',
  })),
  build(spec('16.3.3', NON_MINIMAL, NON_MINIMAL_RULE, 'Send a 300-octet binary message with its length written in the 64-bit form (the 16-bit form would do).', NON_MINIMAL_EXPECTATION), () => ({
    steps: [frame(Opcode.Binary, repeat(Uint8Array.from([0x00, 0xfe, 0x23]), 300), { lengthEncoding: 64 }), killAfter(2)],
    finish: 'complete',
  })),
  build(
    spec(
      '16.3.4',
      NON_MINIMAL,
      'RFC 6455 §5.2, §5.5',
      'Send a Ping of 4 octets with its length written in the 16-bit form (126, then 4).',
      'Its length is 4, within the 125 octets a control frame may carry: the peer answers with a Pong (OK) or fails the connection with 1002 (NON-STRICT).',
    ),
    () => ({ steps: [frame(Opcode.Ping, utf8('ping'), { lengthEncoding: 16 }), killAfter(2)], finish: 'complete' }),
  ),
];

// ---- 16.4: the masking the sender's role forbids ----

const MASKING = 'Masking the sender\'s role forbids';
const MASKING_RULE = 'RFC 6455 §5.1';
const WRONG = { maskKey: 'wrong' } as const;
const MASKING_ADVISORIES = [ADVISORY.wsMasking, ADVISORY.webSocketNodeUnmasked, ADVISORY.bunUnmasked, ADVISORY.uwsUnmasked, ADVISORY.ladybirdMasked, ADVISORY.aiohttpDirection];
const masking = (id: string, description: string, expectation: string, steps: Step[]): CaseDefinition =>
  build(
    spec(
      id,
      MASKING,
      MASKING_RULE,
      `${description} "Wrong" is unmasked when the peer is a server and masked when it is a client.`,
      `${expectation} (§5.1: a server MUST close the connection on an unmasked frame, a client on a masked one.)`,
      MASKING_ADVISORIES,
    ),
    () => mustFail(steps),
  );

const maskingCases: CaseDefinition[] = [
  masking('16.4.1', 'Send a text message "Hello" in one frame with the wrong masking.', 'The peer fails the connection (1002, or closing TCP) and echoes nothing.', [frame(Opcode.Text, HELLO, WRONG)]),
  masking('16.4.2', 'Send an empty text frame with the wrong masking.', 'The peer fails the connection and echoes nothing: the mask bit is wrong even with no payload to mask.', [frame(Opcode.Text, EMPTY, WRONG)]),
  masking(
    '16.4.3',
    'Send the first fragment of a text message correctly masked, then its final fragment with the wrong masking.',
    'The peer fails the connection at the second fragment and echoes nothing.',
    [frame(Opcode.Text, utf8('first '), { fin: false }), frame(Opcode.Continuation, utf8('second'), WRONG)],
  ),
  masking(
    '16.4.4',
    'Send the first fragment of a text message with the wrong masking, then its final fragment correctly masked.',
    'The peer fails the connection at the first fragment and echoes nothing.',
    [frame(Opcode.Text, utf8('first '), { fin: false, ...WRONG }), frame(Opcode.Continuation, utf8('second'))],
  ),
  masking('16.4.5', 'Send a Ping with the wrong masking.', 'The peer fails the connection and sends no Pong.', [frame(Opcode.Ping, utf8('ping'), WRONG)]),
  masking(
    '16.4.6',
    'Send the first fragment of a text message, a Ping with the wrong masking, then the final fragment (both fragments correctly masked).',
    'The peer fails the connection at the Ping: no Pong, no echo.',
    [frame(Opcode.Text, utf8('first '), { fin: false }), frame(Opcode.Ping, utf8('ping'), WRONG), frame(Opcode.Continuation, utf8('second'))],
  ),
  masking('16.4.7', 'Send a Close with status code 1000 and the wrong masking.', 'The peer fails the connection with 1002 (or closes TCP); it does not answer with a normal 1000 closing handshake.', [
    frame(Opcode.Close, Uint8Array.from([0x03, 0xe8]), WRONG),
  ]),
  masking('16.4.8', 'Send an unsolicited Pong with the wrong masking, then the text message "Hello" correctly masked.', 'The peer fails the connection at the Pong and echoes nothing.', [
    frame(Opcode.Pong, utf8('pong'), WRONG),
    frame(Opcode.Text, HELLO),
  ]),
];

// ---- 16.5: frame headers cut by TCP at every octet ----

const CUT = 'Frame headers cut by TCP';
const CUT_RULE = 'RFC 6455 §5.2 (a frame is a sequence of octets in a TCP stream, delivered in any pieces)';

/**
 * Copies of one binary frame of `length` octets, copy k written in two TCP
 * writes cut after its k-th octet, for k = 1 … 13: every octet boundary of
 * the longest header (2 octets, 8 of 64-bit length, 4 of masking key) and,
 * for shorter headers, the first payload octets. Each copy's payload differs,
 * so an echo shows which copy it came from. An empty Pong goes first, in a
 * write of its own, so that the first copy's pieces are read apart.
 */
function cutHeaders(length: number): Scenario {
  const steps: Step[] = [{ kind: 'stream', frames: [{ opcode: Opcode.Pong, payload: EMPTY }], cuts: [] }];
  for (let k = 1; k <= 13; k++) {
    const payload = repeat(Uint8Array.from([0x40 + k, 0x30 + (k % 10)]), length);
    const f: FrameDescription = { opcode: Opcode.Binary, payload };
    steps.push({ kind: 'stream', frames: [f], cuts: [k] });
  }
  return { steps: [...steps, killAfter(5)] };
}

const cut: CaseDefinition[] = [
  build(
    spec('16.5.1', CUT, CUT_RULE, 'Send 13 binary messages of 20 octets (7-bit length), the n-th cut into two TCP writes after its n-th octet: every octet of the header and masking key.', 'The peer echoes all 13 messages intact, in order.', [
      ADVISORY.uwsSplitPayload,
    ]),
    () => cutHeaders(20),
  ),
  build(
    spec('16.5.2', CUT, CUT_RULE, 'As 16.5.1 with messages of 300 octets (16-bit length): cuts inside the extended length and the masking key.', 'The peer echoes all 13 messages intact, in order.', [ADVISORY.uwsSplitPayload]),
    () => cutHeaders(300),
  ),
  build(
    spec('16.5.3', CUT, CUT_RULE, 'As 16.5.1 with messages of 65 536 octets (64-bit length): cuts at every octet of the 14-octet header.', 'The peer echoes all 13 messages intact, in order.', [ADVISORY.uwsSplitPayload]),
    () => cutHeaders(65_536),
  ),
];

export const lengthMaskingCases: readonly CaseDefinition[] = [...msb, ...wide, ...nonMinimal, ...maskingCases, ...cut];
