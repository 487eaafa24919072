/**
 * Category 2, Pings/Pongs (RFC 6455 §5.5.2, §5.5.3): a Ping must be answered
 * with a Pong carrying the same application data; control payloads are at
 * most 125 octets; an unsolicited Pong needs no answer.
 */
import { Opcode } from '../../codec/opcode.js';
import { EMPTY, hex, repeat, utf8 } from '../payload.js';
import { close, closeAfter, frame, killAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';
import type { Step } from '../../model/scenario.js';

const FE = new Uint8Array([0xfe]);

function pingCase(n: number, description: string, expectation: string, steps: () => Step[]): CaseDefinition {
  return {
    id: `2.${n}`,
    category: '2',
    categoryTitle: 'Pings/Pongs',
    subcategory: `2.${n}`,
    subcategoryTitle: null,
    description,
    expectation,
    scenario: () => ({ steps: steps() }),
  };
}

const tenPings = (chop: number | null): Step[] => [
  ...Array.from({ length: 10 }, (_, k) => frame(Opcode.Ping, utf8(`payload-${k}`), chop === null ? {} : { chop })),
  closeAfter(3),
];

export const pings: readonly CaseDefinition[] = [
  pingCase(1, 'Send a Ping with no application data.', 'A Pong with no application data.', () => [
    frame(Opcode.Ping, EMPTY),
    closeAfter(1),
  ]),
  pingCase(2, 'Send a Ping with a short text as application data.', 'A Pong carrying the same text.', () => [
    frame(Opcode.Ping, utf8('Hello, world!')),
    closeAfter(1),
  ]),
  pingCase(3, 'Send a Ping whose application data is 8 octets of binary (not UTF-8).', 'A Pong carrying the same 8 octets.', () => [
    frame(Opcode.Ping, hex('00fffefdfcfb00ff')),
    closeAfter(1),
  ]),
  pingCase(4, 'Send a Ping with 125 octets of application data, the most a control frame may carry.', 'A Pong carrying the same 125 octets.', () => [
    frame(Opcode.Ping, repeat(FE, 125)),
    closeAfter(1),
  ]),
  pingCase(
    5,
    'Send a Ping with 126 octets of application data, one more than a control frame may carry.',
    'The peer fails the connection with 1002 (protocol error) and sends no Pong.',
    () => [frame(Opcode.Ping, repeat(FE, 126)), killAfter(1)],
  ),
  pingCase(6, 'Send a Ping with 125 octets of application data, written one octet per TCP write.', 'A Pong carrying the same 125 octets.', () => [
    frame(Opcode.Ping, repeat(FE, 125), { chop: 1 }),
    closeAfter(2),
  ]),
  pingCase(7, 'Send a Pong nobody asked for, with no application data, then close normally.', 'No answer to the Pong; a normal closing handshake.', () => [
    frame(Opcode.Pong, EMPTY),
    close(1000),
    closeAfter(1),
  ]),
  pingCase(8, 'Send a Pong nobody asked for, with some text, then close normally.', 'No answer to the Pong; a normal closing handshake.', () => [
    frame(Opcode.Pong, utf8('unsolicited pong payload')),
    close(1000),
    closeAfter(1),
  ]),
  pingCase(9, 'Send an unsolicited Pong, then a Ping.', 'Only the Ping is answered, with a Pong carrying its data.', () => [
    frame(Opcode.Pong, utf8('unsolicited pong payload')),
    frame(Opcode.Ping, utf8('ping payload')),
    closeAfter(1),
  ]),
  pingCase(10, 'Send ten Pings back to back, each with different data.', 'Ten Pongs, in order, each with the data of its Ping.', () => tenPings(null)),
  pingCase(
    11,
    'Send ten Pings back to back, each with different data and written one octet per TCP write.',
    'Ten Pongs, in order, each with the data of its Ping.',
    () => tenPings(1),
  ),
];
