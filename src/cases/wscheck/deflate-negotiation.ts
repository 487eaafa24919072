/**
 * wscheck category 18, permessage-deflate Negotiation and Abuse (RFC 7692):
 * offers a server must decline (18.1) and answers a client must fail the
 * connection for (18.2), RSV bits where no extension or not this extension
 * gives them meaning (18.3), empty DEFLATE blocks at the end of a message
 * (18.4), decompression bombs against the declared message limit (18.5) and
 * compressed data that is not DEFLATE (18.6).
 *
 * The compressed payloads are octets written here; what a conforming peer
 * makes of them is the model's business: with `deflate.modelled` the
 * reference peer runs the codec's permessage-deflate over its own DEFLATE
 * decoder, and the reference handshakes decide declines and failures.
 */
import { Opcode } from '../../codec/opcode.js';
import type { HeadEdit } from '../../model/handshake-variation.js';
import { type DeclaredLimits, messageLimitOf } from '../../model/limits.js';
import { ANSWERS_TO_FAIL, OFFERS_TO_DECLINE } from '../../model/deflate-parameters.js';
import type { DeflateRequirement, FrameDescription, Scenario, Step } from '../../model/scenario.js';
import { EMPTY, hex, utf8 } from '../payload.js';
import { frame, killAfter, message } from '../steps.js';
import type { Advisory, CaseDefinition } from '../types.js';
import { type LimitNeed, type WscheckCaseSpec, abusive, pieceSizes, transferSeconds, wscheckCase, caseSpec } from './build.js';
import { DEFLATED_HELLO, DEFLATED_WORLD, SYNC_TRAILER, deflatedDistanceBeforeStart, deflatedZeros } from './deflate-payloads.js';

const CATEGORY = '18';
const TITLE = 'permessage-deflate Negotiation and Abuse';

const ADVISORY = {
  undiciWindowBits: { id: 'CVE-2026-2229', url: 'https://github.com/advisories/GHSA-v9p9-hfj2-hcw8', project: 'undici' },
  undiciBomb: { id: 'CVE-2026-1526', url: 'https://github.com/advisories/GHSA-vrm6-8vpv-qv8q', project: 'undici' },
  fayeWindowBits: {
    id: 'permessage-deflate-node windowBits DoS',
    url: 'https://github.com/faye/permessage-deflate-node/wiki/Denial-of-service-caused-by-invalid-windowBits-parameter-passed-to-zlib.createDeflateRaw()',
    project: 'permessage-deflate (faye)',
  },
  aiohttpUnnegotiated: { id: 'aiohttp#12976', url: 'https://github.com/aio-libs/aiohttp/pull/12976', project: 'aiohttp' },
  dartRsv1: { id: 'dart-lang/sdk#63488', url: 'https://github.com/dart-lang/sdk/pull/63488', project: 'Dart SDK' },
  websocketsContinuation: { id: 'websockets#1720', url: 'https://github.com/python-websockets/websockets/issues/1720', project: 'websockets (Python)' },
  jettyContinuation: { id: 'jetty#3159', url: 'https://github.com/jetty/jetty.project/issues/3159', project: 'Jetty' },
  bunControlRsv1: { id: 'bun#33001', url: 'https://github.com/oven-sh/bun/pull/33001', project: 'Bun' },
  aiohttpInterleaved: { id: 'aiohttp#12988', url: 'https://github.com/aio-libs/aiohttp/pull/12988', project: 'aiohttp' },
  aiohttpPongReset: { id: 'aiohttp#13274', url: 'https://github.com/aio-libs/aiohttp/issues/13274', project: 'aiohttp' },
  nginxClojureUncompressed: { id: 'nginx-clojure#163', url: 'https://github.com/nginx-clojure/nginx-clojure/issues/163', project: 'nginx-clojure' },
  emptyBlock: { id: 'autobahn-testsuite#59', url: 'https://github.com/crossbario/autobahn-testsuite/issues/59', project: 'browsers (Chrome, Firefox)' },
  wsBombCode: { id: 'ws#2285', url: 'https://github.com/websockets/ws/pull/2285', project: 'ws' },
  httpcomponentsBomb: { id: 'httpcomponents-client#821', url: 'https://github.com/apache/httpcomponents-client/pull/821', project: 'Apache HttpComponents' },
} as const satisfies Record<string, Advisory>;

/** permessage-deflate with no parameters, compressed in the model too (see DeflateRequirement.modelled). */
const DEFLATE: DeflateRequirement = { accept: 'accept_deflate', modelled: true };

const HELLO = utf8('Hello');
const RSV1 = 4;
const RSV2 = 2;

const spec = caseSpec;

const build = (s: WscheckCaseSpec, scenario: (limits: DeclaredLimits | undefined) => Scenario, needs?: LimitNeed): CaseDefinition => wscheckCase(CATEGORY, TITLE, s, scenario, needs);

/** A case for one role of the peer only (the handshake variations). */
const only = (role: 'server' | 'client', c: CaseDefinition): CaseDefinition => ({ ...c, roles: [role] });

/** The peer must fail the connection; if the tester has to end it instead, the behaviour fails too. */
const mustFail = (steps: Step[], deflate?: DeflateRequirement, seconds = 2): Scenario =>
  abusive({ steps: [...steps, killAfter(seconds)], rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' }, ...(deflate !== undefined ? { deflate } : {}) });

/** Frames the tester writes, then a watchdog; the model says whether they are echoed or refused. */
const echoedWithDeflate = (steps: Step[], seconds = 2): Scenario => ({ steps: [...steps, killAfter(seconds)], deflate: DEFLATE, rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' } });

// ---- 18.1: offers a server must decline ----

const OFFERS = 'Offers a server must decline';
const offerExpectation =
  'The server declines the offer: it upgrades without agreeing to permessage-deflate and echoes the message. Refusing the whole handshake (a 4xx) is NON-STRICT; accepting the offer is FAILED.';

/** The tester offers exactly `offer` (the case's only Sec-WebSocket-Extensions), then sends a text message. */
function offerCase(id: string, offer: string, why: string, rfc: string, advisories?: readonly Advisory[]): CaseDefinition {
  const edits: HeadEdit[] = [{ kind: 'set', name: 'Sec-WebSocket-Extensions', value: offer }];
  return only(
    'server',
    build(spec(id, OFFERS, rfc, `Offer "Sec-WebSocket-Extensions: ${offer}" (${why}), then send the text message "Hello".`, offerExpectation, advisories), () => ({
      steps: [message(false, HELLO), killAfter(2)],
      opening: { request: { edits } },
      rules: { refusalAllowed: true },
    })),
  );
}

// Known library behaviour, by case.
const OFFER_ADVISORIES: Readonly<Record<number, readonly Advisory[]>> = { 1: [ADVISORY.fayeWindowBits], 2: [ADVISORY.fayeWindowBits], 6: [ADVISORY.fayeWindowBits] };

const offers: CaseDefinition[] = OFFERS_TO_DECLINE.map((o, k) => offerCase(`18.1.${k + 1}`, o.value, o.why, o.rfc, OFFER_ADVISORIES[k + 1]));

// ---- 18.2: answers a client must fail the connection for ----

const ANSWERS = 'Answers a client must fail the connection for';
const answerExpectation =
  'The client fails the WebSocket connection: it closes TCP without delivering or echoing the compressed message that follows the 101 (and without crashing: a new connection follows).';

/** "Hello" compressed, in the same TCP write as the 101: a client that took the answer would inflate it under the bad parameters. */
const COMPRESSED_HELLO: FrameDescription = { opcode: Opcode.Text, rsv: RSV1, payload: DEFLATED_HELLO };

/** The tester answers the client's request with a 101 agreeing to exactly `answer`. */
function answerCase(id: string, answer: string, why: string, rfc: string, advisories?: readonly Advisory[]): CaseDefinition {
  const edits: HeadEdit[] = [{ kind: 'set', name: 'Sec-WebSocket-Extensions', value: answer }];
  return only(
    'client',
    build(spec(id, ANSWERS, rfc, `Answer with a 101 carrying "Sec-WebSocket-Extensions: ${answer}" (${why}), and a compressed text message "Hello" in the same write.`, answerExpectation, advisories), () => ({
      steps: [killAfter(2)],
      opening: { response: { edits, frames: [COMPRESSED_HELLO] } },
      probeAfter: true,
    })),
  );
}

const ANSWER_ADVISORIES: Readonly<Record<number, readonly Advisory[]>> = { 1: [ADVISORY.undiciWindowBits], 2: [ADVISORY.undiciWindowBits], 3: [ADVISORY.undiciWindowBits] };

const answers: CaseDefinition[] = ANSWERS_TO_FAIL.map((a, k) => answerCase(`18.2.${k + 1}`, a.value, a.why, a.rfc, ANSWER_ADVISORIES[k + 1]));

// ---- 18.3: RSV bits that no agreed extension gives meaning ----

const RSV = 'RSV bits without meaning';
const FAIL_1002 = 'The peer fails the connection with 1002 (protocol error) and echoes nothing of the message.';

const rsv: CaseDefinition[] = [
  build(
    spec('18.3.1', RSV, 'RFC 6455 §5.2, RFC 7692 §6', 'Without permessage-deflate negotiated, send "Hello" compressed as a text frame with RSV1 set.', `${FAIL_1002} Inflating it anyway would echo "Hello".`, [ADVISORY.aiohttpUnnegotiated, ADVISORY.dartRsv1]),
    () => mustFail([frame(Opcode.Text, DEFLATED_HELLO, { rsv: RSV1 })]),
  ),
  build(
    spec('18.3.2', RSV, 'RFC 7692 §6.1', 'With permessage-deflate, send "Hello" compressed in two frames, RSV1 set on both the first frame and the continuation frame.', FAIL_1002, [ADVISORY.websocketsContinuation, ADVISORY.jettyContinuation, ADVISORY.bunControlRsv1]),
    () => mustFail([frame(Opcode.Text, DEFLATED_HELLO.subarray(0, 3), { rsv: RSV1, fin: false }), frame(Opcode.Continuation, DEFLATED_HELLO.subarray(3), { rsv: RSV1 })], DEFLATE),
  ),
  build(
    spec('18.3.3', RSV, 'RFC 7692 §6.1', 'With permessage-deflate, send a text message whose first frame "Hel" has RSV1 clear and whose continuation "lo" has RSV1 set.', FAIL_1002, [ADVISORY.jettyContinuation]),
    () => mustFail([frame(Opcode.Text, utf8('Hel'), { fin: false }), frame(Opcode.Continuation, utf8('lo'), { rsv: RSV1 })], DEFLATE),
  ),
  build(
    spec('18.3.4', RSV, 'RFC 7692 §6.1', 'With permessage-deflate, send a Ping with RSV1 set, then the text message "Hello" uncompressed.', 'The peer fails the connection with 1002 at the Ping: no Pong, no echo.', [ADVISORY.bunControlRsv1]),
    () => mustFail([frame(Opcode.Ping, utf8('ping'), { rsv: RSV1 }), frame(Opcode.Text, HELLO)], DEFLATE),
  ),
  build(
    spec('18.3.5', RSV, 'RFC 7692 §6.1', 'With permessage-deflate, send the first frame of a compressed message, a Ping with RSV1 set, then the continuation frame.', 'The peer fails the connection with 1002 at the Ping; the message is never echoed.', [ADVISORY.bunControlRsv1]),
    () => mustFail([frame(Opcode.Text, DEFLATED_HELLO.subarray(0, 3), { rsv: RSV1, fin: false }), frame(Opcode.Ping, utf8('ping'), { rsv: RSV1 }), frame(Opcode.Continuation, DEFLATED_HELLO.subarray(3))], DEFLATE),
  ),
  build(
    spec('18.3.6', RSV, 'RFC 6455 §5.2, RFC 7692 §6', 'With permessage-deflate, send "Hello" compressed as a text frame with RSV1 and RSV2 set (permessage-deflate defines RSV1 only).', FAIL_1002),
    () => mustFail([frame(Opcode.Text, DEFLATED_HELLO, { rsv: RSV1 | RSV2 })], DEFLATE),
  ),
  build(
    spec(
      '18.3.7',
      RSV,
      'RFC 6455 §5.4, RFC 7692 §6.1',
      'With permessage-deflate, send "Hello" compressed in three frames (RSV1 on the first only) with a Ping between the first and the second, and a Pong between the second and the third.',
      'Valid: control frames may come between the fragments and leave the message compressed. The peer answers the Ping and echoes "Hello".',
      [ADVISORY.aiohttpInterleaved, ADVISORY.aiohttpPongReset],
    ),
    () =>
      echoedWithDeflate([
        frame(Opcode.Text, DEFLATED_HELLO.subarray(0, 2), { rsv: RSV1, fin: false }),
        frame(Opcode.Ping, utf8('ping')),
        frame(Opcode.Continuation, DEFLATED_HELLO.subarray(2, 5), { fin: false }),
        frame(Opcode.Pong, EMPTY),
        frame(Opcode.Continuation, DEFLATED_HELLO.subarray(5)),
      ]),
  ),
  build(
    spec('18.3.8', RSV, 'RFC 7692 §6', 'With permessage-deflate, send a Pong, then "Hello" uncompressed (RSV1 clear), then "World" compressed.', 'Valid: a message with RSV1 clear is not compressed. The peer echoes "Hello" and "World".', [ADVISORY.nginxClojureUncompressed, ADVISORY.aiohttpPongReset]),
    () => echoedWithDeflate([frame(Opcode.Pong, EMPTY), frame(Opcode.Text, HELLO), frame(Opcode.Text, DEFLATED_WORLD, { rsv: RSV1 })]),
  ),
];

// ---- 18.4: empty DEFLATE blocks ----

const EMPTY_BLOCKS = 'Empty DEFLATE blocks';
const EMPTY_RULE = 'RFC 7692 §7.2.1, §7.2.2, §7.2.3.6';

const emptyBlocks: CaseDefinition[] = [
  build(
    spec(
      '18.4.1',
      EMPTY_BLOCKS,
      EMPTY_RULE,
      'The example of RFC 7692 §7.2.3.6, twice: "Hello" compressed and flushed with its 00 00 ff ff kept in a first frame, and a final continuation frame of one octet 00 (an empty stored block, completed by the 00 00 ff ff the receiver appends); then "World" the same way.',
      'Valid. The peer echoes "Hello" and "World".',
      [ADVISORY.emptyBlock],
    ),
    () => {
      const flushed = (d: Uint8Array): Uint8Array => Uint8Array.from([...d, ...SYNC_TRAILER]);
      return echoedWithDeflate([
        frame(Opcode.Text, flushed(DEFLATED_HELLO), { rsv: RSV1, fin: false }),
        frame(Opcode.Continuation, hex('00')),
        frame(Opcode.Text, flushed(DEFLATED_WORLD), { rsv: RSV1, fin: false }),
        frame(Opcode.Continuation, hex('00')),
      ]);
    },
  ),
  build(
    spec('18.4.2', EMPTY_BLOCKS, EMPTY_RULE, 'Send "Hello" compressed in a first frame with RSV1, then an empty final continuation frame.', 'Valid: the message is the concatenation of its fragments. The peer echoes "Hello".', [ADVISORY.emptyBlock]),
    () => echoedWithDeflate([frame(Opcode.Text, DEFLATED_HELLO, { rsv: RSV1, fin: false }), frame(Opcode.Continuation, EMPTY)]),
  ),
  build(
    spec('18.4.3', EMPTY_BLOCKS, EMPTY_RULE, 'Send an empty text message compressed: one frame with RSV1 whose payload is the octet 00 (an empty stored block).', 'Valid. The peer echoes an empty text message.'),
    () => echoedWithDeflate([frame(Opcode.Text, hex('00'), { rsv: RSV1 })]),
  ),
];

// ---- 18.5: decompression bombs against the declared message limit ----

const BOMBS = 'Decompression bombs';
const BOMB_RULE = 'RFC 6455 §10.4, RFC 7692 §8.1';
const BOMB_EXPECTATION =
  'The peer fails the connection with 1009 (message too big) once the decompressed message passes its declared limit, without inflating the rest and without echoing.';
const BOMB_ADVISORIES = [ADVISORY.undiciBomb, ADVISORY.wsBombCode, ADVISORY.httpcomponentsBomb];

/** Room for the largest bomb: it is small on the wire, but the peer may inflate up to its limit first. */
const bombSeconds = (limits: DeclaredLimits | undefined): number => transferSeconds(messageLimitOf(limits) * 2);

/** At most this far past the limit: enough to show the limit holds, not so much that a peer without one takes minutes. */
const MAX_OVERSHOOT = 64 * 1024 * 1024;

/** Zeros inflating to sixteen times the limit, or to 64 MiB past it. */
const bombOf = (limits: DeclaredLimits | undefined): Uint8Array => {
  const limit = messageLimitOf(limits);
  return deflatedZeros(Math.min(limit * 16, limit + MAX_OVERSHOOT));
};

const bombs: CaseDefinition[] = [
  build(
    spec('18.5.1', BOMBS, BOMB_RULE, 'Send one compressed binary frame that inflates to one octet more than the declared message limit (zeros, about 1/160 of that on the wire).', BOMB_EXPECTATION, BOMB_ADVISORIES),
    (limits) => mustFail([frame(Opcode.Binary, deflatedZeros(messageLimitOf(limits) + 1), { rsv: RSV1 })], DEFLATE, bombSeconds(limits)),
    'message',
  ),
  build(
    spec('18.5.2', BOMBS, BOMB_RULE, 'Send one compressed binary frame that inflates to sixteen times the declared message limit (at most 64 MiB past it).', BOMB_EXPECTATION, BOMB_ADVISORIES),
    (limits) => mustFail([frame(Opcode.Binary, bombOf(limits), { rsv: RSV1 })], DEFLATE, bombSeconds(limits)),
    'message',
  ),
  build(
    spec('18.5.3', BOMBS, BOMB_RULE, 'Send the bomb of 18.5.2 as a fragmented message, 1024 octets of compressed data per frame (RSV1 on the first only).', BOMB_EXPECTATION, BOMB_ADVISORIES),
    (limits) => {
      const bomb = bombOf(limits);
      let at = 0;
      const frames = pieceSizes(bomb.length, 1024).map((n, k, all) => {
        const f = frame(k === 0 ? Opcode.Binary : Opcode.Continuation, bomb.subarray(at, at + n), { rsv: k === 0 ? RSV1 : 0, fin: k === all.length - 1 });
        at += n;
        return f;
      });
      return mustFail(frames, DEFLATE, bombSeconds(limits));
    },
    'message',
  ),
  build(
    spec('18.5.4', BOMBS, BOMB_RULE, 'Send one compressed binary frame that inflates to exactly the declared message limit.', 'Valid: the message is within the limit. The peer echoes it (compressed or not).'),
    (limits) => echoedWithDeflate([frame(Opcode.Binary, deflatedZeros(messageLimitOf(limits)), { rsv: RSV1 })], bombSeconds(limits)),
    'message',
  ),
];

// ---- 18.6: compressed data that is not DEFLATE ----

const CORRUPT = 'Compressed data that is not DEFLATE';
const CORRUPT_RULE = 'RFC 7692 §7.2.2, RFC 1951 §3.2';
const CORRUPT_EXPECTATION = 'The peer fails the connection with 1007 (or 1002: RFC 7692 names no code) and echoes nothing.';

const corrupt: CaseDefinition[] = [
  build(
    spec('18.6.1', CORRUPT, CORRUPT_RULE, 'With permessage-deflate, send a text frame with RSV1 whose payload ff ff ff starts a DEFLATE block of the reserved type 11.', CORRUPT_EXPECTATION),
    () => mustFail([frame(Opcode.Text, hex('ffffff'), { rsv: RSV1 })], DEFLATE),
  ),
  build(
    spec('18.6.2', CORRUPT, CORRUPT_RULE, 'With permessage-deflate, send a text frame with RSV1 holding a stored block "Hello" whose NLEN is not the complement of its LEN.', CORRUPT_EXPECTATION),
    () => mustFail([frame(Opcode.Text, Uint8Array.from([0x00, 0x05, 0x00, 0x00, 0x00, ...HELLO, 0x00]), { rsv: RSV1 })], DEFLATE),
  ),
  build(
    spec('18.6.3', CORRUPT, CORRUPT_RULE, 'As the first message of the connection, send a compressed text frame whose first symbol copies 3 octets from distance 1, before any octet exists.', CORRUPT_EXPECTATION),
    () => mustFail([frame(Opcode.Text, deflatedDistanceBeforeStart(), { rsv: RSV1 })], DEFLATE),
  ),
];

export const deflateNegotiationCases: readonly CaseDefinition[] = [...offers, ...answers, ...rsv, ...emptyBlocks, ...bombs, ...corrupt];
