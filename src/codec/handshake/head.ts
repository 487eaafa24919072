/**
 * The HTTP/1.1 message head of the opening handshake (RFC 6455 §4.1, §4.2.1:
 * the handshake is an HTTP Upgrade request and response; syntax from RFC 7230
 * §3: start-line, header fields, an empty line).
 *
 * The parser is stateless and restartable: give it everything received so far.
 * It answers `incomplete` until the empty line that ends the head has arrived,
 * then `complete` with the head and the number of octets it occupies, so the
 * octets after it — WebSocket frames a peer pipelined behind its handshake —
 * can go to the frame decoder untouched. Lines are checked as soon as their
 * CRLF arrives, so a malformed head fails early instead of waiting for more.
 *
 * Every loop is a single forward scan (no regular expressions), so parsing is
 * linear in the input; the limits bound the input.
 */
import { asciiEqualsIgnoreCase, latin1Decode, TCHAR } from './octets.js';

// Module-local aliases for the hot loops: some loaders (vitest, tsx) turn each
// use of an imported binding into a property read, which costs more than the
// loop body.
const tchar = TCHAR;

/** One header field as received: original spelling, order and octets (as latin1). */
export interface HeaderField {
  readonly name: string;
  /** The field value without its leading and trailing OWS (RFC 7230 §3.2.4). */
  readonly value: string;
}

/** A request head (RFC 7230 §3.1.1 request-line plus header fields). */
export interface RequestHead {
  readonly method: string;
  readonly target: string;
  /** As on the wire, e.g. `HTTP/1.1`. */
  readonly version: string;
  readonly headers: readonly HeaderField[];
}

/** A response head (RFC 7230 §3.1.2 status-line plus header fields). */
export interface ResponseHead {
  /** As on the wire, e.g. `HTTP/1.1`. */
  readonly version: string;
  readonly status: number;
  readonly reasonPhrase: string;
  readonly headers: readonly HeaderField[];
}

/** Bounds on a head; exceeding one is an error with status 431. */
export interface HeadLimits {
  /** Most octets the head may occupy, final CRLFCRLF included. Default {@link DEFAULT_MAX_HEAD_OCTETS}. */
  readonly maxHeadOctets?: number;
  /** Most header fields. Default {@link DEFAULT_MAX_HEADERS}. */
  readonly maxHeaders?: number;
}

/**
 * 16 KiB: Node's default `--max-http-header-size`, hence what `ws` and most
 * Node servers enforce; an opening handshake is typically a few hundred octets.
 */
export const DEFAULT_MAX_HEAD_OCTETS = 16 * 1024;
/** 100 fields: a browser handshake carries about 15. */
export const DEFAULT_MAX_HEADERS = 100;

/**
 * Status of a head the parser rejects: 400 Bad Request, 431 Request Header
 * Fields Too Large (RFC 6585 §5), 505 HTTP Version Not Supported.
 */
export type HeadErrorStatus = 400 | 431 | 505;

/** Outcome of parsing a (possibly partial) head. */
export type HeadParseResult<H> =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'complete'; readonly head: H; readonly headLength: number }
  | { readonly kind: 'error'; readonly status: HeadErrorStatus; readonly reason: string };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;

/** A rejected line; `error` tells it apart from the parsed shapes. */
type LineError = { readonly error: true; readonly status: HeadErrorStatus; readonly reason: string };

/** Parses one start-line; returns the parsed pieces or an error. */
type StartLineParser<S> = (bytes: Uint8Array, start: number, end: number) => S | LineError;

const INCOMPLETE = { kind: 'incomplete' } as const;

/**
 * Parse an HTTP/1.1 request head (RFC 7230 §3, §3.1.1) from the octets
 * received so far — the server side of RFC 6455 §4.2.1 ("The client's opening
 * handshake consists of the following parts…", §4.1: "The handshake MUST be a
 * valid HTTP request as specified by [RFC2616]").
 *
 * Errors: 400 for a malformed request-line or header line (including obs-fold,
 * whitespace before the colon, bare CR or LF, control characters), 505 for an
 * HTTP major version other than 1, 431 when the head exceeds `limits`.
 * A request preceded by empty lines is accepted (RFC 7230 §3.5: a server
 * "SHOULD ignore at least one empty line (CRLF) received prior to the
 * request-line"); they count in `headLength`.
 */
export function parseRequestHead(bytes: Uint8Array, limits?: HeadLimits): HeadParseResult<RequestHead> {
  let start = 0;
  while (start + 1 < bytes.length && bytes[start] === CR && bytes[start + 1] === LF) start += 2;
  return parseHead(bytes, start, limits, parseRequestLine, (line, headers) => ({ ...line, headers }));
}

/**
 * Parse an HTTP/1.1 response head (RFC 7230 §3, §3.1.2) from the octets
 * received so far — the client side of RFC 6455 §4.1 ("the client MUST
 * validate the server's response as follows"). Errors as for
 * {@link parseRequestHead}; a status-line whose reason-phrase is missing
 * together with its separating SP (`HTTP/1.1 101`) is tolerated, since RFC 7230
 * §3.1.2 says a client "SHOULD ignore the reason-phrase content".
 */
export function parseResponseHead(bytes: Uint8Array, limits?: HeadLimits): HeadParseResult<ResponseHead> {
  return parseHead(bytes, 0, limits, parseStatusLine, (line, headers) => ({ ...line, headers }));
}

/**
 * All values of the header fields named `name` (ASCII case-insensitive,
 * RFC 7230 §3.2), in order of appearance. Empty when there is none.
 */
export function headerValues(headers: readonly HeaderField[], name: string): string[] {
  const values: string[] = [];
  for (const field of headers) if (asciiEqualsIgnoreCase(field.name, name)) values.push(field.value);
  return values;
}

function tooLarge(max: number): HeadParseResult<never> {
  return { kind: 'error', status: 431, reason: `head exceeds ${max} octets` };
}

function lineError(status: HeadErrorStatus, reason: string): LineError {
  return { error: true, status, reason };
}

function failed(e: LineError): HeadParseResult<never> {
  return { kind: 'error', status: e.status, reason: e.reason };
}

/** The shared scan: start-line, header lines, empty line (RFC 7230 §3). */
function parseHead<S extends object, H>(
  bytes: Uint8Array,
  start: number,
  limits: HeadLimits | undefined,
  parseStartLine: StartLineParser<S>,
  build: (line: S, headers: HeaderField[]) => H,
): HeadParseResult<H> {
  const maxOctets = limits?.maxHeadOctets ?? DEFAULT_MAX_HEAD_OCTETS;
  const maxHeaders = limits?.maxHeaders ?? DEFAULT_MAX_HEADERS;
  const n = bytes.length;
  const headers: HeaderField[] = [];
  let startLine: S | null = null;
  let lineStart = start;

  // An LF at index >= maxOctets would make headLength exceed the limit, so
  // only the first maxOctets octets are searched (natively, via indexOf).
  const window = n > maxOctets ? bytes.subarray(0, maxOctets) : bytes;
  for (;;) {
    const i = window.indexOf(LF, lineStart);
    if (i < 0) break;
    // RFC 7230 §3.5 lets a recipient accept a bare LF as a line terminator; a
    // conformance tool does not: "HTTP-message = start-line *( header-field CRLF ) CRLF".
    if (i === lineStart || bytes[i - 1] !== CR) return { kind: 'error', status: 400, reason: `bare LF at octet ${i}` };
    const lineEnd = i - 1;

    if (startLine === null) {
      if (lineEnd === lineStart) return { kind: 'error', status: 400, reason: 'empty start-line' };
      const parsed = parseStartLine(bytes, lineStart, lineEnd);
      if ('error' in parsed) return failed(parsed);
      startLine = parsed;
    } else if (lineEnd === lineStart) {
      return { kind: 'complete', head: build(startLine, headers), headLength: i + 1 };
    } else {
      if (headers.length >= maxHeaders) {
        return { kind: 'error', status: 431, reason: `more than ${maxHeaders} header fields` };
      }
      const field = parseHeaderLine(bytes, lineStart, lineEnd, headers.length === 0);
      if ('error' in field) return failed(field);
      headers.push(field);
    }
    lineStart = i + 1;
  }
  // No end of head within the limit: too large once the limit is reached.
  return n >= maxOctets ? tooLarge(maxOctets) : INCOMPLETE;
}

/**
 * header-field = field-name ":" OWS field-value OWS (RFC 7230 §3.2);
 * field-value octets are VCHAR, obs-text, SP and HTAB.
 */
function parseHeaderLine(bytes: Uint8Array, start: number, end: number, first: boolean): HeaderField | LineError {
  const c0 = bytes[start]!;
  if (c0 === SP || c0 === HTAB) {
    // RFC 7230 §3.2.4: "A server that receives an obs-fold in a request message
    // ... MUST either reject the message by sending a 400 (Bad Request) ... or
    // replace each received obs-fold with one or more SP octets"; §3: whitespace
    // between the start-line and the first header field MUST be rejected or
    // ignored. wscheck rejects both.
    return first
      ? lineError(400, 'whitespace between start-line and first header field')
      : lineError(400, 'obs-fold (header line starting with whitespace)');
  }
  let colon = start;
  while (colon < end && tchar[bytes[colon]!] === 1) colon++;
  if (colon === end || bytes[colon] !== 0x3a) {
    if (colon < end && (bytes[colon] === SP || bytes[colon] === HTAB)) {
      // RFC 7230 §3.2.4: "A server MUST reject any received request message that
      // contains whitespace between a header field-name and colon with a response
      // code of 400 (Bad Request)."
      return lineError(400, 'whitespace between header field-name and colon');
    }
    if (colon === end) return lineError(400, 'header line without a colon');
    return lineError(400, `invalid octet 0x${hex(bytes[colon]!)} in header field-name`);
  }
  if (colon === start) return lineError(400, 'empty header field-name');

  let valueStart = colon + 1;
  let valueEnd = end;
  while (valueStart < valueEnd && isOwsOctet(bytes[valueStart]!)) valueStart++;
  while (valueEnd > valueStart && isOwsOctet(bytes[valueEnd - 1]!)) valueEnd--;
  for (let i = valueStart; i < valueEnd; i++) {
    const c = bytes[i]!;
    // field-vchar = VCHAR / obs-text, plus SP / HTAB inside the value; CTLs
    // (including a bare CR, NUL and DEL) are not allowed.
    if ((c < 0x20 && c !== HTAB) || c === 0x7f) {
      return lineError(400, `control octet 0x${hex(c)} in value of header ${latin1Decode(bytes, start, colon)}`);
    }
  }
  return { name: latin1Decode(bytes, start, colon), value: latin1Decode(bytes, valueStart, valueEnd) };
}

interface RequestLine {
  readonly method: string;
  readonly target: string;
  readonly version: string;
}

/** request-line = method SP request-target SP HTTP-version (RFC 7230 §3.1.1). */
function parseRequestLine(bytes: Uint8Array, start: number, end: number): RequestLine | LineError {
  let i = start;
  while (i < end && tchar[bytes[i]!] === 1) i++;
  if (i === start) return lineError(400, 'request-line: missing method');
  if (i === end || bytes[i] !== SP) return lineError(400, 'request-line: method is not a token followed by SP');
  const method = latin1Decode(bytes, start, i);

  const targetStart = ++i;
  // request-target (RFC 7230 §5.3) consists of visible US-ASCII only.
  while (i < end && bytes[i]! > 0x20 && bytes[i]! < 0x7f) i++;
  if (i === targetStart) return lineError(400, 'request-line: missing request-target');
  if (i === end || bytes[i] !== SP) {
    return i === end
      ? lineError(400, 'request-line: missing HTTP-version')
      : lineError(400, `request-line: invalid octet 0x${hex(bytes[i]!)} in request-target`);
  }
  const target = latin1Decode(bytes, targetStart, i);

  const version = parseVersion(bytes, i + 1, end);
  if (typeof version !== 'string') return version;
  return { method, target, version };
}

interface StatusLine {
  readonly version: string;
  readonly status: number;
  readonly reasonPhrase: string;
}

/** status-line = HTTP-version SP status-code SP reason-phrase (RFC 7230 §3.1.2). */
function parseStatusLine(bytes: Uint8Array, start: number, end: number): StatusLine | LineError {
  if (end - start < 12) return lineError(400, 'status-line too short');
  const version = parseVersion(bytes, start, start + 8);
  if (typeof version !== 'string') return version;
  if (bytes[start + 8] !== SP) return lineError(400, 'status-line: HTTP-version not followed by SP');
  let code = 0;
  for (let i = start + 9; i < start + 12; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return lineError(400, 'status-line: status-code is not 3 digits');
    code = code * 10 + (c - 0x30);
  }
  let reasonPhrase = '';
  if (end > start + 12) {
    if (bytes[start + 12] !== SP) return lineError(400, 'status-line: status-code not followed by SP');
    for (let i = start + 13; i < end; i++) {
      const c = bytes[i]!;
      // reason-phrase = *( HTAB / SP / VCHAR / obs-text )
      if ((c < 0x20 && c !== HTAB) || c === 0x7f) {
        return lineError(400, `status-line: control octet 0x${hex(c)} in reason-phrase`);
      }
    }
    reasonPhrase = latin1Decode(bytes, start + 13, end);
  }
  return { version, status: code, reasonPhrase };
}

/**
 * HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 7230 §2.6),
 * spanning exactly `[start, end)`. Major versions other than 1 get 505: this
 * is HTTP/1.x message syntax, and RFC 6455 §4.1 requires "HTTP/1.1 or higher".
 */
function parseVersion(bytes: Uint8Array, start: number, end: number): string | LineError {
  const ok =
    end - start === 8 &&
    bytes[start] === 0x48 && // H
    bytes[start + 1] === 0x54 && // T
    bytes[start + 2] === 0x54 && // T
    bytes[start + 3] === 0x50 && // P
    bytes[start + 4] === 0x2f && // /
    isDigit(bytes[start + 5]!) &&
    bytes[start + 6] === 0x2e && // .
    isDigit(bytes[start + 7]!);
  if (!ok) return lineError(400, 'malformed HTTP-version');
  const version = latin1Decode(bytes, start, end);
  if (bytes[start + 5] !== 0x31) return lineError(505, `unsupported HTTP version ${version}`);
  return version;
}

function isOwsOctet(c: number): boolean {
  return c === SP || c === HTAB;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hex(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/**
 * A handshake message ready to send: its octets, and the same head as text
 * (latin1, one character per octet) for wire logs and reports.
 */
export interface EncodedHandshake {
  readonly bytes: Uint8Array;
  readonly text: string;
}
