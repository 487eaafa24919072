/**
 * The client's side of the opening handshake (RFC 6455 §4.1): the request it
 * sends, and the checks it applies to the server's response.
 */
import { computeAccept, WEBSOCKET_VERSION } from './accept.js';
import { type ExtensionOffer, headerHasToken, isToken, parseExtensionList } from './grammar.js';
import { type EncodedHandshake, headerValues, type ResponseHead } from './head.js';
import { asciiEqualsIgnoreCase, encodeHeadText, quoteForReason } from './octets.js';

/** What {@link buildClientRequest} writes. */
export interface ClientRequestOptions {
  /** Host name or IP literal; an IPv6 literal is bracketed in `Host`. */
  readonly host: string;
  /** Written in `Host` whenever given, even the scheme's default. */
  readonly port?: number;
  /** request-target, written as given (e.g. `/chat?x=1`). */
  readonly path: string;
  /** `Sec-WebSocket-Key`, e.g. from {@link generateKey}. */
  readonly key: string;
  /** Subprotocols offered, in preference order; `Sec-WebSocket-Protocol` is omitted when empty. */
  readonly protocols?: readonly string[];
  /** `Sec-WebSocket-Extensions` value, e.g. from {@link formatExtensionList}. */
  readonly extensions?: string;
  readonly origin?: string;
  /** Extra header fields, appended after the standard ones in this order. */
  readonly headers?: readonly (readonly [string, string])[];
  /** `User-Agent`; default {@link DEFAULT_USER_AGENT}; `''` omits the field. */
  readonly userAgent?: string;
}

/** The `User-Agent` wscheck's client announces unless told otherwise. */
export const DEFAULT_USER_AGENT = 'wscheck';

/**
 * The client's opening handshake (RFC 6455 §4.1, §1.3), laid out like the
 * Autobahn testsuite's client so reports compare line for line:
 *
 * ```
 * GET <path> HTTP/1.1
 * User-Agent: …
 * Host: <host>[:<port>]
 * Upgrade: WebSocket
 * Connection: Upgrade
 * Pragma: no-cache
 * Cache-Control: no-cache
 * Sec-WebSocket-Key: …
 * [Origin: …]
 * [Sec-WebSocket-Protocol: a,b]
 * [Sec-WebSocket-Extensions: …]
 * Sec-WebSocket-Version: 13
 * [extra headers]
 * ```
 *
 * Nothing is validated: a tester may want to send a malformed request on
 * purpose. Values are written as latin1 octets (see `encodeHeadText`).
 */
export function buildClientRequest(opts: ClientRequestOptions): EncodedHandshake {
  const lines: string[] = [`GET ${opts.path} HTTP/1.1`];
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  if (userAgent !== '') lines.push(`User-Agent: ${userAgent}`);
  lines.push(`Host: ${hostValue(opts.host, opts.port)}`);
  // §4.1: "The request MUST contain an |Upgrade| header field whose value MUST
  // include the "websocket" keyword" — compared case-insensitively, so
  // Autobahn's `WebSocket` spelling is kept.
  lines.push('Upgrade: WebSocket');
  lines.push('Connection: Upgrade');
  lines.push('Pragma: no-cache');
  lines.push('Cache-Control: no-cache');
  lines.push(`Sec-WebSocket-Key: ${opts.key}`);
  if (opts.origin !== undefined) lines.push(`Origin: ${opts.origin}`);
  if (opts.protocols !== undefined && opts.protocols.length > 0) {
    lines.push(`Sec-WebSocket-Protocol: ${opts.protocols.join(',')}`);
  }
  if (opts.extensions !== undefined) lines.push(`Sec-WebSocket-Extensions: ${opts.extensions}`);
  lines.push(`Sec-WebSocket-Version: ${WEBSOCKET_VERSION}`);
  for (const [name, value] of opts.headers ?? []) lines.push(`${name}: ${value}`);
  const text = lines.join('\r\n') + '\r\n\r\n';
  return { bytes: encodeHeadText(text), text };
}

/** `Host` value (RFC 7230 §5.4, RFC 3986 §3.2.2: IPv6 literals in brackets). */
function hostValue(host: string, port: number | undefined): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

/** What the client offered, to check the server's choices against. */
export interface ClientOffer {
  /** The `Sec-WebSocket-Key` the client sent. */
  readonly key: string;
  readonly offeredProtocols: readonly string[];
  readonly offeredExtensions: readonly ExtensionOffer[];
}

/** A handshake the peer got wrong: why, and the RFC 6455 section that says so. */
export interface HandshakeFailure {
  readonly ok: false;
  readonly reason: string;
  /** RFC 6455 section, e.g. `4.1`. */
  readonly rule: string;
}

/** A server response the client accepts. */
export interface ServerAcceptance {
  readonly ok: true;
  /** The subprotocol the server selected, or `null` for none. */
  readonly protocol: string | null;
  /** The extensions the server accepted, in its order, with its parameters. */
  readonly extensions: ExtensionOffer[];
}

/**
 * The checks RFC 6455 §4.1 makes of the server's opening handshake ("If the
 * server's response does not conform to the requirements for the server's
 * handshake as defined in this section and in Section 4.2.2, the client MUST
 * _Fail the WebSocket Connection_"), in the RFC's order.
 *
 * A server that selects no subprotocol although some were offered is accepted
 * (`protocol: null`): RFC 6455 permits it, though browsers (WHATWG) and `ws`
 * fail such a connection. Extension parameters are not judged here; that is
 * each extension's own negotiation (e.g. RFC 7692 §5).
 */
export function validateServerResponse(head: ResponseHead, offer: ClientOffer): ServerAcceptance | HandshakeFailure {
  // §4.1: "If the status code received from the server is not 101, the client
  // handles the response per HTTP [RFC2616] procedures."
  if (head.status !== 101) return fail(`status ${head.status}, expected 101 Switching Protocols`, '4.1');

  // §4.1: "If the response lacks an |Upgrade| header field or the |Upgrade|
  // header field contains a value that is not an ASCII case-insensitive match
  // for the value "websocket", the client MUST _Fail the WebSocket Connection_."
  const upgrade = headerValues(head.headers, 'Upgrade');
  if (upgrade.length === 0) return fail('response lacks an Upgrade header field', '4.1');
  if (upgrade.length !== 1 || !asciiEqualsIgnoreCase(upgrade[0]!, 'websocket')) {
    return fail(`Upgrade is ${quoteForReason(upgrade.join(', '))}, not "websocket"`, '4.1');
  }

  // §4.1: "If the response lacks a |Connection| header field or the
  // |Connection| header field doesn't contain a token that is an ASCII
  // case-insensitive match for the value "Upgrade", the client MUST _Fail the
  // WebSocket Connection_."
  if (headerValues(head.headers, 'Connection').length === 0) {
    return fail('response lacks a Connection header field', '4.1');
  }
  if (!headerHasToken(head.headers, 'Connection', 'upgrade')) {
    return fail('Connection header field lacks the token "Upgrade"', '4.1');
  }

  // §4.1: "If the response lacks a |Sec-WebSocket-Accept| header field or the
  // |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1
  // of the concatenation of the |Sec-WebSocket-Key| … with the string
  // "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" but ignoring any leading and
  // trailing whitespace, the client MUST _Fail the WebSocket Connection_."
  // §11.3.3: it "MUST NOT appear more than once in an HTTP response."
  const accept = headerValues(head.headers, 'Sec-WebSocket-Accept');
  if (accept.length === 0) return fail('response lacks a Sec-WebSocket-Accept header field', '4.1');
  if (accept.length > 1) return fail('Sec-WebSocket-Accept appears more than once', '11.3.3');
  const expected = computeAccept(offer.key);
  if (accept[0] !== expected) {
    return fail(`Sec-WebSocket-Accept is ${quoteForReason(accept[0]!)}, expected "${expected}"`, '4.1');
  }

  // §4.1: "If the response includes a |Sec-WebSocket-Extensions| header field
  // and this header field indicates the use of an extension that was not
  // present in the client's handshake (the server has indicated an extension
  // not requested by the client), the client MUST _Fail the WebSocket
  // Connection_."
  const extensions = parseExtensionList(headerValues(head.headers, 'Sec-WebSocket-Extensions'));
  if (extensions === null) return fail('Sec-WebSocket-Extensions is not a valid extension-list', '9.1');
  for (const extension of extensions) {
    if (!offer.offeredExtensions.some((o) => o.name === extension.name)) {
      return fail(`server selected extension ${quoteForReason(extension.name)}, which the client did not offer`, '4.1');
    }
  }

  // §4.1: "If the response includes a |Sec-WebSocket-Protocol| header field
  // and this header field indicates the use of a subprotocol that was not
  // present in the client's handshake (the server has indicated a subprotocol
  // not requested by the client), the client MUST _Fail the WebSocket
  // Connection_." §11.3.4: in a response it "MUST NOT appear more than once".
  const protocols = headerValues(head.headers, 'Sec-WebSocket-Protocol');
  if (protocols.length > 1) return fail('Sec-WebSocket-Protocol appears more than once', '11.3.4');
  let protocol: string | null = null;
  if (protocols.length === 1) {
    const selected = protocols[0]!;
    if (!isToken(selected)) {
      return fail(`Sec-WebSocket-Protocol ${quoteForReason(selected)} is not a single token`, '4.2.2');
    }
    if (!offer.offeredProtocols.includes(selected)) {
      return fail(`server selected subprotocol ${quoteForReason(selected)}, which the client did not offer`, '4.1');
    }
    protocol = selected;
  }

  return { ok: true, protocol, extensions };
}

function fail(reason: string, rule: string): HandshakeFailure {
  return { ok: false, reason, rule };
}
