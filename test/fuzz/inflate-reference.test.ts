/**
 * The `deflate` target's model of the right refusal
 * (fuzz/support/inflate-reference.ts): a message that passes the limit and
 * then turns invalid may fail with 1009, so "more than the limit before the
 * error" has to be counted to the DEFLATE symbol. Under a dynamic Huffman code
 * one octet holds a 258-octet match, the end of the block and the header of an
 * invalid next block (the target's first finding, docs/fuzzing.md).
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../fuzz/corpus/deflate-seeds.js';
import { DEFLATE_LIMITS, encodeDeflateSetup } from '../../fuzz/support/deflate-setup.js';
import { ReferenceInflater } from '../../fuzz/support/inflate-reference.js';
import { checkDeflate } from '../../fuzz/targets/deflate.js';
import { createPerMessageDeflate } from '../../src/codec/deflate/index.js';
import { nodeDeflateEngine } from '../../src/harness/deflate-node.js';

const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const LITERAL = 0x61;
const MATCH = 258;

/**
 * A dynamic block (RFC 1951 §3.2.7) whose codes are 'a' = 10, end of block =
 * 11, length 258 = 0 and distance 1 = 0: 'a', `matches` matches of 258
 * octets at distance 1, the end of the block, then a block header with
 * BTYPE 11 (reserved, an error). With `matches` ≡ 1 mod 4 the last match,
 * the end of the block and the bad header share the last octet (its bits 1-7).
 */
function matchesThenInvalidBlock(matches: number): { payload: Uint8Array; before: number; errorOctet: number } {
  const w = new BitWriter().bits(0, 1).bits(2, 2);
  w.bits(286 - 257, 5).bits(1 - 1, 5).bits(18 - 4, 4);
  // Code lengths of the code-length alphabet: 18 → 1 bit (code 0), 1 and 2 → 2 bits (10, 11).
  const clLengths = new Map([[18, 1], [1, 2], [2, 2]]);
  for (const s of CL_ORDER.slice(0, 18)) w.bits(clLengths.get(s) ?? 0, 3);
  const zeros = (n: number) => w.code(0, 1).bits(n - 11, 7);
  const length = (l: 1 | 2) => w.code(l === 1 ? 2 : 3, 2);
  zeros(LITERAL); // symbols 0-96
  length(2); // 'a'
  zeros(138); // 98-235
  zeros(20); // 236-255
  length(2); // end of block
  zeros(28); // 257-284
  length(1); // 285: length 258
  length(1); // distance code 0: distance 1
  w.code(2, 2); // 'a'
  for (let k = 0; k < matches; k++) w.code(0, 1).code(0, 1);
  w.code(3, 2); // end of block
  w.bits(0, 1).bits(3, 2); // BTYPE 11
  const payload = w.bytes();
  return { payload, before: 1 + MATCH * matches, errorOctet: payload.length - 1 };
}

describe('inflate reference: output before an error', () => {
  for (const matches of [1, 5, 9, 125]) {
    it(`${matches} match(es) ending in the octet that turns invalid: too big exactly below ${1 + MATCH * matches} octets`, () => {
      const { payload, before, errorOctet } = matchesThenInvalidBlock(matches);
      // The trap this guards against: the octets before the invalid one decode to less.
      const prefix = zlib.inflateRawSync(payload.subarray(0, errorOctet), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      expect(prefix.length).toBeLessThan(before);
      expect(() => zlib.inflateRawSync(payload.subarray(0, errorOctet + 1), { finishFlush: zlib.constants.Z_SYNC_FLUSH })).toThrow(/invalid block type/);
      for (const [limit, tooBig] of [
        [prefix.length, true],
        [before - 1, true],
        [before, false],
        [before + 1, false],
      ] as const) {
        const r = new ReferenceInflater(false).message(payload, limit);
        expect(r.kind).toBe('refused');
        if (r.kind !== 'refused') continue;
        expect([limit, r.tooBig()]).toEqual([limit, tooBig]);
        expect(r.invalid()).toMatch(/invalid block type/);
      }
    });
  }

  it('the receiver refuses it with 1009 under a limit between the two, and the target agrees', () => {
    const { payload, before } = matchesThenInvalidBlock(1);
    const limit = DEFLATE_LIMITS.indexOf(256);
    expect(before).toBeGreaterThan(256);
    const receiver = createPerMessageDeflate({ role: 'server', params: { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: null }, engine: nodeDeflateEngine });
    try {
      expect(receiver.decodeMessage(payload, 4, 256)).toMatchObject({ ok: false, code: 1009 });
    } finally {
      receiver.close();
    }
    expect(() => checkDeflate(encodeDeflateSetup({ limit, messages: [{ payload }] }))).not.toThrow();
    expect(() => checkDeflate(encodeDeflateSetup({ limit: DEFLATE_LIMITS.indexOf(1000), messages: [{ payload }] }))).not.toThrow();
  });
});
