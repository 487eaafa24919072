/**
 * wscheck category 14, Opening Handshake (RFC 6455 §4, §9; RFC 7230 header
 * syntax): the handshake Autobahn never varies, where many WebSocket CVEs
 * lived. Testing a server, the tester sends requests that are invalid
 * (14.1), valid in unusual forms (14.2) or hostile (14.3); testing a client,
 * it answers with a 101 that is invalid (14.4) or valid in unusual forms
 * (14.5). Which answers and reactions are acceptable is computed by the
 * model (opening-oracle.ts) from the varied octets; the cases only say what
 * the tester changes.
 */
import { Opcode } from '../../codec/opcode.js';
import { type AnswerTiming, type HeadEdit, type HeaderValue, type RequestVariation, type ResponseVariation, SAME_SIZE_TIMING, UNDER_16_KIB } from '../../model/handshake-variation.js';
import type { FrameDescription, Scenario, Step, VerdictRules } from '../../model/scenario.js';
import { utf8 } from '../payload.js';
import { killAfter, message } from '../steps.js';
import type { Advisory, CaseDefinition } from '../types.js';

const CATEGORY = '14';
const TITLE = 'Opening Handshake';

const ADVISORY = {
  wsProtocolRedos: { id: 'CVE-2021-32640', url: 'https://github.com/websockets/ws/security/advisories/GHSA-6fc8-4gx4-v693', project: 'ws' },
  wsExtensionNames: { id: 'GHSA-5v72-xg48-5rpm', url: 'https://github.com/advisories/GHSA-5v72-xg48-5rpm', project: 'ws' },
  wsHeaderCount: { id: 'CVE-2024-37890', url: 'https://github.com/advisories/GHSA-3h5v-q93c-6h6q', project: 'ws' },
  extensionsRedos: { id: 'CVE-2020-7662', url: 'https://github.com/advisories/GHSA-g78m-2chm-r7qv', project: 'websocket-extensions' },
  tungsteniteHead: { id: 'CVE-2023-43669', url: 'https://github.com/advisories/GHSA-9mcr-873m-xcxp', project: 'tungstenite' },
  bunUpgrade: { id: 'bun#35298', url: 'https://github.com/oven-sh/bun/pull/35298', project: 'Bun' },
  coderKey: { id: 'coder/websocket#360', url: 'https://github.com/coder/websocket/pull/360', project: 'coder/websocket' },
  asyncHttpClientAccept: { id: 'async-http-client#2211', url: 'https://github.com/AsyncHttpClient/async-http-client/pull/2211', project: 'AsyncHttpClient' },
  bunAccept: { id: 'bun#27504', url: 'https://github.com/oven-sh/bun/pull/27504', project: 'Bun' },
} as const satisfies Record<string, Advisory>;

const HELLO = utf8('Hello');
const TEXT_HELLO: FrameDescription = { opcode: Opcode.Text, payload: HELLO };

/**
 * What the tester does once a connection it expects to open is open: one
 * message to echo, and a watchdog (the tester closes as soon as the echo is in).
 */
const ECHO: Step[] = [message(false, HELLO), killAfter(2)];

/** The same budget against the tester's usual head (a head that is large by padding alone). */
const PLAIN: AnswerTiming = { ...SAME_SIZE_TIMING, baseline: 'plain' };

interface CaseText {
  readonly id: string;
  readonly subcategoryTitle: string;
  readonly description: string;
  readonly expectation: string;
  readonly rfc: string;
  readonly advisories?: readonly Advisory[];
  /** See CaseDefinition.exclusive: the hostile heads are timed, so they run alone. */
  readonly exclusive?: boolean;
}

function handshakeCase(text: CaseText, role: 'server' | 'client', scenario: () => Scenario): CaseDefinition {
  return {
    id: text.id,
    category: CATEGORY,
    categoryTitle: TITLE,
    subcategory: text.id.split('.').slice(0, 2).join('.'),
    subcategoryTitle: text.subcategoryTitle,
    description: text.description,
    expectation: text.expectation,
    scenario,
    origin: 'wscheck',
    rfc: text.rfc,
    roles: [role],
    ...(text.advisories !== undefined ? { advisories: text.advisories } : {}),
    ...(text.exclusive ? { exclusive: true } : {}),
  };
}

/** A case testing a server: the tester sends `request`; `probe` checks afterwards that the server still serves. */
function requestCase(text: CaseText, request: () => RequestVariation, options: { probe?: boolean; rules?: VerdictRules; steps?: Step[] } = {}): CaseDefinition {
  return handshakeCase(text, 'server', () => ({
    steps: options.steps ?? ECHO,
    opening: { request: request() },
    ...(options.probe ? { probeAfter: true } : {}),
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
  }));
}

/** A case testing a client: the tester answers its request with `response`. */
function responseCase(text: CaseText, response: ResponseVariation, options: { probe?: boolean; steps?: Step[] } = {}): CaseDefinition {
  return handshakeCase(text, 'client', () => ({
    steps: options.steps ?? [killAfter(2)],
    opening: { response },
    ...(options.probe ? { probeAfter: true } : {}),
  }));
}

const set = (name: string, value: HeaderValue): HeadEdit => ({ kind: 'set', name, value });
const remove = (name: string): HeadEdit => ({ kind: 'remove', name });
const add = (name: string, value: string): HeadEdit => ({ kind: 'add', name, value });

const INVALID = 'Invalid requests';
const UNUSUAL = 'Valid requests in unusual forms';
const HOSTILE = 'Hostile requests';
const INVALID_101 = 'Invalid answers to a client';
const UNUSUAL_101 = 'Valid answers to a client in unusual forms';

const refused = 'The server refuses the request with an HTTP error (which statuses are acceptable is computed from the RFC) and no 101; it still accepts a new connection afterwards.';

const invalidRequests: CaseDefinition[] = [
  requestCase(
    { id: '14.1.1', subcategoryTitle: INVALID, description: 'A request without Sec-WebSocket-Key.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 5', advisories: [ADVISORY.bunUpgrade] },
    () => ({ edits: [remove('Sec-WebSocket-Key')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.2', subcategoryTitle: INVALID, description: 'A request with two Sec-WebSocket-Key fields, each a valid key.', expectation: refused, rfc: 'RFC 6455 §11.3.1' },
    () => ({ edits: [add('Sec-WebSocket-Key', 'AQIDBAUGBwgJCgsMDQ4PEA==')] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.1.3',
      subcategoryTitle: INVALID,
      description: 'A Sec-WebSocket-Key of 24 characters that is not base64.',
      expectation: refused,
      rfc: 'RFC 6455 §4.2.1 item 5',
      advisories: [ADVISORY.coderKey, ADVISORY.bunUpgrade],
    },
    () => ({ edits: [set('Sec-WebSocket-Key', '!!!!not-base64!!!!!!!!==')] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.1.4',
      subcategoryTitle: INVALID,
      description: 'A Sec-WebSocket-Key of 24 base64 characters that decodes to 17 octets instead of 16.',
      expectation: refused,
      rfc: 'RFC 6455 §4.2.1 item 5',
      advisories: [ADVISORY.coderKey, ADVISORY.bunUpgrade],
    },
    () => ({ edits: [set('Sec-WebSocket-Key', 'AAAAAAAAAAAAAAAAAAAAAAA=')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.5', subcategoryTitle: INVALID, description: 'A request without Sec-WebSocket-Version.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 6, §4.4', advisories: [ADVISORY.bunUpgrade] },
    () => ({ edits: [remove('Sec-WebSocket-Version')] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.1.6',
      subcategoryTitle: INVALID,
      description: 'A request for Sec-WebSocket-Version 99, a version no server understands.',
      expectation: 'The server refuses with an HTTP error naming the versions it understands in Sec-WebSocket-Version (the RFC\'s examples are 426 Upgrade Required in §4.2.2 and 400 Bad Request in §4.4), and no 101.',
      rfc: 'RFC 6455 §4.2.2 /version/, §4.4',
      advisories: [ADVISORY.bunUpgrade],
    },
    () => ({ edits: [set('Sec-WebSocket-Version', '99')] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.1.7',
      subcategoryTitle: INVALID,
      description: 'A request for Sec-WebSocket-Version 8 (draft hybi-08 to -12).',
      expectation: 'Informational: a server may still speak version 8 (its framing is RFC 6455\'s) or refuse it with 426 and the versions it understands. The answer is reported.',
      rfc: 'RFC 6455 §4.4',
    },
    () => ({ edits: [set('Sec-WebSocket-Version', '8')] }),
    { rules: { informational: true } },
  ),
  requestCase(
    { id: '14.1.8', subcategoryTitle: INVALID, description: 'A request whose Upgrade field asks for h2c instead of websocket.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 3', advisories: [ADVISORY.bunUpgrade] },
    () => ({ edits: [set('Upgrade', 'h2c')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.9', subcategoryTitle: INVALID, description: 'A request without an Upgrade field.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 3' },
    () => ({ edits: [remove('Upgrade')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.10', subcategoryTitle: INVALID, description: 'A request without a Connection field.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 4' },
    () => ({ edits: [remove('Connection')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.11', subcategoryTitle: INVALID, description: 'A request whose Connection field is keep-alive, without the Upgrade token.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 4' },
    () => ({ edits: [set('Connection', 'keep-alive')] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.12', subcategoryTitle: INVALID, description: 'The opening handshake sent as a POST request.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 1' },
    () => ({ edits: [{ kind: 'request-line', method: 'POST' }] }),
    { probe: true },
  ),
  requestCase(
    { id: '14.1.13', subcategoryTitle: INVALID, description: 'The opening handshake sent as an HTTP/1.0 request.', expectation: refused, rfc: 'RFC 6455 §4.2.1 item 1' },
    () => ({ edits: [{ kind: 'request-line', version: 'HTTP/1.0' }] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.1.14',
      subcategoryTitle: INVALID,
      description: 'A pre-RFC draft-hixie-76 request: Sec-WebSocket-Key1 and -Key2 fields and eight octets after the head, no Sec-WebSocket-Key or -Version.',
      expectation: 'Informational: RFC 6455 lets a server keep older versions; one that still speaks draft-76 (with its own framing) is reported, with a lint.',
      rfc: 'RFC 6455 §4.4',
    },
    () => ({
      edits: [
        remove('Sec-WebSocket-Key'),
        remove('Sec-WebSocket-Version'),
        add('Origin', 'http://127.0.0.1'),
        add('Sec-WebSocket-Key1', '4 @1  46546xW%0l 1 5'),
        add('Sec-WebSocket-Key2', '12998 5 Y3 1  .P00'),
      ],
      body: utf8('^n:ds[4U'),
    }),
    { rules: { informational: true } },
  ),
];

const upgraded = 'The server upgrades the connection with a valid 101 and echoes a message.';

const unusualRequests: CaseDefinition[] = [
  requestCase(
    {
      id: '14.2.1',
      subcategoryTitle: UNUSUAL,
      description: 'Every field name in lower case, Upgrade: WEBSOCKET and Connection: UPGRADE.',
      expectation: upgraded,
      rfc: 'RFC 6455 §4.2.1 items 3-4 (ASCII case-insensitive), RFC 7230 §3.2',
    },
    () => ({ edits: [{ kind: 'names', spelling: 'lower' }, set('upgrade', 'WEBSOCKET'), set('connection', 'UPGRADE')] }),
  ),
  requestCase(
    { id: '14.2.2', subcategoryTitle: UNUSUAL, description: 'Every field name in upper case.', expectation: upgraded, rfc: 'RFC 7230 §3.2 (field names are case-insensitive)' },
    () => ({ edits: [{ kind: 'names', spelling: 'upper' }] }),
  ),
  requestCase(
    { id: '14.2.3', subcategoryTitle: UNUSUAL, description: 'Connection: keep-alive, Upgrade (a token list, as Firefox sends it).', expectation: upgraded, rfc: 'RFC 6455 §4.2.1 item 4 ("includes the token"), RFC 7230 §6.1' },
    () => ({ edits: [set('Connection', 'keep-alive, Upgrade')] }),
  ),
  requestCase(
    {
      id: '14.2.4',
      subcategoryTitle: UNUSUAL,
      description: 'Upgrade: websocket, foo/1 (websocket in a list of protocols).',
      expectation: 'The server upgrades (RFC 6455 §4.1: the Upgrade value must include websocket). A refusal is NON-STRICT: §4.2.1 can be read as asking for the value websocket alone.',
      rfc: 'RFC 6455 §4.1, §4.2.1 item 3, RFC 7230 §6.7',
    },
    () => ({ edits: [set('Upgrade', 'websocket, foo/1')] }),
    { rules: { refusalAllowed: true } },
  ),
  requestCase(
    {
      id: '14.2.5',
      subcategoryTitle: UNUSUAL,
      description: 'A text message "Hello" sent in the same TCP write as the request, before any answer (RFC 6455 §4.1 tells a client to wait; a server still meets such clients).',
      expectation: 'The server upgrades and takes the message as the first frame of the connection: it echoes it.',
      rfc: 'RFC 7230 §6.7 (the octets after the request belong to the upgraded protocol), RFC 6455 §4.2.2',
    },
    () => ({ frames: [TEXT_HELLO] }),
    { steps: [killAfter(2)] },
  ),
  requestCase(
    {
      id: '14.2.6',
      subcategoryTitle: UNUSUAL,
      description: 'A text message, a Ping and a binary message, all in the same TCP write as the request.',
      expectation: 'The server upgrades and handles the three frames in order: echo, Pong, echo.',
      rfc: 'RFC 6455 §4.2.2, §5.4',
    },
    () => ({ frames: [{ opcode: Opcode.Text, payload: utf8('one') }, { opcode: Opcode.Ping, payload: utf8('ping') }, { opcode: Opcode.Binary, payload: utf8('two') }] }),
    { steps: [killAfter(2)] },
  ),
  requestCase(
    { id: '14.2.7', subcategoryTitle: UNUSUAL, description: 'The request written one octet per TCP write.', expectation: upgraded, rfc: 'RFC 7230 §3 (a message is a byte stream; TCP may cut it anywhere)' },
    () => ({ chop: 1 }),
  ),
];

const answeredInTime = 'The server answers in about the time it takes for a benign head of the same size (at most 50 times that, and at least 100 ms allowed), with a valid 101 or a refusal as computed from the RFC, and still accepts a new connection afterwards.';
const spaces = (n: number): string => ' '.repeat(n);
const backslashPairs = (n: number): string => 'permessage-deflate; a="' + '\\c'.repeat(n);

const hostileRequests: CaseDefinition[] = [
  requestCase(
    {
      id: '14.3.1',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: `Sec-WebSocket-Protocol: "b", ${UNDER_16_KIB} spaces, "x" (not a token list; a split on / *, */ backtracks over the spaces).`,
      expectation: answeredInTime,
      rfc: 'RFC 6455 §4.2.1, §11.3.4, §10.7',
      advisories: [ADVISORY.wsProtocolRedos],
    },
    () => ({ edits: [add('Sec-WebSocket-Protocol', `b${spaces(UNDER_16_KIB)}x`)], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.2',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: `Sec-WebSocket-Protocol: "b", ${UNDER_16_KIB} spaces, a tab, ", x": a valid list of two subprotocols whose first one trails spaces.`,
      expectation: answeredInTime,
      rfc: 'RFC 6455 §4.2.1, §11.3.4, §10.7',
      advisories: [ADVISORY.wsProtocolRedos],
    },
    () => ({ edits: [add('Sec-WebSocket-Protocol', `b${spaces(UNDER_16_KIB)}\t, x`)], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.3',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'As 14.3.2 with 60000 spaces, a head larger than the 16 KiB most servers read.',
      expectation: answeredInTime,
      rfc: 'RFC 6455 §4.2.1, §10.7, RFC 7230 §3.2.5',
      advisories: [ADVISORY.wsProtocolRedos],
    },
    () => ({ edits: [add('Sec-WebSocket-Protocol', `b${spaces(60_000)}\t, x`)], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.4',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'Sec-WebSocket-Extensions offering extensions named constructor, __proto__, hasOwnProperty and toString.',
      expectation: 'The server upgrades without agreeing to any of them (it knows none), and still accepts a new connection afterwards.',
      rfc: 'RFC 6455 §9.1',
      advisories: [ADVISORY.wsExtensionNames],
    },
    () => ({ edits: [add('Sec-WebSocket-Extensions', 'constructor, __proto__, hasOwnProperty, toString')] }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.5',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'A permessage-deflate offer with parameters named constructor, __proto__ and hasOwnProperty.',
      expectation: 'The server declines the offer (RFC 7692 §5: an offer with an unknown parameter is declined) and upgrades without extensions; refusing the whole handshake is NON-STRICT. It still accepts a new connection afterwards.',
      rfc: 'RFC 6455 §9.1, RFC 7692 §5',
      advisories: [ADVISORY.wsExtensionNames],
    },
    () => ({ edits: [add('Sec-WebSocket-Extensions', 'permessage-deflate; constructor; __proto__=1; hasOwnProperty=2')] }),
    { probe: true, rules: { refusalAllowed: true } },
  ),
  requestCase(
    {
      id: '14.3.6',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: '2000 short header fields before the ones the handshake needs (about 14 KB, under the usual 16 KiB).',
      expectation: 'The server reads them all and upgrades, or refuses the head as too large (a 4xx); it still accepts a new connection afterwards.',
      rfc: 'RFC 6455 §4.2.1, §10.7, RFC 7230 §3.2.5',
      advisories: [ADVISORY.wsHeaderCount],
    },
    () => ({ edits: [{ kind: 'filler-fields', count: 2000, first: true }], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.7',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'A permessage-deflate offer with a quoted parameter value of 32 backslash pairs that is never closed.',
      expectation: answeredInTime,
      rfc: 'RFC 6455 §9.1, §10.7',
      advisories: [ADVISORY.extensionsRedos],
    },
    () => ({ edits: [add('Sec-WebSocket-Extensions', backslashPairs(32))], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.8',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'As 14.3.7 with 6000 backslash pairs.',
      expectation: answeredInTime,
      rfc: 'RFC 6455 §9.1, §10.7',
      advisories: [ADVISORY.extensionsRedos],
    },
    () => ({ edits: [add('Sec-WebSocket-Extensions', backslashPairs(6000))], timing: SAME_SIZE_TIMING }),
    { probe: true },
  ),
  requestCase(
    {
      id: '14.3.9',
      subcategoryTitle: HOSTILE,
      exclusive: true,
      description: 'A head of 1 MiB (one header field) written in pieces of 1 KiB.',
      expectation: 'The server refuses the head (a 4xx, or at least a TCP close) or reads it all and upgrades; its answer comes within 50 times a plain request\'s time (at least 100 ms) after the last octet, and it still accepts a new connection afterwards.',
      rfc: 'RFC 6455 §10.7, RFC 7230 §3.2.5',
      advisories: [ADVISORY.tungsteniteHead],
    },
    () => ({ edits: [add('X-Wscheck-Pad', 'a'.repeat(1024 * 1024))], chop: 1024, timing: PLAIN }),
    { probe: true },
  ),
];

const clientFails = 'The client fails the connection: it closes TCP without sending a frame and delivers nothing (a client that merely stays silent is NON-STRICT). It still connects for its next case.';

const invalidResponses: CaseDefinition[] = [
  responseCase(
    {
      id: '14.4.1',
      subcategoryTitle: INVALID_101,
      description: 'A 101 whose Sec-WebSocket-Accept is the accept value of another key; a text message follows in the same write.',
      expectation: clientFails,
      rfc: 'RFC 6455 §4.1',
      advisories: [ADVISORY.asyncHttpClientAccept, ADVISORY.bunAccept],
    },
    { edits: [set('Sec-WebSocket-Accept', { computed: 'accept-of-other-key' })], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.2', subcategoryTitle: INVALID_101, description: 'A 101 without Sec-WebSocket-Accept; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1', advisories: [ADVISORY.asyncHttpClientAccept] },
    { edits: [remove('Sec-WebSocket-Accept')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.3', subcategoryTitle: INVALID_101, description: 'A 101 with the right Sec-WebSocket-Accept twice; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §11.3.3, §4.1' },
    { edits: [{ kind: 'add', name: 'Sec-WebSocket-Accept', value: { computed: 'accept' } }], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.4', subcategoryTitle: INVALID_101, description: 'Status 200 OK with every upgrade field of a 101; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1 (a status other than 101 is handled per HTTP)' },
    { edits: [{ kind: 'start-line', line: 'HTTP/1.1 200 OK' }], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.5', subcategoryTitle: INVALID_101, description: 'A 101 without an Upgrade field; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1' },
    { edits: [remove('Upgrade')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.6', subcategoryTitle: INVALID_101, description: 'A 101 with Upgrade: h2c; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1' },
    { edits: [set('Upgrade', 'h2c')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.7', subcategoryTitle: INVALID_101, description: 'A 101 without a Connection field; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1' },
    { edits: [remove('Connection')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    { id: '14.4.8', subcategoryTitle: INVALID_101, description: 'A 101 with Connection: keep-alive, without the Upgrade token; a text message follows.', expectation: clientFails, rfc: 'RFC 6455 §4.1' },
    { edits: [set('Connection', 'keep-alive')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    {
      id: '14.4.9',
      subcategoryTitle: INVALID_101,
      description: 'A 101 selecting the subprotocol wscheck-unsolicited, which the client did not offer; a text message follows.',
      expectation: clientFails,
      rfc: 'RFC 6455 §4.1',
    },
    { edits: [set('Sec-WebSocket-Protocol', 'wscheck-unsolicited')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
  responseCase(
    {
      id: '14.4.10',
      subcategoryTitle: INVALID_101,
      description: 'A 101 agreeing to the extension x-wscheck-unsolicited, which the client did not offer; a text message follows.',
      expectation: clientFails,
      rfc: 'RFC 6455 §4.1, §9.1',
    },
    { edits: [set('Sec-WebSocket-Extensions', 'x-wscheck-unsolicited')], frames: [TEXT_HELLO] },
    { probe: true },
  ),
];

const clientOpens = 'The client takes the connection as open and echoes the message.';

const unusualResponses: CaseDefinition[] = [
  responseCase(
    { id: '14.5.1', subcategoryTitle: UNUSUAL_101, description: 'A text message "Hello" in the same TCP write as the 101.', expectation: 'The client delivers the message as the first of the connection: it echoes it.', rfc: 'RFC 6455 §4.1, §4.2.2' },
    { frames: [TEXT_HELLO] },
  ),
  responseCase(
    {
      id: '14.5.2',
      subcategoryTitle: UNUSUAL_101,
      description: 'A 101 with every field name in lower case, Upgrade: WEBSOCKET and Connection: upgrade.',
      expectation: clientOpens,
      rfc: 'RFC 6455 §4.1 (ASCII case-insensitive), RFC 7230 §3.2',
    },
    { edits: [{ kind: 'names', spelling: 'lower' }, set('upgrade', 'WEBSOCKET'), set('connection', 'upgrade')] },
    { steps: ECHO },
  ),
  responseCase(
    { id: '14.5.3', subcategoryTitle: UNUSUAL_101, description: 'A 101 with Connection: keep-alive, Upgrade.', expectation: clientOpens, rfc: 'RFC 6455 §4.1 ("contain a token ... Upgrade"), RFC 7230 §6.1' },
    { edits: [set('Connection', 'keep-alive, Upgrade')] },
    { steps: ECHO },
  ),
  responseCase(
    { id: '14.5.4', subcategoryTitle: UNUSUAL_101, description: 'The 101 written one octet per TCP write.', expectation: clientOpens, rfc: 'RFC 7230 §3 (a message is a byte stream)' },
    { chop: 1 },
    { steps: ECHO },
  ),
];

export const handshakeCases: readonly CaseDefinition[] = [...invalidRequests, ...unusualRequests, ...hostileRequests, ...invalidResponses, ...unusualResponses];
