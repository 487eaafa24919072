/**
 * Category 10, Misc: a 64 KiB text message sent by the tester's own
 * fragmenter in 1300-octet frames (no empty tail: 65536 is not a multiple of
 * 1300). The case also checks that the tester really sent 1 + 50 frames.
 */
import { Opcode } from '../../codec/opcode.js';
import { repeat, utf8 } from '../payload.js';
import { killAfter, message } from '../steps.js';
import type { CaseDefinition } from '../types.js';

const STAR = utf8('*');

export const misc: readonly CaseDefinition[] = [
  {
    id: '10.1.1',
    category: '10',
    categoryTitle: 'Misc',
    subcategory: '10.1',
    subcategoryTitle: 'Auto-Fragmentation',
    description: 'Send a 65536-octet text message fragmented into frames of 1300 octets (one text frame and 50 continuations, the last of 536 octets).',
    expectation: 'The peer echoes the reassembled message.',
    scenario: () => ({
      steps: [message(false, repeat(STAR, 65536), { fragmentSize: 1300, repeatUnit: STAR }), killAfter(10)],
      rules: { ownFrames: { [Opcode.Text]: 1, [Opcode.Continuation]: 50 } },
    }),
  },
];
