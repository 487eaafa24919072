/**
 * Category 3, Reserved Bits (RFC 6455 §5.2): RSV1-3 "MUST be 0 unless an
 * extension is negotiated that defines meanings for non-zero values"; a
 * receiver that sees one set "MUST _Fail the WebSocket Connection_".
 */
import { Opcode } from '../../codec/opcode.js';
import { EMPTY, hex, utf8 } from '../payload.js';
import { frame, killAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';
import type { Step } from '../../model/scenario.js';

const HELLO = () => utf8('Hello, world!');
const FAIL = 'The peer fails the connection with 1002 (protocol error) and echoes nothing.';
const ECHO_THEN_FAIL =
  'The peer echoes the valid message, then fails the connection with 1002 on the frame with the reserved bit; the Ping is never answered. ' +
  'A peer that fails before its application echoed the first message is conforming too (NON-STRICT).';

function rsvCase(n: number, description: string, expectation: string, steps: () => Step[]): CaseDefinition {
  return {
    id: `3.${n}`,
    category: '3',
    categoryTitle: 'Reserved Bits',
    subcategory: `3.${n}`,
    subcategoryTitle: null,
    description,
    expectation,
    scenario: () => ({ steps: steps() }),
  };
}

const echoThenBadRsv = (rsv: number, write: { sync?: boolean; chop?: number }): Step[] => [
  frame(Opcode.Text, HELLO(), write),
  frame(Opcode.Text, HELLO(), { rsv, ...write }),
  frame(Opcode.Ping, EMPTY, write),
  killAfter(1),
];

export const reservedBits: readonly CaseDefinition[] = [
  rsvCase(1, 'Send a short text message with RSV3 set (RSV = 1).', FAIL, () => [frame(Opcode.Text, HELLO(), { rsv: 1 }), killAfter(1)]),
  rsvCase(2, 'Send a valid text message, then the same message with RSV2 set (RSV = 2), then a Ping.', ECHO_THEN_FAIL, () =>
    echoThenBadRsv(2, {}),
  ),
  rsvCase(
    3,
    'Send a valid text message, then the same message with RSV2 and RSV3 set (RSV = 3), then a Ping; every frame in its own TCP write.',
    ECHO_THEN_FAIL,
    () => echoThenBadRsv(3, { sync: true }),
  ),
  rsvCase(
    4,
    'Send a valid text message, then the same message with RSV1 set (RSV = 4), then a Ping; all written one octet per TCP write.',
    ECHO_THEN_FAIL,
    () => echoThenBadRsv(4, { chop: 1 }),
  ),
  rsvCase(5, 'Send a binary message with RSV1 and RSV3 set (RSV = 5).', FAIL, () => [
    frame(Opcode.Binary, hex('00fffefdfcfb00ff'), { rsv: 5 }),
    killAfter(1),
  ]),
  rsvCase(6, 'Send a binary message with RSV1 and RSV2 set (RSV = 6).', FAIL, () => [
    frame(Opcode.Binary, HELLO(), { rsv: 6 }),
    killAfter(1),
  ]),
  rsvCase(7, 'Send a Close frame with all three reserved bits set (RSV = 7).', FAIL, () => [
    frame(Opcode.Close, EMPTY, { rsv: 7 }),
    killAfter(1),
  ]),
];
