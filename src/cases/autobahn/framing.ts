/**
 * Category 1, Framing: single-frame text and binary messages at every length
 * encoding boundary (RFC 6455 §5.2: 7-bit up to 125, 16-bit up to 65535, 64-bit
 * beyond), one of them written in 997-octet TCP pieces.
 */
import { Opcode } from '../../codec/opcode.js';
import { frame, killAfter } from '../steps.js';
import { repeat } from '../payload.js';
import type { CaseDefinition } from '../types.js';

const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536] as const;

function lengthNote(length: number): string {
  if (length <= 125) return 'fits the 7-bit length field';
  if (length <= 65535) return 'needs the 16-bit extended length';
  return 'needs the 64-bit extended length';
}

function framingCases(sub: '1.1' | '1.2'): CaseDefinition[] {
  const binary = sub === '1.2';
  const unit = new Uint8Array([binary ? 0xfe : 0x2a]);
  const kind = binary ? 'binary' : 'text';
  const make = (n: number, length: number, chop: number | null): CaseDefinition => ({
    id: `${sub}.${n}`,
    category: '1',
    categoryTitle: 'Framing',
    subcategory: sub,
    subcategoryTitle: binary ? 'Binary Messages' : 'Text Messages',
    description:
      `Send one ${kind} message of ${length} octets in a single frame; the length ${lengthNote(length)}` +
      (chop === null ? '.' : `, and the frame goes out in TCP writes of ${chop} octets.`),
    expectation: `The peer echoes the ${kind} message unchanged; the tester then closes normally.`,
    scenario: () => {
      // Long payloads are a repeated unit, shown as such in wire logs.
      const repeated = length > 128;
      return {
        steps: [
          frame(binary ? Opcode.Binary : Opcode.Text, repeat(unit, length), {
            ...(repeated ? { repeatUnit: unit } : {}),
            ...(chop !== null ? { chop } : {}),
          }),
          killAfter(length > 128 ? 10 : 1),
        ],
      };
    },
  });
  return [...LENGTHS.map((length, k) => make(k + 1, length, null)), make(8, 65536, 997)];
}

export const framing: readonly CaseDefinition[] = [...framingCases('1.1'), ...framingCases('1.2')];
