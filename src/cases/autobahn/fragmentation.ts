/**
 * Category 5, Fragmentation (RFC 6455 §5.4): control frames must not be
 * fragmented; a fragmented message is one data frame with FIN=0, continuation
 * frames, and a final one with FIN=1; control frames may come between
 * fragments; continuation frames need a message to continue, and a new data
 * message may not start inside an open one.
 */
import { Opcode } from '../../codec/opcode.js';
import type { Step } from '../../model/scenario.js';
import { utf8 } from '../payload.js';
import { closeAfter, continueLater, frame, killAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';

type Write = { sync?: boolean; chop?: number };
const WRITES: readonly [Write, string][] = [
  [{}, ''],
  [{ sync: true }, '; every frame in its own TCP write'],
  [{ chop: 1 }, '; every frame written one octet per TCP write'],
];

function fragCase(n: number, description: string, expectation: string, steps: () => Step[]): CaseDefinition {
  return {
    id: `5.${n}`,
    category: '5',
    categoryTitle: 'Fragmentation',
    subcategory: `5.${n}`,
    subcategoryTitle: null,
    description,
    expectation,
    scenario: () => ({ steps: steps() }),
  };
}

const FAIL = 'The peer fails the connection with 1002 (protocol error) and echoes nothing.';
const f = (op: number, text: string, fin: boolean, w: Write) => frame(op, utf8(text), { fin, ...w });

export const fragmentation: readonly CaseDefinition[] = [
  fragCase(1, 'Send a Ping fragmented into two frames (FIN=0, then a continuation).', FAIL, () => [
    f(Opcode.Ping, 'fragment1', false, {}),
    f(Opcode.Continuation, 'fragment2', true, {}),
    killAfter(1),
  ]),
  fragCase(2, 'Send a Pong fragmented into two frames (FIN=0, then a continuation).', FAIL, () => [
    f(Opcode.Pong, 'fragment1', false, {}),
    f(Opcode.Continuation, 'fragment2', true, {}),
    killAfter(1),
  ]),
  ...WRITES.map(([w, how], k) =>
    fragCase(3 + k, `Send a text message in two fragments${how}.`, 'The peer echoes the reassembled message.', () => [
      f(Opcode.Text, 'fragment1', false, w),
      f(Opcode.Continuation, 'fragment2', true, w),
      closeAfter(1),
    ]),
  ),
  ...WRITES.map(([w, how], k) =>
    fragCase(6 + k, `Send a text message in two fragments with a Ping between them${how}.`, 'A Pong first, then the echo of the reassembled message.', () => [
      f(Opcode.Text, 'fragment1', false, w),
      f(Opcode.Ping, 'ping payload', true, w),
      f(Opcode.Continuation, 'fragment2', true, w),
      closeAfter(1),
    ]),
  ),
  ...WRITES.map(([w, how], k) =>
    fragCase(9 + k, `Send a final continuation frame with no message to continue, then a text message${how}.`, FAIL, () => [
      f(Opcode.Continuation, 'non-continuation payload', true, w),
      f(Opcode.Text, 'Hello, world!', true, w),
      killAfter(1),
    ]),
  ),
  ...WRITES.map(([w, how], k) =>
    fragCase(12 + k, `Send a non-final continuation frame with no message to continue, then a text message${how}.`, FAIL, () => [
      f(Opcode.Continuation, 'non-continuation payload', false, w),
      f(Opcode.Text, 'Hello, world!', true, w),
      killAfter(1),
    ]),
  ),
  fragCase(
    15,
    'Send a text message in two fragments, then a continuation frame with no message to continue and a text frame.',
    'The peer echoes the first message, then fails the connection with 1002 on the stray continuation. A peer that fails before its application echoed is conforming too (NON-STRICT).',
    () => [
      f(Opcode.Text, 'fragment1', false, {}),
      f(Opcode.Continuation, 'fragment2', true, {}),
      f(Opcode.Continuation, 'fragment3', false, {}),
      f(Opcode.Text, 'fragment4', true, {}),
      killAfter(1),
    ],
  ),
  fragCase(16, 'Twice: a continuation frame with no message, then a text frame with FIN=0 and a final continuation.', FAIL, () => [
    ...[0, 1].flatMap(() => [
      f(Opcode.Continuation, 'fragment1', false, {}),
      f(Opcode.Text, 'fragment2', false, {}),
      f(Opcode.Continuation, 'fragment3', true, {}),
    ]),
    killAfter(1),
  ]),
  fragCase(17, 'Twice: a final continuation frame with no message, then a text frame with FIN=0 and a final continuation.', FAIL, () => [
    ...[0, 1].flatMap(() => [
      f(Opcode.Continuation, 'fragment1', true, {}),
      f(Opcode.Text, 'fragment2', false, {}),
      f(Opcode.Continuation, 'fragment3', true, {}),
    ]),
    killAfter(1),
  ]),
  fragCase(18, 'Send a text frame with FIN=0, then a second text frame instead of a continuation.', FAIL, () => [
    f(Opcode.Text, 'fragment1', false, {}),
    f(Opcode.Text, 'fragment2', true, {}),
    killAfter(1),
  ]),
  ...[false, true].map((sync, k) =>
    fragCase(
      19 + k,
      `Send a text message in five fragments with a Ping after the second and the fourth, pausing one second in the middle${sync ? '; every frame in its own TCP write' : ''}.`,
      'Both Pongs as the Pings arrive, then the echo of the reassembled message.',
      () => {
        const w: Write = sync ? { sync: true } : {};
        return [
          f(Opcode.Text, 'fragment1', false, w),
          f(Opcode.Continuation, 'fragment2', false, w),
          f(Opcode.Ping, 'pongme 1!', true, w),
          continueLater(1, null, [
            f(Opcode.Continuation, 'fragment3', false, w),
            f(Opcode.Continuation, 'fragment4', false, w),
            f(Opcode.Ping, 'pongme 2!', true, w),
            f(Opcode.Continuation, 'fragment5', true, w),
            closeAfter(1),
          ]),
        ];
      },
    ),
  ),
];
