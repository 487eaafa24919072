/**
 * permessage-deflate (RFC 7692) as a {@link MessageEncoding}: each message is
 * compressed or, as §6 allows, sent as is with RSV1 clear; compressed ones
 * are cut into stored and fixed-Huffman DEFLATE blocks at drawn places (empty
 * blocks included), so a peer's inflater meets block boundaries anywhere in
 * a message and across its fragments. The blocks never reach back past
 * themselves, so the payloads mean the same under every window size and
 * context-takeover setting a peer may agree to.
 *
 * Its own corruptions are compressed payloads that are not DEFLATE; RSV1 on
 * a continuation or control frame comes from the built-in `reserved-rsv`
 * corruptions, which draw RSV1 there once the encoding claims it.
 */
import fc from 'fast-check';
import { RSV1 } from '../codec/frame.js';
import { Opcode } from '../codec/opcode.js';
import { violation } from '../codec/violation.js';
import { type Block, BitWriter, deflatedMessage } from '../codec/deflate/writer.js';
import type { Corruption } from './corruption.js';
import type { MessageEncoding } from './messageEncoding.js';

/** What the encoding decides for one message. */
export interface DeflateChoice {
  /** Compress (RSV1 set) or send the message as is (RSV1 clear). */
  readonly compressed: boolean;
  /** Where blocks end, as fractions of the message in 1/65536 (sorted when used; equal ones make empty blocks). */
  readonly cuts: readonly number[];
  /** Block types in turn (`true`: fixed Huffman, `false`: stored); empty means all fixed. */
  readonly fixed: readonly boolean[];
}

function blocksOf(length: number, choice: DeflateChoice): Block[] {
  const ends = choice.cuts.map((c) => Math.floor((c * length) / 65536)).sort((a, b) => a - b);
  ends.push(length);
  const blocks: Block[] = [];
  let at = 0;
  ends.forEach((end, k) => {
    const fixed = choice.fixed.length === 0 ? true : choice.fixed[k % choice.fixed.length]!;
    blocks.push({ type: fixed ? 'fixed' : 'stored', length: end - at });
    at = end;
  });
  return blocks;
}

/** BTYPE 11, which RFC 1951 §3.2.3 reserves: "(reserved - error)". */
function reservedBlockType(): Uint8Array {
  return new BitWriter().bits(0, 1).bits(3, 2).bytes();
}

/** A stored block whose NLEN is not the complement of LEN (§3.2.4). */
function badStoredLength(): Uint8Array {
  return new BitWriter().bits(0, 1).bits(0, 2).align().octets(Uint8Array.of(5, 0, 0, 0)).octets(new TextEncoder().encode('Hello')).bits(0, 3).bytes();
}

const notDeflate: fc.Arbitrary<Corruption> = fc
  .tuple(fc.constantFrom(Opcode.Text, Opcode.Binary), fc.constantFrom({ payload: reservedBlockType(), what: 'a block of the reserved type 11' }, { payload: badStoredLength(), what: 'a stored block whose NLEN is not the complement of LEN' }))
  .map(([opcode, { payload, what }]) => ({
    label: {
      kind: 'extension-error',
      rule: violation('extension-error', '', 0).rule,
      code: 1007,
      detail: `a compressed ${opcode === Opcode.Text ? 'text' : 'binary'} message that is not DEFLATE: ${what}`,
      closeLevel: false,
    },
    frames: [{ opcode, rsv: RSV1, payload }],
    offender: 0,
  }));

/**
 * permessage-deflate with the parameters the peer agreed to (any: the
 * payloads need none). Messages are compressed seven times in eight.
 */
export function permessageDeflate(): MessageEncoding<DeflateChoice> {
  return {
    name: 'permessage-deflate',
    rsvBits: RSV1,
    choices: fc.record({
      compressed: fc.integer({ min: 0, max: 7 }).map((n) => n !== 0),
      cuts: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
      fixed: fc.array(fc.boolean(), { maxLength: 3 }),
    }),
    encode: (m, choice) => (choice.compressed ? { payload: deflatedMessage(m.payload, blocksOf(m.payload.length, choice)), rsv: RSV1 } : { payload: m.payload, rsv: 0 }),
    corruptions: notDeflate,
  };
}
