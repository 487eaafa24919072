/**
 * The opening handshake of the broken implementations (RFC 6455 §4), written
 * apart from wscheck's codec: reading an HTTP head, checking a request or a
 * response, and the Sec-WebSocket-Accept computation. Handshake bugs are
 * named variations here.
 */
import { createHash, randomBytes } from 'node:crypto';

/** §1.3: the GUID appended to the key. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Longest head accepted; anything longer is refused (bounded buffers). */
export const MAX_HEAD_OCTETS = 16 * 1024;

/** §4.2.2 step 5.4: base64 of the SHA-1 of the key and the GUID. */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/**
 * The bug `wrong-accept-key`: the SHA-1 digest is base64-encoded from its hex
 * text instead of its 20 octets (a `digest('hex')` left in place).
 */
export function acceptFromHexDigest(key: string): string {
  return Buffer.from(createHash('sha1').update(key + WEBSOCKET_GUID).digest('hex'), 'latin1').toString('base64');
}

export function newKey(): string {
  return randomBytes(16).toString('base64');
}

export interface Head {
  /** Request line or status line. */
  readonly startLine: string;
  /** Header values by lower-case name (repeated headers joined with ", "). */
  readonly headers: ReadonlyMap<string, string>;
}

export type HeadRead =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'head'; readonly head: Head; readonly rest: Buffer };

/** Read an HTTP head from the octets received so far. */
export function readHead(buffered: Buffer): HeadRead {
  const end = buffered.indexOf('\r\n\r\n');
  if (end < 0) return buffered.length > MAX_HEAD_OCTETS ? { kind: 'too-long' } : { kind: 'incomplete' };
  if (end > MAX_HEAD_OCTETS) return { kind: 'too-long' };
  const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return { kind: 'head', head: { startLine: lines[0] ?? '', headers }, rest: buffered.subarray(end + 4) };
}

/** Does a comma-separated header value contain `token` (case-insensitive)? */
export function hasToken(value: string | undefined, token: string): boolean {
  return value !== undefined && value.split(',').some((t) => t.trim().toLowerCase() === token);
}

export type ServerHandshakeBug = 'wrong-accept-key' | 'version-not-checked' | 'key-not-checked' | 'protocol-header-backtracking';

export const SERVER_HANDSHAKE_BUGS: readonly ServerHandshakeBug[] = ['wrong-accept-key', 'version-not-checked', 'key-not-checked', 'protocol-header-backtracking'];

/**
 * The bug `protocol-header-backtracking`: the subprotocol list split on a
 * comma with any spaces around it, then each item trimmed of spaces at both
 * ends, both with regular expressions (the parse ws shipped before
 * CVE-2021-32640). On a value with a long run of spaces not followed by a
 * comma, both expressions retry the run from every position: quadratic time.
 */
export function splitProtocolsBacktracking(value: string): string[] {
  return value.split(/ *, */).map((p) => p.replace(/^ *| *$/g, ''));
}

/** RFC 7230 §3.2.6: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * §4.2.1 item 10, §11.3.4: Sec-WebSocket-Protocol is a comma-separated list
 * of tokens (with optional white space around the commas), and §4.1 wants
 * them "all unique".
 */
function isProtocolList(value: string, bug: ServerHandshakeBug | null): boolean {
  const items = (bug === 'protocol-header-backtracking' ? splitProtocolsBacktracking(value) : value.split(',')).map((item) => item.trim());
  return items.every((item) => TOKEN.test(item)) && new Set(items).size === items.length;
}

export type RequestCheck = { readonly ok: true; readonly response: string } | { readonly ok: false; readonly response: string };

function refusal(status: string, reason: string, extra = ''): RequestCheck {
  const body = `${reason}\n`;
  return {
    ok: false,
    response: `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  };
}

/** §4.2.1: check a client's opening handshake and build the answer. */
export function answerRequest(head: Head, bug: ServerHandshakeBug | null): RequestCheck {
  const [method, , version] = head.startLine.split(' ');
  if (method !== 'GET' || version !== 'HTTP/1.1') return refusal('400 Bad Request', 'expected GET ... HTTP/1.1');
  const h = head.headers;
  if (!h.has('host')) return refusal('400 Bad Request', 'missing Host');
  if (!hasToken(h.get('upgrade'), 'websocket')) return refusal('400 Bad Request', 'Upgrade must include websocket');
  if (!hasToken(h.get('connection'), 'upgrade')) return refusal('400 Bad Request', 'Connection must include Upgrade');
  const key = h.get('sec-websocket-key') ?? '';
  // `key-not-checked` takes whatever is there, even nothing, as the key.
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key) && bug !== 'key-not-checked') return refusal('400 Bad Request', 'Sec-WebSocket-Key must be 16 octets in base64');
  const wsVersion = h.get('sec-websocket-version');
  // §4.2.2: a version the server does not understand gets 426 and the versions it does.
  if (wsVersion !== '13' && bug !== 'version-not-checked') return refusal('426 Upgrade Required', 'only version 13', 'Sec-WebSocket-Version: 13\r\n');
  const offered = h.get('sec-websocket-protocol');
  // The base speaks no subprotocol, so it selects none; it only checks the offer is well formed.
  if (offered !== undefined && !isProtocolList(offered, bug)) return refusal('400 Bad Request', 'Sec-WebSocket-Protocol must be a list of tokens');
  const accept = bug === 'wrong-accept-key' ? acceptFromHexDigest(key) : acceptFor(key);
  // permessage-deflate (RFC 7692) is never negotiated: offers in
  // Sec-WebSocket-Extensions are ignored, so no RSV bit has a meaning. The
  // deflate bugs will be variations here and in connection.ts.
  return {
    ok: true,
    response: `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  };
}

/** §4.1: the client's opening handshake. */
export function buildRequest(url: URL, key: string): string {
  const path = (url.pathname || '/') + url.search;
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nUser-Agent: wscheck-broken\r\n\r\n`
  );
}

/**
 * §4.1, the client's checks of the server's answer (steps 1-6 of "the client
 * MUST validate the server's response"); null when it is acceptable.
 */
export function checkResponse(head: Head, key: string, bug: 'accept-key-not-checked' | 'unsolicited-selection-accepted' | null): string | null {
  const status = head.startLine.split(' ')[1];
  if (status !== '101') return `status ${status ?? '?'} instead of 101`;
  const h = head.headers;
  if (!hasToken(h.get('upgrade'), 'websocket')) return 'Upgrade is not websocket';
  if (!hasToken(h.get('connection'), 'upgrade')) return 'Connection is not Upgrade';
  if (bug !== 'accept-key-not-checked' && h.get('sec-websocket-accept') !== acceptFor(key)) return 'wrong Sec-WebSocket-Accept';
  // Nothing was offered, so nothing may be selected (the bug takes whatever the server chose).
  if (bug === 'unsolicited-selection-accepted') return null;
  if (h.has('sec-websocket-extensions')) return 'an extension was selected that was not offered';
  if (h.has('sec-websocket-protocol')) return 'a subprotocol was selected that was not offered';
  return null;
}
