/**
 * The server's side of the opening handshake (RFC 6455 §4.2): the checks it
 * applies to the client's request (§4.2.1), the 101 answer (§4.2.2) and the
 * refusals, including 426 with the supported version (§4.4).
 */
import { decodeBase64 } from '../base64.js';
import { computeAccept, WEBSOCKET_VERSION } from './accept.js';
import { type ExtensionOffer, headerHasToken, parseExtensionList, parseTokenList } from './grammar.js';
import { type EncodedHandshake, headerValues, type RequestHead } from './head.js';
import { encodeHeadText, quoteForReason, utf8Encode } from './octets.js';

/** A client request the server accepts (RFC 6455 §4.2.1). */
export interface ClientRequestAcceptance {
  readonly ok: true;
  /** `Sec-WebSocket-Key`, as received (feed it to {@link computeAccept}). */
  readonly key: string;
  /** Subprotocols offered, in the client's preference order (may be empty). */
  readonly protocols: string[];
  /** Extensions offered, in order. */
  readonly extensions: ExtensionOffer[];
  /** The request-target, e.g. `/chat?x=1` (§4.2.1 item 2: the /resource name/). */
  readonly path: string;
  /** `Origin`, or `null` when absent (§4.2.1 item 7; present from browsers). */
  readonly origin: string | null;
}

/**
 * A client request the server refuses, with the status to answer (see
 * {@link buildErrorResponse}) and the RFC 6455 section broken.
 */
export interface ClientRequestRejection {
  readonly ok: false;
  readonly status: 400 | 405 | 426;
  readonly reason: string;
  /** RFC 6455 section, e.g. `4.2.1`. */
  readonly rule: string;
  /** Which part of the request is wrong (servers answer some defects differently, e.g. 426 for a version). */
  readonly defect: RequestDefect;
}

/** The part of a request that fails RFC 6455 §4.2.1, by the item of the RFC's list it breaks. */
export type RequestDefect =
  | 'method'
  | 'http-version'
  | 'host'
  | 'upgrade'
  | 'connection'
  | 'key'
  | 'version-missing'
  | 'version-unsupported'
  | 'version-repeated'
  | 'subprotocols'
  | 'extensions';

/**
 * Check a parsed request against RFC 6455 §4.2.1 ("The client's opening
 * handshake consists of the following parts. If the server, while reading the
 * handshake, finds that the client did not send a handshake that matches the
 * description below …, the server MUST stop processing the client's handshake
 * and return an HTTP response with an appropriate error code (such as 400 Bad
 * Request)."), in the RFC's order.
 *
 * Statuses: a method other than GET gets 405 Method Not Allowed (RFC 7231
 * §6.5.5 — the method is known, just not allowed on a WebSocket resource; `ws`
 * answers the same); a missing or unsupported `Sec-WebSocket-Version` gets 426
 * Upgrade Required (§4.2.2, §4.4); every other defect 400.
 */
export function validateClientRequest(head: RequestHead): ClientRequestAcceptance | ClientRequestRejection {
  // §4.2.1 item 1: "An HTTP/1.1 or higher GET request, including a "Request-URI"".
  if (head.method !== 'GET') return reject(405, `method ${quoteForReason(head.method)}, expected GET`, '4.2.1', 'method');
  const version = /^HTTP\/(\d)\.(\d)$/.exec(head.version);
  if (version === null || Number(version[1]) < 1 || (version[1] === '1' && version[2] === '0')) {
    return reject(400, `version ${quoteForReason(head.version)}, expected HTTP/1.1 or higher`, '4.2.1', 'http-version');
  }

  // §4.2.1 item 2: "A |Host| header field containing the server's authority."
  // RFC 7230 §5.4: "A server MUST respond with a 400 (Bad Request) status code
  // to any HTTP/1.1 request message that lacks a Host header field and to any
  // request message that contains more than one Host header field".
  const hosts = headerValues(head.headers, 'Host');
  if (hosts.length === 0) return reject(400, 'request lacks a Host header field', '4.2.1', 'host');
  if (hosts.length > 1) return reject(400, 'Host appears more than once', '4.2.1', 'host');

  // §4.2.1 item 3: "An |Upgrade| header field containing the value "websocket",
  // treated as an ASCII case-insensitive value."
  if (!headerHasToken(head.headers, 'Upgrade', 'websocket')) {
    return reject(400, 'Upgrade header field does not contain "websocket"', '4.2.1', 'upgrade');
  }

  // §4.2.1 item 4: "A |Connection| header field that includes the token
  // "Upgrade", treated as an ASCII case-insensitive value."
  if (!headerHasToken(head.headers, 'Connection', 'upgrade')) {
    return reject(400, 'Connection header field does not include the token "Upgrade"', '4.2.1', 'connection');
  }

  // §4.2.1 item 5: "A |Sec-WebSocket-Key| header field with a base64-encoded
  // … value that, when decoded, is 16 bytes in length." §11.3.1: it "MUST NOT
  // appear more than once in an HTTP request."
  const keys = headerValues(head.headers, 'Sec-WebSocket-Key');
  if (keys.length === 0) return reject(400, 'request lacks a Sec-WebSocket-Key header field', '4.2.1', 'key');
  if (keys.length > 1) return reject(400, 'Sec-WebSocket-Key appears more than once', '11.3.1', 'key');
  const key = keys[0]!;
  const nonce = decodeBase64(key);
  if (nonce === null) return reject(400, `Sec-WebSocket-Key ${quoteForReason(key)} is not base64`, '4.2.1', 'key');
  if (nonce.length !== 16) {
    return reject(400, `Sec-WebSocket-Key decodes to ${nonce.length} octets, expected 16`, '4.2.1', 'key');
  }

  // §4.2.1 item 6: "A |Sec-WebSocket-Version| header field, with a value of
  // 13." §11.3.5: it "MUST NOT appear more than once in an HTTP request."
  // §4.2.2: "If this version does not match a version understood by the
  // server, the server MUST abort the WebSocket handshake described in this
  // section and instead send an appropriate HTTP error code (such as 426
  // Upgrade Required) and a |Sec-WebSocket-Version| header field indicating the
  // version(s) the server is capable of understanding."
  const versions = headerValues(head.headers, 'Sec-WebSocket-Version');
  if (versions.length > 1) return reject(400, 'Sec-WebSocket-Version appears more than once', '11.3.5', 'version-repeated');
  if (versions.length === 0) return reject(426, 'request lacks a Sec-WebSocket-Version header field', '4.4', 'version-missing');
  if (versions[0] !== WEBSOCKET_VERSION) {
    return reject(426, `Sec-WebSocket-Version ${quoteForReason(versions[0]!)} is not supported, expected 13`, '4.4', 'version-unsupported');
  }

  // §4.2.1 item 8: "Optionally, a |Sec-WebSocket-Protocol| header field, with a
  // list of values indicating which protocols the client would like to speak".
  // §11.3.4: it may appear more than once, logically one list. §4.1: the
  // elements "MUST all be unique strings".
  const protocols: string[] = [];
  for (const value of headerValues(head.headers, 'Sec-WebSocket-Protocol')) {
    const list = parseTokenList(value);
    if (list === null) {
      return reject(400, `Sec-WebSocket-Protocol ${quoteForReason(value)} is not a token list`, '11.3.4', 'subprotocols');
    }
    for (const protocol of list) {
      if (protocols.includes(protocol)) {
        return reject(400, `subprotocol ${quoteForReason(protocol)} offered more than once`, '4.1', 'subprotocols');
      }
      protocols.push(protocol);
    }
  }

  // §4.2.1 item 9: "Optionally, a |Sec-WebSocket-Extensions| header field,
  // with a list of values indicating which extensions the client would like to
  // speak. The interpretation of this header field is discussed in Section 9.1."
  const extensions = parseExtensionList(headerValues(head.headers, 'Sec-WebSocket-Extensions'));
  if (extensions === null) return reject(400, 'Sec-WebSocket-Extensions is not a valid extension-list', '9.1', 'extensions');

  const origins = headerValues(head.headers, 'Origin');
  return { ok: true, key, protocols, extensions, path: head.target, origin: origins.length > 0 ? origins[0]! : null };
}

function reject(status: 400 | 405 | 426, reason: string, rule: string, defect: RequestDefect): ClientRequestRejection {
  return { ok: false, status, reason, rule, defect };
}

/** What {@link buildServerResponse} writes. */
export interface ServerResponseOptions {
  /** The client's `Sec-WebSocket-Key`. */
  readonly key: string;
  /** The selected subprotocol (§4.2.2 item 5.4 /subprotocol/); omitted when undefined. */
  readonly protocol?: string;
  /** `Sec-WebSocket-Extensions` value (e.g. from {@link formatExtensionList}); omitted when undefined. */
  readonly extensions?: string;
  /** Extra header fields, appended last in this order. */
  readonly headers?: readonly (readonly [string, string])[];
  /** `Server` value; omitted when undefined. */
  readonly server?: string;
}

/**
 * The server's 101 answer (RFC 6455 §4.2.2 item 5):
 *
 * ```
 * HTTP/1.1 101 Switching Protocols
 * [Server: …]
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Accept: <computeAccept(key)>
 * [Sec-WebSocket-Protocol: …]
 * [Sec-WebSocket-Extensions: …]
 * [extra headers]
 * ```
 *
 * Nothing is validated, so a tester can answer wrongly on purpose.
 */
export function buildServerResponse(opts: ServerResponseOptions): EncodedHandshake {
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  if (opts.server !== undefined) lines.push(`Server: ${opts.server}`);
  // §4.2.2 items 5.1-5.4: status line, "An |Upgrade| header field with value
  // "websocket"", "A |Connection| header field with value "Upgrade"", "A
  // |Sec-WebSocket-Accept| header field".
  lines.push('Upgrade: websocket');
  lines.push('Connection: Upgrade');
  lines.push(`Sec-WebSocket-Accept: ${computeAccept(opts.key)}`);
  if (opts.protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${opts.protocol}`);
  if (opts.extensions !== undefined) lines.push(`Sec-WebSocket-Extensions: ${opts.extensions}`);
  for (const [name, value] of opts.headers ?? []) lines.push(`${name}: ${value}`);
  const text = lines.join('\r\n') + '\r\n\r\n';
  return { bytes: encodeHeadText(text), text };
}

/** Standard reason-phrase for the statuses a handshake uses (RFC 7231 §6.1, RFC 6585 §5). */
export function reasonPhrase(status: number): string {
  switch (status) {
    case 101: return 'Switching Protocols';
    case 400: return 'Bad Request';
    case 403: return 'Forbidden';
    case 404: return 'Not Found';
    case 405: return 'Method Not Allowed';
    case 426: return 'Upgrade Required';
    case 431: return 'Request Header Fields Too Large';
    case 500: return 'Internal Server Error';
    case 503: return 'Service Unavailable';
    case 505: return 'HTTP Version Not Supported';
    default: return 'Error';
  }
}

/**
 * A refusal of the opening handshake (RFC 6455 §4.2.1: "return an HTTP
 * response with an appropriate error code (such as 400 Bad Request)"), which
 * also closes the connection. `reason` becomes a `text/plain` UTF-8 body; the
 * head carries `Content-Length` and `Connection: close`, plus:
 *
 * - 405: `Allow: GET` (RFC 7231 §6.5.5: the origin server "MUST generate an
 *   Allow header field in a 405 response");
 * - 426: `Sec-WebSocket-Version: 13` (RFC 6455 §4.4: the server "MUST" name
 *   the versions it supports), `Upgrade: websocket` (RFC 7231 §6.5.15: "The
 *   server MUST send an Upgrade header field in a 426 response") and therefore
 *   `Connection: Upgrade, close` (RFC 7230 §6.7: "When Upgrade is sent, the
 *   sender MUST also send a Connection header field … that contains an
 *   "upgrade" connection option").
 *
 * `text` is the head followed by the body as a string (for display).
 */
export function buildErrorResponse(
  status: number,
  reason: string,
  headers: readonly (readonly [string, string])[] = [],
): EncodedHandshake {
  const body = utf8Encode(reason);
  const lines = [`HTTP/1.1 ${status} ${reasonPhrase(status)}`];
  if (status === 405) lines.push('Allow: GET');
  if (status === 426) {
    lines.push(`Sec-WebSocket-Version: ${WEBSOCKET_VERSION}`);
    lines.push('Upgrade: websocket');
    lines.push('Connection: Upgrade, close');
  } else {
    lines.push('Connection: close');
  }
  lines.push('Content-Type: text/plain; charset=utf-8');
  lines.push(`Content-Length: ${body.length}`);
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  const head = lines.join('\r\n') + '\r\n\r\n';
  const headBytes = encodeHeadText(head);
  const bytes = new Uint8Array(headBytes.length + body.length);
  bytes.set(headBytes, 0);
  bytes.set(body, headBytes.length);
  return { bytes, text: head + reason };
}

/**
 * The 426 refusal for an unsupported or missing `Sec-WebSocket-Version`
 * (RFC 6455 §4.4); see {@link buildErrorResponse}.
 */
export function buildUpgradeRequiredResponse(reason = 'Sec-WebSocket-Version 13 required'): EncodedHandshake {
  return buildErrorResponse(426, reason);
}
