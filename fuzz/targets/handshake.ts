/**
 * Fuzz target `handshake`: the opening handshake's head parsers
 * (`parseRequestHead`, `parseResponseHead`) and the RFC 6455 §4 checks of
 * both sides (`validateClientRequest`, `validateServerResponse`).
 *
 * Properties:
 *
 * 1. nothing throws; results are well formed (a complete head's length is
 *    within the input and the limits, errors are 400, 431 or 505);
 * 2. restartable: the parser is given everything received so far, so the
 *    answer for a prefix (the fuzzer picks where it ends) must be
 *    "incomplete" or the answer for the whole input — never a different
 *    head or a different error;
 * 3. round trip: a parsed head written back out (RFC 7230 §3 syntax) parses
 *    to the same head;
 * 4. the server's acceptance of a request implies what RFC 6455 §4.2.1
 *    requires, checked here independently (GET, HTTP/1.1 or later, one
 *    Host, Upgrade with the `websocket` token, Connection with `upgrade`, a
 *    key that is the base64 of 16 octets, version 13), and the 101 answer
 *    the codec builds for it passes the codec's own client checks with the
 *    protocol it selected;
 * 5. the client's acceptance of a response implies §4.1's requirements:
 *    status 101, Upgrade `websocket`, Connection `upgrade`, the accept value
 *    of the key it sent, and only a subprotocol it offered.
 *
 * Input: a mode octet (bit 0: 0 request, 1 response; bits 1-2: which
 * subprotocols the client offered), a 16-bit split point, then the head.
 */
import {
  type HeadParseResult,
  type RequestHead,
  type ResponseHead,
  buildServerResponse,
  computeAccept,
  parseRequestHead,
  parseResponseHead,
  validateClientRequest,
  validateServerResponse,
} from '../../src/codec/handshake.js';
import { DEFAULT_MAX_HEAD_OCTETS, DEFAULT_MAX_HEADERS } from '../../src/codec/handshake.js';
import { FuzzInput, check, hex } from '../support/input.js';

/** The RFC's sample key (§1.3), which the response mode's client "sent". */
export const CLIENT_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const OFFERS: readonly (readonly string[])[] = [[], ['chat'], ['chat', 'superchat'], ['x']];

type Head = RequestHead | ResponseHead;

function sameHead(a: Head, b: Head): boolean {
  if (a.version !== b.version || a.headers.length !== b.headers.length) return false;
  if ('method' in a) {
    if (!('method' in b) || a.method !== b.method || a.target !== b.target) return false;
  } else if ('method' in b || a.status !== b.status || a.reasonPhrase !== b.reasonPhrase) return false;
  return a.headers.every((h, k) => h.name === b.headers[k]!.name && h.value === b.headers[k]!.value);
}

function resultText(r: HeadParseResult<Head>): string {
  if (r.kind === 'incomplete') return 'incomplete';
  if (r.kind === 'error') return `error ${r.status} (${r.reason})`;
  return `complete, ${r.headLength} octets`;
}

function sameResult(a: HeadParseResult<Head>, b: HeadParseResult<Head>): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'error' && b.kind === 'error') return a.status === b.status && a.reason === b.reason;
  if (a.kind === 'complete' && b.kind === 'complete') return a.headLength === b.headLength && sameHead(a.head, b.head);
  return true;
}

/** The head written back out, one octet per character. */
function serialise(head: Head): Uint8Array {
  const start = 'method' in head ? `${head.method} ${head.target} ${head.version}` : `${head.version} ${String(head.status).padStart(3, '0')} ${head.reasonPhrase}`;
  const text = `${[start, ...head.headers.map((h) => `${h.name}: ${h.value}`)].join('\r\n')}\r\n\r\n`;
  return Buffer.from(text, 'latin1');
}

const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const values = (head: Head, name: string) => head.headers.filter((h) => lower(h.name) === lower(name)).map((h) => h.value);
const tokens = (head: Head, name: string) => values(head, name).flatMap((v) => v.split(',').map((t) => lower(t.trim())));

export function checkHandshake(data: Uint8Array): void {
  const input = new FuzzInput(data);
  const mode = input.byte();
  const split = input.uint16();
  const bytes = input.rest();
  const request = (mode & 1) === 0;
  const parse = (b: Uint8Array): HeadParseResult<Head> => (request ? parseRequestHead(b) : parseResponseHead(b));

  // 1.
  const whole = parse(bytes);
  if (whole.kind === 'complete') {
    check(whole.headLength > 0 && whole.headLength <= bytes.length && whole.headLength <= DEFAULT_MAX_HEAD_OCTETS, 'head-length', () => `head length ${whole.headLength} of ${bytes.length} octets`);
    check(whole.head.headers.length <= DEFAULT_MAX_HEADERS, 'head-limits', () => `${whole.head.headers.length} header fields`);
  } else if (whole.kind === 'error') {
    check([400, 431, 505].includes(whole.status), 'head-status', () => `status ${whole.status}`);
  }

  // 2. A prefix: incomplete, or the same answer.
  const k = split % (bytes.length + 1);
  const prefix = parse(bytes.subarray(0, k));
  const prefixOk =
    prefix.kind === 'incomplete'
      ? whole.kind !== 'complete' || k < whole.headLength
      : sameResult(prefix, whole);
  check(prefixOk, 'restartable', () => `the first ${k} octets parse as ${resultText(prefix)}, all ${bytes.length} as ${resultText(whole)}: ${hex(bytes, 96)}`);

  if (whole.kind !== 'complete') return;
  const head = whole.head;

  // 3.
  const again = parse(serialise(head));
  check(again.kind === 'complete' && sameHead(again.head, head), 'head-round-trip', () => `${hex(serialise(head), 96)} parses as ${resultText(again)}, not as the head it was written from`);

  if (request && 'method' in head) {
    // 4.
    const r = validateClientRequest(head);
    if (!r.ok) return;
    const version = /^HTTP\/(\d)\.(\d)$/.exec(head.version);
    const keys = values(head, 'Sec-WebSocket-Key');
    const requirements: [string, boolean][] = [
      ['method GET', head.method === 'GET'],
      ['HTTP/1.1 or higher', version !== null && (Number(version[1]) > 1 || (version[1] === '1' && version[2] !== '0'))],
      ['one Host', values(head, 'Host').length === 1],
      ['Upgrade: websocket', tokens(head, 'Upgrade').includes('websocket')],
      ['Connection: upgrade', tokens(head, 'Connection').includes('upgrade')],
      ['one key, base64 of 16 octets', keys.length === 1 && /^[A-Za-z0-9+/]{22}==$/.test(keys[0]!) && r.key === keys[0]],
      ['version 13', values(head, 'Sec-WebSocket-Version').length === 1 && values(head, 'Sec-WebSocket-Version')[0] === '13'],
      ['unique subprotocols', new Set(r.protocols).size === r.protocols.length],
      ['path is the request-target', r.path === head.target],
    ];
    const broken = requirements.filter(([, ok]) => !ok).map(([what]) => what);
    check(broken.length === 0, 'request-accepted', () => `validateClientRequest accepts a request without ${broken.join(', ')}: ${hex(bytes, 96)}`);
    const protocol = r.protocols[0];
    const answer = buildServerResponse({ key: r.key, ...(protocol !== undefined ? { protocol } : {}) });
    const parsed = parseResponseHead(answer.bytes);
    check(parsed.kind === 'complete', 'response-built', () => `the 101 answer does not parse: ${answer.text}`);
    const accepted = validateServerResponse(parsed.head, { key: r.key, offeredProtocols: r.protocols, offeredExtensions: r.extensions });
    check(accepted.ok && accepted.protocol === (protocol ?? null), 'response-built', () => `the codec's client refuses the codec's own 101 answer: ${accepted.ok ? `protocol ${accepted.protocol}` : accepted.reason}`);
  } else if (!request && !('method' in head)) {
    // 5.
    const offered = OFFERS[(mode >> 1) & 3]!;
    const r = validateServerResponse(head, { key: CLIENT_KEY, offeredProtocols: offered, offeredExtensions: [] });
    if (!r.ok) return;
    const accepts = values(head, 'Sec-WebSocket-Accept');
    const requirements: [string, boolean][] = [
      ['status 101', head.status === 101],
      ['Upgrade: websocket', values(head, 'Upgrade').length === 1 && lower(values(head, 'Upgrade')[0]!) === 'websocket'],
      ['Connection: upgrade', tokens(head, 'Connection').includes('upgrade')],
      ['the accept value of the key', accepts.length === 1 && accepts[0] === computeAccept(CLIENT_KEY)],
      ['an offered subprotocol or none', r.protocol === null || offered.includes(r.protocol)],
    ];
    const broken = requirements.filter(([, ok]) => !ok).map(([what]) => what);
    check(broken.length === 0, 'response-accepted', () => `validateServerResponse accepts a response without ${broken.join(', ')}: ${hex(bytes, 96)}`);
  }
}

export function fuzz(data: Buffer): void {
  checkHandshake(data);
}
