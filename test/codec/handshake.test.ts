import { describe, expect, it } from 'vitest';
import {
  buildClientRequest,
  buildErrorResponse,
  buildServerResponse,
  buildUpgradeRequiredResponse,
  computeAccept,
  formatExtensionList,
  generateKey,
  headerHasToken,
  headerValues,
  isToken,
  parseExtensionList,
  parseRequestHead,
  parseResponseHead,
  parseTokenList,
  validateClientRequest,
  validateServerResponse,
} from '../../src/codec/handshake.js';
import type { HeaderField, RequestHead, ResponseHead } from '../../src/codec/handshake.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

const octets = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const latin1 = (b: Uint8Array): string => Array.from(b, (x) => String.fromCharCode(x)).join('');

function head(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

function parseRequest(text: string): RequestHead {
  const result = parseRequestHead(octets(text));
  if (result.kind !== 'complete') throw new Error(`expected complete, got ${JSON.stringify(result)}`);
  return result.head;
}

function parseResponse(text: string): ResponseHead {
  const result = parseResponseHead(octets(text));
  if (result.kind !== 'complete') throw new Error(`expected complete, got ${JSON.stringify(result)}`);
  return result.head;
}

/** The RFC 6455 §1.2 sample request, with one header replaced, dropped or added. */
function request(overrides: { method?: string; version?: string; drop?: string[]; add?: [string, string][] } = {}): RequestHead {
  const base: [string, string][] = [
    ['Host', 'server.example.com'],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', KEY],
    ['Origin', 'http://example.com'],
    ['Sec-WebSocket-Protocol', 'chat, superchat'],
    ['Sec-WebSocket-Version', '13'],
  ];
  const drop = new Set((overrides.drop ?? []).map((n) => n.toLowerCase()));
  const headers: HeaderField[] = base
    .filter(([n]) => !drop.has(n.toLowerCase()))
    .concat(overrides.add ?? [])
    .map(([name, value]) => ({ name, value }));
  return { method: overrides.method ?? 'GET', target: '/chat', version: overrides.version ?? 'HTTP/1.1', headers };
}

function response(fields: [string, string][], status = 101): ResponseHead {
  return { version: 'HTTP/1.1', status, reasonPhrase: 'Switching Protocols', headers: fields.map(([name, value]) => ({ name, value })) };
}

const GOOD_RESPONSE: [string, string][] = [
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Accept', ACCEPT],
];
const OFFER = { key: KEY, offeredProtocols: ['chat', 'superchat'], offeredExtensions: [{ name: 'permessage-deflate', params: [] }] };

describe('computeAccept and generateKey (RFC 6455 §4.2.2, §4.1)', () => {
  it('computes the RFC 6455 §1.3 example', () => {
    expect(computeAccept(KEY)).toBe(ACCEPT);
  });

  it('base64-encodes the 16 random octets it is given', () => {
    expect(generateKey(new Uint8Array(16))).toBe('AAAAAAAAAAAAAAAAAAAAAA==');
    expect(generateKey(octets('the sample nonce'))).toBe(KEY);
  });
});

describe('buildClientRequest (RFC 6455 §4.1)', () => {
  it('writes the Autobahn client layout', () => {
    const { text, bytes } = buildClientRequest({
      host: 'localhost',
      port: 9001,
      path: '/runCase?case=1&agent=x',
      key: KEY,
      origin: 'http://localhost',
      protocols: ['chat', 'superchat'],
      extensions: 'permessage-deflate; client_max_window_bits',
      headers: [['X-One', '1'], ['X-Two', '2']],
      userAgent: 'AutobahnTestSuite/0.8.2',
    });
    expect(text).toBe(
      head(`GET /runCase?case=1&agent=x HTTP/1.1
User-Agent: AutobahnTestSuite/0.8.2
Host: localhost:9001
Upgrade: WebSocket
Connection: Upgrade
Pragma: no-cache
Cache-Control: no-cache
Sec-WebSocket-Key: ${KEY}
Origin: http://localhost
Sec-WebSocket-Protocol: chat,superchat
Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits
Sec-WebSocket-Version: 13
X-One: 1
X-Two: 2

`),
    );
    expect(latin1(bytes)).toBe(text);
  });

  it('omits optional fields, the port when not given, and User-Agent when empty', () => {
    const { text } = buildClientRequest({ host: 'example.com', path: '/', key: KEY, userAgent: '' });
    expect(text).toBe(
      head(`GET / HTTP/1.1
Host: example.com
Upgrade: WebSocket
Connection: Upgrade
Pragma: no-cache
Cache-Control: no-cache
Sec-WebSocket-Key: ${KEY}
Sec-WebSocket-Version: 13

`),
    );
  });

  it('defaults the User-Agent and brackets IPv6 literals', () => {
    const { text } = buildClientRequest({ host: '::1', port: 80, path: '/', key: KEY });
    expect(text).toContain('\r\nUser-Agent: wscheck\r\n');
    expect(text).toContain('\r\nHost: [::1]:80\r\n');
    expect(buildClientRequest({ host: '[fe80::1]', path: '/', key: KEY }).text).toContain('\r\nHost: [fe80::1]\r\n');
  });

  it('produces a request its own server side accepts', () => {
    const { bytes } = buildClientRequest({ host: '127.0.0.1', port: 9001, path: '/p', key: KEY, protocols: ['a'] });
    const parsed = parseRequestHead(bytes);
    expect(parsed.kind).toBe('complete');
    if (parsed.kind !== 'complete') return;
    expect(parsed.headLength).toBe(bytes.length);
    expect(validateClientRequest(parsed.head)).toEqual({
      ok: true,
      key: KEY,
      protocols: ['a'],
      extensions: [],
      path: '/p',
      origin: null,
    });
  });
});

describe('parseRequestHead (RFC 7230 §3)', () => {
  const sample = head(`GET /chat HTTP/1.1
Host: server.example.com
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Key: ${KEY}
Sec-WebSocket-Version: 13

`);

  it('parses a request and keeps names, order and case', () => {
    const result = parseRequestHead(octets(sample));
    expect(result).toEqual({
      kind: 'complete',
      headLength: sample.length,
      head: {
        method: 'GET',
        target: '/chat',
        version: 'HTTP/1.1',
        headers: [
          { name: 'Host', value: 'server.example.com' },
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Connection', value: 'Upgrade' },
          { name: 'Sec-WebSocket-Key', value: KEY },
          { name: 'Sec-WebSocket-Version', value: '13' },
        ],
      },
    });
  });

  it('leaves pipelined frame octets after headLength untouched', () => {
    const frame = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
    const bytes = new Uint8Array([...octets(sample), ...frame]);
    const result = parseRequestHead(bytes);
    expect(result.kind).toBe('complete');
    if (result.kind !== 'complete') return;
    expect(result.headLength).toBe(sample.length);
    expect(Array.from(bytes.subarray(result.headLength))).toEqual(frame);
  });

  it('is incomplete at every proper prefix', () => {
    const bytes = octets(sample);
    for (let i = 0; i < bytes.length; i++) expect(parseRequestHead(bytes.subarray(0, i))).toEqual({ kind: 'incomplete' });
  });

  it('trims OWS around values and keeps inner whitespace', () => {
    const h = parseRequest(head(`GET / HTTP/1.1
X-A: \t one  two \t

`));
    expect(h.headers).toEqual([{ name: 'X-A', value: 'one  two' }]);
  });

  it('parses an empty value', () => {
    expect(parseRequest('GET / HTTP/1.1\r\nX-Empty:\r\n\r\n').headers).toEqual([{ name: 'X-Empty', value: '' }]);
  });

  it('parses a value followed by 100 000 spaces', () => {
    const text = 'GET / HTTP/1.1\r\nX-Long: token' + ' '.repeat(100_000) + '\r\n\r\n';
    const result = parseRequestHead(octets(text), { maxHeadOctets: 1 << 20 });
    expect(result.kind).toBe('complete');
    if (result.kind !== 'complete') return;
    expect(result.head.headers).toEqual([{ name: 'X-Long', value: 'token' }]);
    expect(result.headLength).toBe(text.length);
  });

  it('keeps 100 000 inner spaces of a value', () => {
    const text = 'GET / HTTP/1.1\r\nX-Long: a' + ' '.repeat(100_000) + 'b\r\n\r\n';
    const result = parseRequestHead(octets(text), { maxHeadOctets: 1 << 20 });
    expect(result.kind === 'complete' && result.head.headers[0]!.value.length).toBe(100_002);
  });

  it('decodes octets as latin1, never throwing', () => {
    const bytes = new Uint8Array([...octets('GET / HTTP/1.1\r\nX-Bin: '), 0xe9, 0x80, 0xff, 0x9f, ...octets('\r\n\r\n')]);
    const result = parseRequestHead(bytes);
    expect(result.kind === 'complete' && result.head.headers[0]!.value).toBe('\u00e9\u0080\u00ff\u009f');
  });

  it('treats prototype names as plain data', () => {
    const h = parseRequest(head(`GET / HTTP/1.1
__proto__: a
constructor: b
toString: c
__proto__: d

`));
    expect(headerValues(h.headers, '__proto__')).toEqual(['a', 'd']);
    expect(headerValues(h.headers, 'constructor')).toEqual(['b']);
    expect(headerValues(h.headers, 'hasOwnProperty')).toEqual([]);
  });

  it('ignores empty lines before the request-line (RFC 7230 §3.5) and counts them', () => {
    const text = '\r\n\r\n' + sample;
    const result = parseRequestHead(octets(text));
    expect(result.kind === 'complete' && result.headLength).toBe(text.length);
    expect(parseRequestHead(octets('\r\n'))).toEqual({ kind: 'incomplete' });
  });

  it.each([
    ['obs-fold', 'GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n', 400],
    ['whitespace before the first header', 'GET / HTTP/1.1\r\n Host: x\r\n\r\n', 400],
    ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400],
    ['no colon', 'GET / HTTP/1.1\r\nHost\r\n\r\n', 400],
    ['empty name', 'GET / HTTP/1.1\r\n: x\r\n\r\n', 400],
    ['non-token name', 'GET / HTTP/1.1\r\nX(a): x\r\n\r\n', 400],
    ['NUL in a value', 'GET / HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n', 400],
    ['bare CR in a value', 'GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n', 400],
    ['DEL in a value', 'GET / HTTP/1.1\r\nX-A: a\u007fb\r\n\r\n', 400],
    ['bare LF line end', 'GET / HTTP/1.1\nHost: x\r\n\r\n', 400],
    ['bare LF head end', 'GET / HTTP/1.1\r\nHost: x\r\n\n', 400],
    ['missing version', 'GET /\r\n\r\n', 400],
    ['two spaces', 'GET  / HTTP/1.1\r\n\r\n', 400],
    ['lowercase version', 'GET / http/1.1\r\n\r\n', 400],
    ['trailing space', 'GET / HTTP/1.1 \r\n\r\n', 400],
    ['non-token method', 'G(T / HTTP/1.1\r\n\r\n', 400],
    ['non-ASCII target', 'GET /\u00e9 HTTP/1.1\r\n\r\n', 400],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\n\r\n', 505],
    ['HTTP/0.9', 'GET / HTTP/0.9\r\n\r\n', 505],
  ])('rejects %s', (_label, text, status) => {
    const result = parseRequestHead(octets(text));
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.status).toBe(status);
    expect(result.kind === 'error' && result.reason.length > 0).toBe(true);
  });

  it('fails a malformed request-line before the head is complete', () => {
    expect(parseRequestHead(octets('HELLO WORLD\r\n')).kind).toBe('error');
    expect(parseRequestHead(octets('GET / HTTP/1.1\r\nbad line\r\n')).kind).toBe('error');
  });

  it('parses HTTP/1.0 (the validator, not the parser, refuses it)', () => {
    expect(parseRequest('GET / HTTP/1.0\r\n\r\n').version).toBe('HTTP/1.0');
  });

  it('answers 431 past maxHeadOctets, and only then', () => {
    const bytes = octets(sample);
    expect(parseRequestHead(bytes, { maxHeadOctets: bytes.length }).kind).toBe('complete');
    const over = parseRequestHead(bytes, { maxHeadOctets: bytes.length - 1 });
    expect(over.kind === 'error' && over.status).toBe(431);
    // A prefix shorter than the limit is still incomplete; reaching it without an end is 431.
    expect(parseRequestHead(bytes.subarray(0, 20), { maxHeadOctets: 21 }).kind).toBe('incomplete');
    const atLimit = parseRequestHead(bytes.subarray(0, 21), { maxHeadOctets: 21 });
    expect(atLimit.kind === 'error' && atLimit.status).toBe(431);
  });

  it('applies a default limit', () => {
    const result = parseRequestHead(octets('GET / HTTP/1.1\r\nX-A: ' + 'a'.repeat(20_000)));
    expect(result.kind === 'error' && result.status).toBe(431);
  });

  it('answers 431 past maxHeaders', () => {
    const fields = Array.from({ length: 5 }, (_, i) => `X-${i}: ${i}\r\n`).join('');
    const text = `GET / HTTP/1.1\r\n${fields}\r\n`;
    expect(parseRequestHead(octets(text), { maxHeaders: 5 }).kind).toBe('complete');
    const over = parseRequestHead(octets(text), { maxHeaders: 4 });
    expect(over.kind === 'error' && over.status).toBe(431);
  });
});

describe('parseResponseHead (RFC 7230 §3.1.2)', () => {
  it('parses a 101 response', () => {
    const text = head(`HTTP/1.1 101 Switching Protocols
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Accept: ${ACCEPT}

`);
    const result = parseResponseHead(octets(text + '\u0081\u0000'));
    expect(result).toEqual({
      kind: 'complete',
      headLength: text.length,
      head: {
        version: 'HTTP/1.1',
        status: 101,
        reasonPhrase: 'Switching Protocols',
        headers: [
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Connection', value: 'Upgrade' },
          { name: 'Sec-WebSocket-Accept', value: ACCEPT },
        ],
      },
    });
  });

  it('tolerates an empty or missing reason-phrase', () => {
    expect(parseResponse('HTTP/1.1 101\r\n\r\n')).toMatchObject({ status: 101, reasonPhrase: '' });
    expect(parseResponse('HTTP/1.1 101 \r\n\r\n')).toMatchObject({ status: 101, reasonPhrase: '' });
    expect(parseResponse('HTTP/1.1 404 Not  Found\u00e9\r\n\r\n').reasonPhrase).toBe('Not  Found\u00e9');
  });

  it.each([
    ['short status', 'HTTP/1.1 10 OK\r\n\r\n', 400],
    ['letters in status', 'HTTP/1.1 1x1 OK\r\n\r\n', 400],
    ['no SP after status', 'HTTP/1.1 101OK\r\n\r\n', 400],
    ['empty start-line', '\r\nHTTP/1.1 101 OK\r\n\r\n', 400],
    ['garbage', 'SSH-2.0-OpenSSH_9.6\r\n', 400],
    ['control in reason', 'HTTP/1.1 101 O\u0001K\r\n\r\n', 400],
    ['HTTP/2.0', 'HTTP/2.0 101 OK\r\n\r\n', 505],
  ])('rejects %s', (_label, text, status) => {
    const result = parseResponseHead(octets(text));
    expect(result.kind === 'error' && result.status).toBe(status);
  });
});

describe('header grammar (RFC 7230 §3.2.6, §7; RFC 6455 §9.1)', () => {
  it('recognizes tokens', () => {
    expect(isToken('permessage-deflate')).toBe(true);
    expect(isToken("!#$%&'*+-.^_`|~09AZaz")).toBe(true);
    for (const bad of ['', 'a b', 'a,b', 'a;b', 'a=b', '"a"', 'a/b', 'a\u00e9', 'a\tb', '(a)', 'a@b']) {
      expect(isToken(bad)).toBe(false);
    }
  });

  it('parses 1#token lists with OWS and empty elements', () => {
    expect(parseTokenList('chat')).toEqual(['chat']);
    expect(parseTokenList('chat, superchat')).toEqual(['chat', 'superchat']);
    expect(parseTokenList(' ,chat ,\t, superchat ,')).toEqual(['chat', 'superchat']);
    expect(parseTokenList('')).toBeNull();
    expect(parseTokenList(' , ,')).toBeNull();
    expect(parseTokenList('chat superchat')).toBeNull();
    expect(parseTokenList('chat; q=1')).toBeNull();
  });

  it('finds tokens in Connection and Upgrade, case-insensitively', () => {
    const headers: HeaderField[] = [
      { name: 'connection', value: 'keep-alive, UPGRADE' },
      { name: 'Upgrade', value: 'h2c,WebSocket' },
    ];
    expect(headerHasToken(headers, 'Connection', 'upgrade')).toBe(true);
    expect(headerHasToken(headers, 'CONNECTION', 'keep-alive')).toBe(true);
    expect(headerHasToken(headers, 'upgrade', 'websocket')).toBe(true);
    expect(headerHasToken(headers, 'Connection', 'close')).toBe(false);
    expect(headerHasToken([{ name: 'Connection', value: 'upgrade-please' }], 'Connection', 'upgrade')).toBe(false);
  });

  it('parses extension offers with parameters', () => {
    expect(
      parseExtensionList([
        'permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate',
        'x-foo ;a = 1 ; b',
      ]),
    ).toEqual([
      {
        name: 'permessage-deflate',
        params: [
          { name: 'client_max_window_bits', value: null },
          { name: 'server_max_window_bits', value: '10' },
        ],
      },
      { name: 'permessage-deflate', params: [] },
      { name: 'x-foo', params: [{ name: 'a', value: '1' }, { name: 'b', value: null }] },
    ]);
    expect(parseExtensionList([])).toEqual([]);
  });

  it('unquotes quoted values and requires them to be tokens', () => {
    expect(parseExtensionList(['e; a="10"'])).toEqual([{ name: 'e', params: [{ name: 'a', value: '10' }] }]);
    expect(parseExtensionList(['e; a="1\\0"'])).toEqual([{ name: 'e', params: [{ name: 'a', value: '10' }] }]);
    expect(parseExtensionList(['e; a="a b"'])).toBeNull();
    expect(parseExtensionList(['e; a=""'])).toBeNull();
    expect(parseExtensionList(['e; a="a,b"'])).toBeNull();
    expect(parseExtensionList(['e; a="10'])).toBeNull();
    expect(parseExtensionList(['e; a="10\\'])).toBeNull();
  });

  it.each([[''], [' , '], ['e;'], ['e; =1'], ['e; a='], ['e a'], [';a'], ['e; a=1 2'], ['e; a=b=c'], ['e, f g']])(
    'rejects the extension-list %j',
    (value) => {
      expect(parseExtensionList([value])).toBeNull();
    },
  );

  it('tolerates empty list elements', () => {
    expect(parseExtensionList([', a , , b ,'])).toEqual([
      { name: 'a', params: [] },
      { name: 'b', params: [] },
    ]);
  });

  it('treats prototype names as plain data', () => {
    const offers = parseExtensionList(['__proto__; constructor=toString; __proto__="x", hasOwnProperty']);
    expect(offers).toEqual([
      {
        name: '__proto__',
        params: [
          { name: 'constructor', value: 'toString' },
          { name: '__proto__', value: 'x' },
        ],
      },
      { name: 'hasOwnProperty', params: [] },
    ]);
    expect(Object.getPrototypeOf(offers![0])).toBe(Object.prototype);
    expect(formatExtensionList(offers!)).toBe('__proto__; constructor=toString; __proto__=x, hasOwnProperty');
  });

  it('formats offers, quoting non-token values', () => {
    expect(
      formatExtensionList([
        { name: 'permessage-deflate', params: [{ name: 'client_max_window_bits', value: null }, { name: 'server_max_window_bits', value: '10' }] },
        { name: 'x', params: [{ name: 'v', value: 'a "b"\\' }] },
      ]),
    ).toBe('permessage-deflate; client_max_window_bits; server_max_window_bits=10, x; v="a \\"b\\"\\\\"');
    expect(formatExtensionList([])).toBe('');
  });

  it('collects all occurrences of a header, case-insensitively', () => {
    const headers: HeaderField[] = [
      { name: 'Sec-WebSocket-Protocol', value: 'a' },
      { name: 'Host', value: 'h' },
      { name: 'sec-websocket-protocol', value: 'b' },
    ];
    expect(headerValues(headers, 'SEC-WEBSOCKET-PROTOCOL')).toEqual(['a', 'b']);
    expect(headerValues(headers, 'Origin')).toEqual([]);
  });
});

describe('validateClientRequest (RFC 6455 §4.2.1)', () => {
  it('accepts the RFC 6455 §1.2 sample request', () => {
    expect(validateClientRequest(request())).toEqual({
      ok: true,
      key: KEY,
      protocols: ['chat', 'superchat'],
      extensions: [],
      path: '/chat',
      origin: 'http://example.com',
    });
  });

  it('accepts a parsed browser-like request with extensions', () => {
    const h = parseRequest(head(`GET /chat?room=1 HTTP/1.1
Host: 127.0.0.1:9001
connection: keep-alive, Upgrade
UPGRADE: WebSocket
sec-websocket-version: 13
SEC-WEBSOCKET-KEY: ${KEY}
Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits

`));
    const result = validateClientRequest(h);
    expect(result).toMatchObject({
      ok: true,
      key: KEY,
      path: '/chat?room=1',
      protocols: [],
      extensions: [{ name: 'permessage-deflate', params: [{ name: 'client_max_window_bits', value: null }] }],
    });
  });

  it('answers 405 to a method other than GET', () => {
    expect(validateClientRequest(request({ method: 'POST' }))).toMatchObject({ ok: false, status: 405, rule: '4.2.1' });
    expect(validateClientRequest(request({ method: 'get' }))).toMatchObject({ ok: false, status: 405 });
  });

  it('requires HTTP/1.1 or higher', () => {
    expect(validateClientRequest(request({ version: 'HTTP/1.0' }))).toMatchObject({ ok: false, status: 400, rule: '4.2.1' });
    expect(validateClientRequest(request({ version: 'HTTP/1.2' })).ok).toBe(true);
    expect(validateClientRequest(request({ version: 'junk' })).ok).toBe(false);
  });

  it('requires exactly one Host', () => {
    expect(validateClientRequest(request({ drop: ['Host'] }))).toMatchObject({ ok: false, status: 400 });
    expect(validateClientRequest(request({ add: [['host', 'other']] }))).toMatchObject({ ok: false, status: 400 });
  });

  it.each([['websocket'], ['WebSocket'], ['WEBSOCKET'], ['h2c, websocket'], ['websocket , foo/1']])('accepts Upgrade: %s', (value) => {
    expect(validateClientRequest(request({ drop: ['Upgrade'], add: [['upgrade', value]] })).ok).toBe(true);
  });

  it.each([['websockets'], ['web socket'], ['h2c'], ['']])('rejects Upgrade: %j', (value) => {
    expect(validateClientRequest(request({ drop: ['Upgrade'], add: [['Upgrade', value]] }))).toMatchObject({
      ok: false,
      status: 400,
      rule: '4.2.1',
    });
  });

  it('rejects a missing Upgrade', () => {
    expect(validateClientRequest(request({ drop: ['Upgrade'] }))).toMatchObject({ ok: false, status: 400 });
  });

  it.each([['Upgrade'], ['upgrade'], ['keep-alive, Upgrade'], ['Upgrade, keep-alive'], ['keep-alive,UPGRADE']])(
    'accepts Connection: %s',
    (value) => {
      expect(validateClientRequest(request({ drop: ['Connection'], add: [['CONNECTION', value]] })).ok).toBe(true);
    },
  );

  it('accepts Connection split over two fields', () => {
    const req = request({ drop: ['Connection'], add: [['Connection', 'keep-alive'], ['Connection', 'upgrade']] });
    expect(validateClientRequest(req).ok).toBe(true);
  });

  it.each([['keep-alive'], ['close'], ['upgraded']])('rejects Connection: %s', (value) => {
    expect(validateClientRequest(request({ drop: ['Connection'], add: [['Connection', value]] }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('rejects a missing, duplicated or malformed Sec-WebSocket-Key', () => {
    expect(validateClientRequest(request({ drop: ['Sec-WebSocket-Key'] }))).toMatchObject({ ok: false, status: 400, rule: '4.2.1' });
    expect(validateClientRequest(request({ add: [['Sec-WebSocket-Key', KEY]] }))).toMatchObject({ ok: false, status: 400, rule: '11.3.1' });
    const withKey = (key: string) => validateClientRequest(request({ drop: ['Sec-WebSocket-Key'], add: [['Sec-WebSocket-Key', key]] }));
    expect(withKey(generateKey(new Uint8Array(15)))).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('15') });
    expect(withKey(generateKey(new Uint8Array(17)))).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('17') });
    expect(withKey('not base64 at all!!!!!!!')).toMatchObject({ ok: false, status: 400 });
    expect(withKey('')).toMatchObject({ ok: false, status: 400 });
    expect(withKey(generateKey(new Uint8Array(16).fill(0xff))).ok).toBe(true);
  });

  it('answers 426 to a missing or unsupported Sec-WebSocket-Version, 400 to a duplicate', () => {
    expect(validateClientRequest(request({ drop: ['Sec-WebSocket-Version'] }))).toMatchObject({ ok: false, status: 426, rule: '4.4' });
    for (const version of ['8', '7', '13, 8', '14', '013', '']) {
      const req = request({ drop: ['Sec-WebSocket-Version'], add: [['Sec-WebSocket-Version', version]] });
      expect(validateClientRequest(req)).toMatchObject({ ok: false, status: 426 });
    }
    expect(validateClientRequest(request({ add: [['Sec-WebSocket-Version', '13']] }))).toMatchObject({
      ok: false,
      status: 400,
      rule: '11.3.5',
    });
  });

  it('merges Sec-WebSocket-Protocol fields and checks their grammar', () => {
    const merged = validateClientRequest(request({ add: [['sec-websocket-protocol', 'v2.chat']] }));
    expect(merged).toMatchObject({ ok: true, protocols: ['chat', 'superchat', 'v2.chat'] });
    const bad = (value: string) =>
      validateClientRequest(request({ drop: ['Sec-WebSocket-Protocol'], add: [['Sec-WebSocket-Protocol', value]] }));
    expect(bad('chat superchat')).toMatchObject({ ok: false, status: 400 });
    expect(bad('')).toMatchObject({ ok: false, status: 400 });
    expect(bad('chat, chat')).toMatchObject({ ok: false, status: 400, rule: '4.1' });
  });

  it('checks Sec-WebSocket-Extensions grammar', () => {
    expect(validateClientRequest(request({ add: [['Sec-WebSocket-Extensions', 'permessage-deflate; x="a b"']] }))).toMatchObject({
      ok: false,
      status: 400,
      rule: '9.1',
    });
  });
});

describe('buildServerResponse and buildErrorResponse (RFC 6455 §4.2.2, §4.4)', () => {
  it('writes the 101 response in order', () => {
    const { text, bytes } = buildServerResponse({
      key: KEY,
      server: 'wscheck',
      protocol: 'chat',
      extensions: 'permessage-deflate',
      headers: [['X-A', '1']],
    });
    expect(text).toBe(
      head(`HTTP/1.1 101 Switching Protocols
Server: wscheck
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Accept: ${ACCEPT}
Sec-WebSocket-Protocol: chat
Sec-WebSocket-Extensions: permessage-deflate
X-A: 1

`),
    );
    expect(latin1(bytes)).toBe(text);
    expect(buildServerResponse({ key: KEY }).text).toBe(
      head(`HTTP/1.1 101 Switching Protocols
Upgrade: websocket
Connection: Upgrade
Sec-WebSocket-Accept: ${ACCEPT}

`),
    );
  });

  it('writes a 426 with Sec-WebSocket-Version: 13, Content-Length and Connection: close', () => {
    const { bytes, text } = buildErrorResponse(426, 'unsupported version');
    const parsed = parseResponseHead(bytes);
    expect(parsed.kind).toBe('complete');
    if (parsed.kind !== 'complete') return;
    const { head: h, headLength } = parsed;
    expect(h.status).toBe(426);
    expect(h.reasonPhrase).toBe('Upgrade Required');
    expect(headerValues(h.headers, 'Sec-WebSocket-Version')).toEqual(['13']);
    expect(headerValues(h.headers, 'Upgrade')).toEqual(['websocket']);
    expect(headerHasToken(h.headers, 'Connection', 'close')).toBe(true);
    expect(headerValues(h.headers, 'Content-Length')).toEqual([String(bytes.length - headLength)]);
    expect(latin1(bytes.subarray(headLength))).toBe('unsupported version');
    expect(text.endsWith('\r\n\r\nunsupported version')).toBe(true);
    expect(buildUpgradeRequiredResponse().text).toContain('Sec-WebSocket-Version: 13\r\n');
  });

  it('writes 400 and 405 refusals', () => {
    const bad = buildErrorResponse(400, 'Sec-WebSocket-Key decodes to 15 octets, expected 16');
    expect(bad.text.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
    expect(bad.text).toContain('\r\nConnection: close\r\n');
    expect(bad.text).not.toContain('Sec-WebSocket-Version');
    const method = buildErrorResponse(405, 'GET only');
    expect(method.text).toContain('\r\nAllow: GET\r\n');
  });

  it('counts Content-Length in UTF-8 octets', () => {
    const { bytes, text } = buildErrorResponse(400, 'caf\u00e9 \u20ac');
    expect(text).toContain('Content-Length: 9\r\n');
    const parsed = parseResponseHead(bytes);
    expect(parsed.kind === 'complete' && bytes.length - parsed.headLength).toBe(9);
  });
});

describe('validateServerResponse (RFC 6455 §4.1)', () => {
  it('accepts a valid response', () => {
    expect(validateServerResponse(response(GOOD_RESPONSE), OFFER)).toEqual({ ok: true, protocol: null, extensions: [] });
  });

  it('accepts a selected subprotocol and extension, case-insensitive names and values', () => {
    const result = validateServerResponse(
      response([
        ['UPGRADE', 'WebSocket'],
        ['connection', 'keep-alive, upgrade'],
        ['sec-websocket-accept', ACCEPT],
        ['Sec-WebSocket-Protocol', 'superchat'],
        ['Sec-WebSocket-Extensions', 'permessage-deflate; server_no_context_takeover'],
      ]),
      OFFER,
    );
    expect(result).toEqual({
      ok: true,
      protocol: 'superchat',
      extensions: [{ name: 'permessage-deflate', params: [{ name: 'server_no_context_takeover', value: null }] }],
    });
  });

  it('parses a response off the wire and validates it', () => {
    const { bytes } = buildServerResponse({ key: KEY, protocol: 'chat' });
    expect(validateServerResponse(parseResponse(latin1(bytes)), OFFER)).toMatchObject({ ok: true, protocol: 'chat' });
  });

  const failures: [string, ResponseHead][] = [
    ['status 200', response(GOOD_RESPONSE, 200)],
    ['missing Upgrade', response(GOOD_RESPONSE.filter(([n]) => n !== 'Upgrade'))],
    ['Upgrade h2c', response([['Upgrade', 'h2c'], ...GOOD_RESPONSE.slice(1)])],
    ['Upgrade listing more than websocket', response([['Upgrade', 'websocket, h2c'], ...GOOD_RESPONSE.slice(1)])],
    ['missing Connection', response(GOOD_RESPONSE.filter(([n]) => n !== 'Connection'))],
    ['Connection close', response([GOOD_RESPONSE[0]!, ['Connection', 'close'], GOOD_RESPONSE[2]!])],
    ['missing accept', response(GOOD_RESPONSE.slice(0, 2))],
    ['wrong accept', response([...GOOD_RESPONSE.slice(0, 2), ['Sec-WebSocket-Accept', computeAccept('x' + KEY)]])],
    ['accept of the GUID-less key', response([...GOOD_RESPONSE.slice(0, 2), ['Sec-WebSocket-Accept', KEY]])],
    ['duplicate accept', response([...GOOD_RESPONSE, ['Sec-WebSocket-Accept', ACCEPT]])],
    ['unsolicited subprotocol', response([...GOOD_RESPONSE, ['Sec-WebSocket-Protocol', 'v10.stomp']])],
    ['subprotocol differing in case', response([...GOOD_RESPONSE, ['Sec-WebSocket-Protocol', 'Chat']])],
    ['two subprotocols in one field', response([...GOOD_RESPONSE, ['Sec-WebSocket-Protocol', 'chat, superchat']])],
    ['two subprotocol fields', response([...GOOD_RESPONSE, ['Sec-WebSocket-Protocol', 'chat'], ['Sec-WebSocket-Protocol', 'chat']])],
    ['unsolicited extension', response([...GOOD_RESPONSE, ['Sec-WebSocket-Extensions', 'x-webkit-deflate-frame']])],
    ['malformed extensions', response([...GOOD_RESPONSE, ['Sec-WebSocket-Extensions', 'permessage-deflate;']])],
  ];

  it.each(failures)('rejects %s with a reason and a rule', (_label, h) => {
    const result = validateServerResponse(h, OFFER);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason.length).toBeGreaterThan(0);
    expect(result.rule).toMatch(/^\d+(\.\d+)*$/);
  });

  it('rejects any subprotocol when none was offered', () => {
    const result = validateServerResponse(response([...GOOD_RESPONSE, ['Sec-WebSocket-Protocol', 'chat']]), {
      ...OFFER,
      offeredProtocols: [],
    });
    expect(result).toMatchObject({ ok: false, rule: '4.1' });
  });

  it('names the expected accept value in the reason', () => {
    const result = validateServerResponse(response([...GOOD_RESPONSE.slice(0, 2), ['Sec-WebSocket-Accept', 'AAAA']]), OFFER);
    expect(result.ok === false && result.reason).toContain(ACCEPT);
  });
});
