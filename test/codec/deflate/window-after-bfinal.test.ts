/**
 * A message that ends its DEFLATE stream with BFINAL (RFC 7692 §7.2.1) makes
 * the receiver continue on a decompressor started from a preset dictionary,
 * the window so far. When the peer agreed not to take its window over and the
 * receiver decompresses every message from an empty window (§7.2.2 "MAY"),
 * that dictionary must not outlive the message: node:zlib's reset() puts a
 * raw inflater's dictionary back. Found by the `deflate` fuzz target
 * (docs/fuzzing.md).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFLATE_PARAMETERS, createPerMessageDeflate } from '../../../src/codec/deflate/index.js';
import { nodeDeflateEngine } from '../../../src/harness/deflate-node.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** 'ab' in a fixed-Huffman block with BFINAL set, then an empty stored block (the trailer completes it). */
const AB_FINAL = hex('4b 4c 02 00 00');
/** A fixed-Huffman block copying 3 octets from distance 2 — into the previous message, 'aba' after 'ab'. */
const BACK_TWO = hex('02 42 00 00');

describe('node engine: an inflater reset after a preset dictionary', () => {
  it('forgets the dictionary, as a fresh inflater would', () => {
    const message = Uint8Array.from([...BACK_TWO, 0x00, 0x00, 0xff, 0xff]);
    const fresh = nodeDeflateEngine.createInflater({ windowBits: 15 });
    const preset = nodeDeflateEngine.createInflater({ windowBits: 15, dictionary: hex('6162') });
    try {
      expect(fresh.inflate(message, 100).status).toBe('error');
      preset.reset();
      expect(preset.inflate(message, 100)).toMatchObject({ status: 'error', message: expect.stringMatching(/too far back/) });
    } finally {
      fresh.close();
      preset.close();
    }
  });

  it('the extension decompresses the next message from an empty window even after a BFINAL block', () => {
    const params = { ...DEFAULT_DEFLATE_PARAMETERS, serverNoContextTakeover: true };
    const client = createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine });
    const keeping = createPerMessageDeflate({ role: 'client', params, engine: nodeDeflateEngine, emptyWindowWhenPeerResets: false });
    try {
      for (const receiver of [client, keeping]) expect(receiver.decodeMessage(AB_FINAL, 4, 100)).toEqual({ ok: true, data: hex('6162') });
      expect(client.decodeMessage(BACK_TWO, 4, 100)).toMatchObject({ ok: false, code: 1007 });
      expect(keeping.decodeMessage(BACK_TWO, 4, 100)).toEqual({ ok: true, data: hex('616261') });
    } finally {
      client.close();
      keeping.close();
    }
  });
});
