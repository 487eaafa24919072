/**
 * wscheck category 17, Closing Handshake, beyond Autobahn's category 7
 * (RFC 6455 §5.5.1, §7, §7.4): status codes registered after RFC 6455 and
 * codes that may never appear on the wire, close reasons of the greatest
 * length with their last character broken, Pings around a Close, a Close in
 * the middle of a fragmented message, and who closes TCP, and when, if the
 * tester goes silent.
 */
import { encodeClosePayload } from '../../codec/close.js';
import { Opcode } from '../../codec/opcode.js';
import type { Scenario, Step } from '../../model/scenario.js';
import { hex, utf8 } from '../payload.js';
import { close, closeRaw, continueLater, frame, killAfter } from '../steps.js';
import type { Advisory, CaseDefinition } from '../types.js';
import { type WscheckCaseSpec, wscheckCase, caseSpec } from './build.js';

const CATEGORY = '17';
const TITLE = 'Closing Handshake';

const ADVISORY = {
  actixCloseFrames: { id: 'actix-web#4216', url: 'https://github.com/actix/actix-web/issues/4216', project: 'actix-web' },
  lwsCloseCodeBytes: { id: 'libwebsockets#792', url: 'https://github.com/warmcat/libwebsockets/issues/792', project: 'libwebsockets' },
  tomcatCleanup: { id: 'CVE-2024-23672', url: 'https://github.com/advisories/GHSA-v682-8vv8-vpwr', project: 'Apache Tomcat' },
  denoCloseNotAcknowledged: { id: 'deno#24301', url: 'https://github.com/denoland/deno/pull/24301', project: 'Deno' },
} as const satisfies Record<string, Advisory>;

const spec = caseSpec;
/** The peer's time to close TCP is what the case measures: report it. */
const timed = (s: WscheckCaseSpec): WscheckCaseSpec => ({ ...s, reportTime: true });
const build = (s: WscheckCaseSpec, scenario: () => Scenario): CaseDefinition => wscheckCase(CATEGORY, TITLE, s, scenario);

/** As Autobahn's close-handling cases: the tester does not close first, and a wrong code in the peer's Close fails the behaviour. */
const closing = (steps: Step[]): Scenario => ({ steps: [...steps, killAfter(1)], suppressClose: true, rules: { wrongCloseCodeIsFatal: true } });
const codeBody = (code: number): Uint8Array => encodeClosePayload(code);

// ---- 17.1: codes registered after RFC 6455 ----

const REGISTERED = 'Status codes registered after RFC 6455';
const registered: CaseDefinition[] = [
  [1012, 'Service Restart'],
  [1013, 'Try Again Later'],
  [1014, 'Bad Gateway'],
].map(([code, name], k) =>
  build(
    spec(
      `17.1.${k + 1}`,
      REGISTERED,
      'RFC 6455 §7.4.2; IANA WebSocket Close Code Number Registry',
      `Close with status code ${code} (${name}), registered with IANA after RFC 6455.`,
      `The code is valid: the peer answers with a Close echoing ${code} or with 1000, a normal closing handshake. Failing the connection with 1002 treats a registered code as unknown.`,
    ),
    () => closing([closeRaw(codeBody(code as number))]),
  ),
);

// ---- 17.2: codes that may not appear on the wire ----

const INVALID = 'Status codes that may not appear in a Close frame';
const invalid: CaseDefinition[] = [
  [1015, 'TLS handshake failure, reserved for APIs: "MUST NOT be set as a status code in a Close control frame" (§7.4.1)'],
  [1005, 'no status code, reserved for APIs (§7.4.1)'],
  [1006, 'abnormal closure, reserved for APIs (§7.4.1)'],
  [500, 'below 1000, not used (§7.4.2)'],
  [1500, 'unassigned in the range reserved for the protocol (§7.4.2)'],
  [2500, 'unassigned in the range reserved for the protocol (§7.4.2)'],
  [5000, 'beyond every range §7.4.2 defines'],
  [65535, 'the largest 16-bit value, beyond every range'],
].map(([code, why], k) =>
  build(
    spec(
      `17.2.${k + 1}`,
      INVALID,
      'RFC 6455 §7.4.1, §7.4.2',
      `Close with status code ${code}: ${why}.`,
      'The peer fails the connection with 1002 (protocol error); it never echoes the code.',
      [ADVISORY.actixCloseFrames, ADVISORY.lwsCloseCodeBytes],
    ),
    () => closing([closeRaw(codeBody(code as number))]),
  ),
);

// ---- 17.3: reasons of the greatest length ----

const REASONS = 'Close reasons of 123 octets';
const REASON_RULE = 'RFC 6455 §5.5, §5.5.1, §8.1';

/**
 * A 123-octet reason (with its 2-octet code, the 125 octets a control frame
 * may carry): "ab", 39 euro signs (3 octets each, so one straddles octet
 * 15), and a last character of 4 octets, U+1F600, given as `tail`.
 */
function longReason(tail: Uint8Array): Uint8Array {
  const head = utf8(`ab${'€'.repeat(39)}`);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
const GRIN = hex('f09f9880');

const reasons: CaseDefinition[] = [
  build(
    spec(
      '17.3.1',
      REASONS,
      REASON_RULE,
      'Close with status code 1000 and a valid 123-octet reason made of multi-octet characters, the last one four octets long.',
      'A normal closing handshake (1000). If the peer echoes the reason, it echoes whole characters: a reason cut inside a character is not UTF-8.',
    ),
    () => closing([close(1000, longReason(GRIN))]),
  ),
  build(
    spec('17.3.2', REASONS, REASON_RULE, 'Close with status code 1000 and a 123-octet reason whose last character is cut short (the first three of its four octets).', 'The peer fails the connection with 1007 (or 1002): the reason is not UTF-8.', [
      ADVISORY.actixCloseFrames,
      ADVISORY.lwsCloseCodeBytes,
    ]),
    // "x" and three of the four octets of U+1F600: still 123 octets, the last character cut short.
    () => closing([closeRaw(encodeClosePayload(1000, longReason(hex('78f09f98'))))]),
  ),
  build(
    spec('17.3.3', REASONS, REASON_RULE, 'Close with status code 1000 and a 123-octet reason whose last octet is 0xFF.', 'The peer fails the connection with 1007 (or 1002).', [ADVISORY.actixCloseFrames, ADVISORY.lwsCloseCodeBytes]),
    () => closing([closeRaw(encodeClosePayload(1000, longReason(hex('e282acff'))))]),
  ),
  build(
    spec('17.3.4', REASONS, REASON_RULE, 'Close with status code 1000 and a 123-octet reason whose first octet is a lone continuation octet (0x80).', 'The peer fails the connection with 1007 (or 1002).', [ADVISORY.actixCloseFrames, ADVISORY.lwsCloseCodeBytes]),
    () => {
      const reason = longReason(GRIN);
      reason[0] = 0x80;
      return closing([closeRaw(encodeClosePayload(1000, reason))]);
    },
  ),
  build(
    spec('17.3.5', REASONS, REASON_RULE, 'Close with status code 1000 and a 123-octet reason with an encoded UTF-16 surrogate (ED A0 80) in its middle.', 'The peer fails the connection with 1007 (or 1002).', [ADVISORY.actixCloseFrames, ADVISORY.lwsCloseCodeBytes]),
    () => {
      const reason = longReason(GRIN);
      reason.set(hex('eda080'), 59);
      return closing([closeRaw(encodeClosePayload(1000, reason))]);
    },
  ),
];

// ---- 17.4: Pings around a Close ----

const PINGS = 'Pings around the closing handshake';
const pings: CaseDefinition[] = [
  build(
    spec(
      '17.4.1',
      PINGS,
      'RFC 6455 §7.1.7, §5.5.2',
      'Send a frame with the reserved opcode 3 and, in the same TCP write, a Ping.',
      'The peer fails the connection with 1002 at the reserved opcode and answers nothing after it: having failed, it "MUST NOT continue to attempt to process data" (§7.1.7), so the Ping gets no Pong.',
    ),
    () => ({
      steps: [{ kind: 'stream', frames: [{ opcode: 3, payload: utf8('reserved') }, { opcode: Opcode.Ping, payload: utf8('after the failure') }], cuts: [] }, killAfter(1)],
      rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' },
    }),
  ),
  build(
    spec(
      '17.4.2',
      PINGS,
      'RFC 6455 §5.5.1, §5.5.2',
      'Send a Ping, a Close with status code 1000 and another Ping, in one TCP write.',
      'The peer answers the first Ping, then the Close (1000); it does not answer the second Ping, which came after a Close (§5.5.2: no Pong is owed once a Close was received).',
    ),
    () => ({
      steps: [
        {
          kind: 'stream',
          frames: [
            { opcode: Opcode.Ping, payload: utf8('before') },
            { opcode: Opcode.Close, payload: codeBody(1000) },
            { opcode: Opcode.Ping, payload: utf8('after') },
          ],
          cuts: [],
        },
        killAfter(1),
      ],
      suppressClose: true,
      rules: { wrongCloseCodeIsFatal: true },
    }),
  ),
];

// ---- 17.5: a Close in the middle of a fragmented message ----

const INSIDE = 'A Close between the fragments of a message';
const inside: CaseDefinition[] = [
  build(
    spec(
      '17.5.1',
      INSIDE,
      'RFC 6455 §5.4, §5.5.1, §8.1',
      'Send the first fragment of a text message ending inside a UTF-8 character (its first octet of three), then a Close with status code 1000.',
      'A normal closing handshake (1000): control frames may come between fragments, and a message that never completed was never invalid text, so failing with 1007 is wrong.',
    ),
    () => closing([frame(Opcode.Text, hex('48656c6c6fe2'), { fin: false }), close(1000)]),
  ),
  build(
    spec(
      '17.5.2',
      INSIDE,
      'RFC 6455 §5.4, §5.5.1, §5.5.2',
      'Send the first fragment of a text message, a Ping, then a Close with status code 1000.',
      'The peer answers the Ping, then the Close (1000); the unfinished message is not echoed.',
    ),
    () => closing([frame(Opcode.Text, utf8('fragment'), { fin: false }), frame(Opcode.Ping, utf8('between')), close(1000)]),
  ),
];

// ---- 17.6: who closes TCP when the tester goes silent ----

const SILENT = 'Closing TCP when the other side goes silent';
/** How long the tester waits for the peer to close TCP: far beyond the closing timeouts libraries use (ws: 30 s). */
const PATIENCE_SECONDS = 60;
const giveUp = (): Step => continueLater(PATIENCE_SECONDS, 'the peer kept TCP open', [{ kind: 'drop' }], { recordTimeout: true });

const silent: CaseDefinition[] = [
  build(
    timed(spec(
      '17.6.1',
      SILENT,
      'RFC 6455 §7.1.7, §7.1.1',
      `Send a frame with the reserved opcode 3, then go silent: no Close in reply to the peer's, TCP kept open. The time until the peer closes TCP is reported.`,
      `The peer fails the connection (1002) and then closes TCP itself, after a wait of its choosing (failing "MUST _Close the WebSocket Connection_", §7.1.7). FAILED if TCP is still open after ${PATIENCE_SECONDS} s.`,
      [ADVISORY.tomcatCleanup, ADVISORY.denoCloseNotAcknowledged],
    )),
    () => ({ steps: [frame(3, utf8('reserved')), giveUp()], holdTcpOpen: true, suppressClose: true }),
  ),
  build(
    timed(spec(
      '17.6.2',
      SILENT,
      'RFC 6455 §5.5.1, §7.1.1',
      'Close normally (1000); after the peer answers, keep TCP open and send nothing. The time until the peer closes TCP is reported.',
      `After both Close frames the peer "MUST close the underlying TCP connection" (§5.5.1): a server at once, a client after waiting a while for the server to do it (§7.1.1). FAILED if TCP is still open after ${PATIENCE_SECONDS} s.`,
      [ADVISORY.tomcatCleanup],
    )),
    () => ({ steps: [close(1000), giveUp()], holdTcpOpen: true, suppressClose: true }),
  ),
];

export const closingCases: readonly CaseDefinition[] = [...registered, ...invalid, ...reasons, ...pings, ...inside, ...silent];
