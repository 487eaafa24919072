/**
 * Property suite for the opening-handshake codec: SHA-1 and base64 against
 * Node's implementations, the head parser under every split, and the
 * extension grammar's round trip. Fixed seeds: runs are reproducible.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../src/codec/base64.js';
import {
  buildClientRequest,
  buildServerResponse,
  computeAccept,
  formatExtensionList,
  generateKey,
  parseExtensionList,
  parseRequestHead,
  parseResponseHead,
  parseTokenList,
  validateClientRequest,
  validateServerResponse,
} from '../src/codec/handshake.js';
import type { ExtensionOffer } from '../src/codec/handshake.js';
import { sha1 } from '../src/codec/sha1.js';

const SEED = 6455;
const params = { seed: SEED, numRuns: 200 } as const;

const octets = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('');
/** Names that would misbehave as plain-object keys. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const token = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
);

/** field-value characters: VCHAR, obs-text, and SP/HTAB inside. */
const VALUE_CHARS: string[] = [];
for (let c = 0x21; c <= 0x7e; c++) VALUE_CHARS.push(String.fromCharCode(c));
for (let c = 0x80; c <= 0xff; c += 7) VALUE_CHARS.push(String.fromCharCode(c));
VALUE_CHARS.push(' ', ' ', '\t');
const fieldValue = fc
  .string({ unit: fc.constantFrom(...VALUE_CHARS), maxLength: 40 })
  .map((s) => s.replace(/^[ \t]+|[ \t]+$/g, ''));

const target = fc
  .string({ unit: fc.constantFrom(...Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i))), maxLength: 30 })
  .map((s) => '/' + s);

const headerFields = fc.array(fc.record({ name: token, value: fieldValue }), { maxLength: 12 });

const requestParts = fc.record({
  method: token,
  target,
  minor: fc.integer({ min: 0, max: 9 }),
  headers: headerFields,
});

function requestText(r: { method: string; target: string; minor: number; headers: { name: string; value: string }[] }): string {
  const lines = [`${r.method} ${r.target} HTTP/1.${r.minor}`, ...r.headers.map((h) => `${h.name}:${h.value.length > 0 ? ' ' : ''}${h.value}`)];
  return lines.join('\r\n') + '\r\n\r\n';
}

const extensionOffers: fc.Arbitrary<ExtensionOffer[]> = fc.array(
  fc.record({
    name: token,
    params: fc.array(fc.record({ name: token, value: fc.option(token, { nil: null }) }), { maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 5 },
);

describe('sha1 and base64 agree with Node', () => {
  it('sha1 equals node:crypto sha1 on arbitrary octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        expect(Buffer.from(sha1(data)).toString('hex')).toBe(createHash('sha1').update(data).digest('hex'));
      }),
      params,
    );
  });

  it('encodeBase64 equals Buffer and decodeBase64 inverts it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const text = encodeBase64(data);
        expect(text).toBe(Buffer.from(data).toString('base64'));
        expect(decodeBase64(text)).toEqual(data);
      }),
      params,
    );
  });

  it('decodeBase64 never throws, and accepts only canonical encodings', () => {
    const base64ish = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\u00e9'.split('')),
      maxLength: 24,
    });
    fc.assert(
      fc.property(fc.oneof(base64ish, fc.string({ unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)), maxLength: 24 })), (text) => {
        const decoded = decodeBase64(text);
        if (decoded !== null) expect(encodeBase64(decoded)).toBe(text);
      }),
      { ...params, numRuns: 500 },
    );
  });
});

describe('head parser', () => {
  it('answers incomplete at every split point, then the same head', () => {
    fc.assert(
      fc.property(requestParts, (r) => {
        const bytes = octets(requestText(r));
        for (let i = 0; i < bytes.length; i++) {
          expect(parseRequestHead(bytes.subarray(0, i), { maxHeadOctets: 1 << 16 }).kind).toBe('incomplete');
        }
        const result = parseRequestHead(bytes, { maxHeadOctets: 1 << 16 });
        expect(result).toEqual({
          kind: 'complete',
          headLength: bytes.length,
          head: { method: r.method, target: r.target, version: `HTTP/1.${r.minor}`, headers: r.headers },
        });
      }),
      { ...params, numRuns: 100 },
    );
  });

  it('leaves the octets after the head untouched', () => {
    fc.assert(
      fc.property(requestParts, fc.uint8Array({ maxLength: 64 }), (r, rest) => {
        const head = octets(requestText(r));
        const bytes = new Uint8Array(head.length + rest.length);
        bytes.set(head, 0);
        bytes.set(rest, head.length);
        const result = parseRequestHead(bytes, { maxHeadOctets: 1 << 16 });
        expect(result.kind).toBe('complete');
        if (result.kind !== 'complete') return;
        expect(result.headLength).toBe(head.length);
        expect(bytes.subarray(result.headLength)).toEqual(rest);
      }),
      params,
    );
  });

  it('never throws on arbitrary octets, and a complete head is complete on its own', () => {
    const prefix = fc.constantFrom('', 'GET / HTTP/1.1\r\n', 'HTTP/1.1 101 OK\r\n', 'GET / HTTP/1.1\r\nHost: x\r\n');
    const noise = fc.uint8Array({ maxLength: 120 }).map((b) => b.map((x) => (x % 5 === 0 ? [0x0d, 0x0a, 0x20, 0x3a, 0x09][x % 4]! : x)));
    fc.assert(
      fc.property(prefix, noise, fc.boolean(), (p, n, terminate) => {
        const bytes = new Uint8Array([...octets(p), ...n, ...(terminate ? [0x0d, 0x0a, 0x0d, 0x0a] : [])]);
        for (const parse of [parseRequestHead, parseResponseHead] as const) {
          const result = parse(bytes, { maxHeadOctets: 100 });
          if (result.kind === 'complete') {
            expect(result.headLength).toBeLessThanOrEqual(Math.min(bytes.length, 100));
            expect(parse(bytes.subarray(0, result.headLength), { maxHeadOctets: 100 })).toEqual(result);
          } else if (result.kind === 'error') {
            expect([400, 431, 505]).toContain(result.status);
          }
        }
      }),
      { ...params, numRuns: 1000 },
    );
  });
});

describe('header grammar', () => {
  it('parseExtensionList inverts formatExtensionList', () => {
    fc.assert(
      fc.property(extensionOffers, (offers) => {
        expect(parseExtensionList([formatExtensionList(offers)])).toEqual(offers);
      }),
      params,
    );
  });

  it('quoted token values, extra whitespace and split fields parse to the same offers', () => {
    const ows = fc.constantFrom('', ' ', '\t', '  ');
    fc.assert(
      fc.property(extensionOffers, ows, ows, fc.nat(), (offers, a, b, split) => {
        const elements = offers.map(
          (o) => o.name + o.params.map((p) => `${a};${b}${p.name}${p.value === null ? '' : `${a}=${b}"${p.value.replace(/./g, (c) => (c === 'a' ? '\\a' : c))}"`}`).join(''),
        );
        const cut = split % (elements.length + 1);
        const fields = [elements.slice(0, cut).join(`${a},${b}`), elements.slice(cut).join(`${b},${a}, `)].filter((f) => f !== '');
        expect(parseExtensionList(fields)).toEqual(offers);
      }),
      params,
    );
  });

  it('parseTokenList recovers tokens from any OWS and empty elements', () => {
    const sep = fc.constantFrom(',', ', ', ' ,', ',,', ' , \t, ');
    fc.assert(
      fc.property(fc.array(fc.tuple(token, sep), { minLength: 1, maxLength: 8 }), sep, (items, lead) => {
        const value = lead + items.map(([t, s]) => t + s).join('');
        expect(parseTokenList(value)).toEqual(items.map(([t]) => t));
      }),
      params,
    );
  });
});

describe('client and server sides agree', () => {
  it("a built request passes the server's checks and a built response passes the client's", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uniqueArray(token, { maxLength: 4 }),
        fc.option(extensionOffers, { nil: undefined }),
        target,
        (random16, protocols, extensions, path) => {
          const key = generateKey(random16);
          const request = buildClientRequest({
            host: 'localhost',
            port: 9001,
            path,
            key,
            protocols,
            ...(extensions === undefined ? {} : { extensions: formatExtensionList(extensions) }),
          });
          const parsed = parseRequestHead(request.bytes);
          expect(parsed.kind).toBe('complete');
          if (parsed.kind !== 'complete') return;
          const accepted = validateClientRequest(parsed.head);
          expect(accepted).toEqual({ ok: true, key, protocols, extensions: extensions ?? [], path, origin: null });
          if (!accepted.ok) return;

          const protocol = accepted.protocols[0];
          const response = buildServerResponse({
            key: accepted.key,
            ...(protocol === undefined ? {} : { protocol }),
            ...(extensions === undefined ? {} : { extensions: formatExtensionList(extensions.slice(0, 1)) }),
          });
          const parsedResponse = parseResponseHead(response.bytes);
          expect(parsedResponse.kind).toBe('complete');
          if (parsedResponse.kind !== 'complete') return;
          const offer = { key, offeredProtocols: protocols, offeredExtensions: extensions ?? [] };
          expect(validateServerResponse(parsedResponse.head, offer)).toEqual({
            ok: true,
            protocol: protocol ?? null,
            extensions: extensions?.slice(0, 1) ?? [],
          });
          // Any other key's accept value is refused.
          const otherKey = generateKey(random16.map((x, i) => (i === 0 ? x ^ 1 : x)));
          expect(computeAccept(otherKey)).not.toBe(computeAccept(key));
          expect(validateServerResponse(parsedResponse.head, { ...offer, key: otherKey }).ok).toBe(false);
        },
      ),
      params,
    );
  });
});
