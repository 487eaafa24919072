/**
 * Category 4, Opcodes (RFC 6455 §5.2): %x3-7 are reserved for future data
 * frames and %xB-F for future control frames; a receiver that gets one must
 * fail the connection ("If an unknown opcode is received, the receiving
 * endpoint MUST _Fail the WebSocket Connection_").
 */
import { Opcode } from '../../codec/opcode.js';
import { EMPTY, utf8 } from '../payload.js';
import { frame, killAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';
import type { Step } from '../../model/scenario.js';

function opcodeCases(sub: '4.1' | '4.2', opcodes: readonly number[]): CaseDefinition[] {
  const control = sub === '4.2';
  const family = control ? 'control' : 'data (non-control)';
  const make = (n: number, description: string, expectation: string, steps: () => Step[]): CaseDefinition => ({
    id: `${sub}.${n}`,
    category: '4',
    categoryTitle: 'Opcodes',
    subcategory: sub,
    subcategoryTitle: control ? 'Control Opcodes' : 'Non-control Opcodes',
    description,
    expectation,
    scenario: () => ({ steps: steps() }),
  });
  const fail = (op: number) => `The peer fails the connection with 1002 (protocol error) on the frame with opcode ${op}.`;
  const echoThenFail = (op: number) =>
    `The peer echoes the valid message, then fails the connection with 1002 on the frame with opcode ${op}; the Ping is never answered. ` +
    'A peer that fails before its application echoed the first message is conforming too (NON-STRICT).';
  const [a, b, c, d, e] = opcodes as [number, number, number, number, number];
  const sequence = (op: number, payload: Uint8Array, chop?: number): Step[] => {
    const write = chop === undefined ? {} : { chop };
    return [
      frame(Opcode.Text, utf8('Hello, world!'), write),
      frame(op, payload, write),
      frame(Opcode.Ping, EMPTY, write),
      killAfter(1),
    ];
  };
  return [
    make(1, `Send a frame with the reserved ${family} opcode ${a} and no payload.`, fail(a), () => [frame(a, EMPTY), killAfter(1)]),
    make(2, `Send a frame with the reserved ${family} opcode ${b} and a short payload.`, fail(b), () => [
      frame(b, utf8('reserved opcode payload')),
      killAfter(1),
    ]),
    make(3, `Send a valid text message, then an empty frame with the reserved ${family} opcode ${c}, then a Ping.`, echoThenFail(c), () =>
      sequence(c, EMPTY),
    ),
    make(4, `Send a valid text message, then a frame with the reserved ${family} opcode ${d} and a payload, then a Ping.`, echoThenFail(d), () =>
      sequence(d, utf8('Hello, world!')),
    ),
    make(
      5,
      `Send a valid text message, then a frame with the reserved ${family} opcode ${e} and a payload, then a Ping; every frame written one octet per TCP write.`,
      echoThenFail(e),
      () => sequence(e, utf8('Hello, world!'), 1),
    ),
  ];
}

export const opcodes: readonly CaseDefinition[] = [...opcodeCases('4.1', [3, 4, 5, 6, 7]), ...opcodeCases('4.2', [11, 12, 13, 14, 15])];
