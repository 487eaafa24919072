import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../src/codec/base64.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('encodeBase64 (RFC 4648 §4)', () => {
  it('matches the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64(ascii(plain))).toBe(encoded);
      expect(decodeBase64(encoded)).toEqual(ascii(plain));
    }
  });

  it('encodes the RFC 6455 sample nonce', () => {
    expect(encodeBase64(ascii('the sample nonce'))).toBe('dGhlIHNhbXBsZSBub25jZQ==');
  });

  it('agrees with Buffer for all octet values and lengths 0..300', () => {
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const expected = Buffer.from(data).toString('base64');
      expect(encodeBase64(data)).toBe(expected);
      expect(decodeBase64(expected)).toEqual(data);
    }
  });

  it('encodes large inputs', () => {
    const data = new Uint8Array(100_000).map((_, i) => i & 0xff);
    expect(encodeBase64(data)).toBe(Buffer.from(data).toString('base64'));
  });
});

describe('decodeBase64 (strict)', () => {
  it.each([
    ['bad length', 'Zm9'],
    ['bad length 5', 'Zm9vY'],
    ['whitespace', 'Zm9v Zm9v'],
    ['trailing newline', 'Zm9v\n'],
    ['URL-safe alphabet', 'ab-_'],
    ['padding in the middle', 'Zg==Zm9v'],
    ['three pad characters', 'Z==='],
    ['only padding', '===='],
    ['pad then data', 'Zm=v'],
    ['non-zero pad bits (one pad)', 'Zm9='],
    ['non-zero pad bits (two pads)', 'Zh=='],
    ['non-latin1 character', 'Zm9\u20ac'],
    ['NUL', 'Zm9\u0000'],
  ])('rejects %s', (_label, text) => {
    expect(decodeBase64(text)).toBeNull();
  });

  it('decodes the empty string to no octets', () => {
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });

  it('decodes a 16-octet key', () => {
    expect(decodeBase64('dGhlIHNhbXBsZSBub25jZQ==')?.length).toBe(16);
  });
});
