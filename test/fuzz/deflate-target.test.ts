/**
 * The `deflate` target against planted bugs in the engine it is given: a
 * compressor that ignores the agreed window is caught even when it reaches
 * back past the short history the target decodes with first, and the real
 * engine passes the same input.
 */
import { describe, expect, it } from 'vitest';
import type { DeflateEngine } from '../../src/codec/deflate/index.js';
import { nodeDeflateEngine } from '../../src/harness/deflate-node.js';
import { encodeDeflateSetup } from '../../fuzz/support/deflate-setup.js';
import { FuzzFinding } from '../../fuzz/support/input.js';
import { checkDeflate } from '../../fuzz/targets/deflate.js';

/** Compresses with a 32 KiB window whatever was agreed (RFC 7692 §7.2.1 forbids it). */
const wideWindow: DeflateEngine = {
  name: 'planted: window bits ignored',
  createDeflater: (o) => nodeDeflateEngine.createDeflater({ ...o, windowBits: 15 }),
  createInflater: (o) => nodeDeflateEngine.createInflater(o),
};

/** Octets with no repeats a compressor could use (a seeded generator). */
function noise(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) & 0xff);
}

function finding(run: () => void): FuzzFinding | null {
  try {
    run();
    return null;
  } catch (e) {
    if (e instanceof FuzzFinding) return e;
    throw e;
  }
}

describe('deflate target: planted compressor bugs', () => {
  // The second message repeats the start of the first, 2000 octets back: beyond both 2^9 and the short history.
  const first = noise(2000, 7);
  const input = encodeDeflateSetup({
    plain: true,
    level: 1,
    params: { serverMaxWindowBits: 9, clientMaxWindowBits: 9 },
    messages: [{ payload: first }, { payload: first.subarray(0, 300) }],
  });

  it('a compressor that ignores 9 agreed window bits is a compressor-window finding', () => {
    const f = finding(() => checkDeflate(input, wideWindow));
    expect(f?.property).toBe('compressor-window');
    expect(f?.message).toMatch(/distance of \d+ octets with 9 window bits/);
  });

  it('the real engine passes the same input', () => {
    expect(finding(() => checkDeflate(input, nodeDeflateEngine))).toBeNull();
  });
});
