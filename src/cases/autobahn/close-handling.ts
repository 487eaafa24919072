/**
 * Category 7, Close Handling (RFC 6455 §5.5.1, §7): after a Close frame no
 * data may follow; a Close must be answered with a Close; its body is empty or
 * a two-octet status code from the valid ranges followed by a UTF-8 reason.
 */
import { Opcode } from '../../codec/opcode.js';
import { encodeClosePayload } from '../../codec/close.js';
import type { Scenario, Step, VerdictRules } from '../../model/scenario.js';
import { EMPTY, hex, repeat, utf8 } from '../payload.js';
import { close, closeRaw, frame, killAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';

const STAR = utf8('*');
const CODE_FATAL: VerdictRules = { wrongCloseCodeIsFatal: true };

function closeCase(
  sub: string,
  subTitle: string,
  n: number,
  description: string,
  expectation: string,
  build: () => Scenario,
): CaseDefinition {
  return {
    id: `${sub}.${n}`,
    category: '7',
    categoryTitle: 'Close Handling',
    subcategory: sub,
    subcategoryTitle: subTitle,
    description,
    expectation,
    scenario: build,
  };
}

const fatal = (steps: Step[], suppressClose = true): Scenario => ({ steps, suppressClose, rules: CODE_FATAL });

const BASIC = 'Basic close behavior (fuzzer initiated)';
const basic: CaseDefinition[] = [
  closeCase('7.1', BASIC, 1, 'Send a text message, then let the tester close normally once it is echoed.', 'The echo, then a normal closing handshake.', () =>
    fatal([frame(Opcode.Text, utf8('Hello World!')), killAfter(1)], false),
  ),
  closeCase('7.1', BASIC, 2, 'Close normally, then send a second Close frame.', 'A normal closing handshake; the second Close is ignored.', () =>
    fatal([close(1000), frame(Opcode.Close, EMPTY), killAfter(1)]),
  ),
  closeCase('7.1', BASIC, 3, 'Close normally, then send a Ping.', 'A normal closing handshake; no Pong (the peer already received a Close).', () =>
    fatal([close(1000), frame(Opcode.Ping, EMPTY), killAfter(1)]),
  ),
  closeCase('7.1', BASIC, 4, 'Close normally, then send a text message.', 'A normal closing handshake; the message after the Close is not echoed.', () =>
    fatal([close(1000), frame(Opcode.Text, utf8('Hello World!')), killAfter(1)]),
  ),
  closeCase(
    '7.1',
    BASIC,
    5,
    'Send the first fragment of a text message, close normally, then send the last fragment.',
    'A normal closing handshake; the message is never complete, so nothing is echoed.',
    () => fatal([frame(Opcode.Text, utf8('fragment1'), { fin: false }), close(1000), frame(Opcode.Continuation, utf8('fragment2')), killAfter(1)]),
  ),
  closeCase(
    '7.1',
    BASIC,
    6,
    'Send a 256 KiB text message and a short one back to back, then close normally and send a Ping.',
    'The RFC leaves open whether a peer still echoes messages that arrived right before a Close; reported for information.',
    () => ({
      steps: [
        frame(Opcode.Text, repeat(utf8('BAsd7&jh23'), 262144), { repeatUnit: utf8('BAsd7&jh23') }),
        frame(Opcode.Text, utf8('Hello World!')),
        close(1000),
        frame(Opcode.Ping, EMPTY),
        killAfter(1),
      ],
      suppressClose: true,
      rules: { informational: true },
    }),
  ),
];

const FRAME = 'Close frame structure: payload length (fuzzer initiated)';
const structure: CaseDefinition[] = [
  closeCase('7.3', FRAME, 1, 'Close with an empty body.', 'A Close in reply (empty or 1000).', () => fatal([closeRaw(EMPTY), killAfter(1)])),
  closeCase('7.3', FRAME, 2, 'Close with a body of one octet, which cannot hold a status code.', 'The peer fails the connection with 1002.', () =>
    fatal([closeRaw(utf8('a')), killAfter(1)]),
  ),
  closeCase('7.3', FRAME, 3, 'Close with status code 1000 and no reason.', 'A Close in reply (1000).', () => fatal([close(1000), killAfter(1)])),
  closeCase('7.3', FRAME, 4, 'Close with status code 1000 and a short reason.', 'A Close in reply (1000).', () =>
    fatal([close(1000, utf8('Hello World!')), killAfter(1)]),
  ),
  closeCase('7.3', FRAME, 5, 'Close with status code 1000 and a 123-octet reason, the longest that fits a control frame.', 'A Close in reply (1000).', () =>
    fatal([close(1000, repeat(STAR, 123)), killAfter(1)]),
  ),
  closeCase('7.3', FRAME, 6, 'Close with status code 1000 and a 124-octet reason: a 126-octet control frame, one too long.', 'The peer fails the connection with 1002.', () =>
    fatal([closeRaw(encodeClosePayload(1000, repeat(STAR, 124))), killAfter(1)]),
  ),
];

const utf8Reason: CaseDefinition[] = [
  closeCase(
    '7.5',
    'Close frame structure: payload value (fuzzer initiated)',
    1,
    'Close with status code 1000 and a reason that is not valid UTF-8.',
    'The peer fails the connection, with 1007 (invalid data) or 1002 (protocol error).',
    () => fatal([closeRaw(hex('03e8cebae1bdb9cf83cebcceb5eda080656469746564')), killAfter(1)]),
  ),
];

const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];
const codeBody = (code: number) => Uint8Array.from([code >> 8, code & 0xff]);

const valid = VALID_CODES.map((code, k) =>
  closeCase('7.7', 'Close frame structure: valid close codes (fuzzer initiated)', k + 1, `Close with the valid status code ${code}.`, `A Close in reply, echoing ${code} or with 1000.`, () =>
    fatal([closeRaw(codeBody(code)), killAfter(1)], false),
  ),
);
const invalid = INVALID_CODES.map((code, k) =>
  closeCase('7.9', 'Close frame structure: invalid close codes (fuzzer initiated)', k + 1, `Close with the status code ${code}, which may not appear on the wire.`, 'The peer fails the connection with 1002.', () =>
    fatal([closeRaw(codeBody(code)), killAfter(1)], false),
  ),
);
const outOfRange = [5000, 65535].map((code, k) =>
  closeCase(
    '7.13',
    'Informational close information (fuzzer initiated)',
    k + 1,
    `Close with the status code ${code}, outside every range RFC 6455 defines.`,
    'RFC 6455 does not say what a peer must do with this code; reported for information.',
    () => ({ steps: [closeRaw(codeBody(code)), killAfter(1)], suppressClose: true, rules: { informational: true } }),
  ),
);

export const closeHandling: readonly CaseDefinition[] = [...basic, ...structure, ...utf8Reason, ...valid, ...invalid, ...outOfRange];
