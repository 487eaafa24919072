import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1, SHA1_DIGEST_LENGTH } from '../../src/codec/sha1.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('sha1 (FIPS 180-4)', () => {
  it('hashes the empty message', () => {
    expect(hex(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('hashes the one-block FIPS example "abc"', () => {
    expect(hex(sha1(ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('hashes the 448-bit two-block FIPS example', () => {
    const msg = ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    expect(hex(sha1(msg))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });

  it('hashes the 896-bit example', () => {
    const msg = ascii(
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    );
    expect(hex(sha1(msg))).toBe('a49b2446a02c645bf419f995b67091253a04a259');
  });

  it("hashes one million 'a'", () => {
    expect(hex(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('returns 20 octets and agrees with node:crypto around the padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const digest = sha1(data);
      expect(digest.length).toBe(SHA1_DIGEST_LENGTH);
      expect(hex(digest)).toBe(createHash('sha1').update(data).digest('hex'));
    }
  });

  it('hashes a subarray view by its own contents, not its buffer', () => {
    const backing = ascii('xxabcxx');
    expect(hex(sha1(backing.subarray(2, 5)))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});
