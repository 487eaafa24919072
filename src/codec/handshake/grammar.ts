/**
 * Header value grammar used by the opening handshake: tokens and token lists
 * (RFC 7230 §3.2.6, §7), `Sec-WebSocket-Protocol` (RFC 6455 §11.3.4) and
 * `Sec-WebSocket-Extensions` (RFC 6455 §9.1, §11.3.2).
 *
 * Every parser here is a single forward scan without regular expressions and
 * returns `null` on a grammar error instead of throwing. Names from the peer
 * are kept in arrays, never used as keys of plain objects, so `__proto__` or
 * `constructor` are ordinary data.
 */
import type { HeaderField } from './head.js';
import { asciiEqualsIgnoreCase, TCHAR, trimOws } from './octets.js';

// Module-local alias for the hot loops (an imported binding can cost a
// property read per use under some loaders).
const tchar = TCHAR;

function isTchar(c: number): boolean {
  return c < 256 && tchar[c] === 1;
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * One element of a `Sec-WebSocket-Extensions` list (RFC 6455 §9.1): an
 * extension name and its parameters in order. A parameter without `=` has
 * value `null`; a quoted value is stored unquoted.
 */
export interface ExtensionOffer {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

/** `extension-param = token [ "=" (token | quoted-string) ]` (RFC 6455 §9.1). */
export interface ExtensionParam {
  readonly name: string;
  readonly value: string | null;
}

/**
 * Is `s` a token (RFC 7230 §3.2.6: `token = 1*tchar`)? Subprotocol names
 * (RFC 6455 §4.1, §11.3.4), extension names and parameters (§9.1) are tokens.
 */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Parse a `1#token` list (RFC 7230 §7), e.g. a `Sec-WebSocket-Protocol`
 * (RFC 6455 §11.3.4) or `Connection` value: elements separated by commas with
 * optional whitespace. Empty elements (`a, , b`) are skipped, since a
 * recipient "MUST accept lists that satisfy the following syntax" which allows
 * them (RFC 7230 §7). Returns the tokens in order, or `null` if an element is
 * not a token or the list has no element at all.
 */
export function parseTokenList(value: string): string[] | null {
  const tokens: string[] = [];
  const n = value.length;
  let start = 0;
  for (;;) {
    let comma = value.indexOf(',', start);
    if (comma < 0) comma = n;
    const element = trimOws(value, start, comma);
    if (element.length > 0) {
      if (!isToken(element)) return null;
      tokens.push(element);
    }
    if (comma === n) break;
    start = comma + 1;
  }
  return tokens.length > 0 ? tokens : null;
}

/**
 * Does any `name` header field list `token` (ASCII case-insensitive, both the
 * field name and the token, RFC 7230 §3.2 and §6.1)? Used for
 * `Connection: keep-alive, Upgrade` and `Upgrade: websocket` (RFC 6455 §4.1,
 * §4.2.1). Membership only: other elements need not be well-formed tokens.
 */
export function headerHasToken(headers: readonly HeaderField[], name: string, token: string): boolean {
  for (const field of headers) {
    if (!asciiEqualsIgnoreCase(field.name, name)) continue;
    const value = field.value;
    let start = 0;
    for (;;) {
      let comma = value.indexOf(',', start);
      if (comma < 0) comma = value.length;
      if (asciiEqualsIgnoreCase(trimOws(value, start, comma), token)) return true;
      if (comma === value.length) break;
      start = comma + 1;
    }
  }
  return false;
}

/**
 * Parse the values of every `Sec-WebSocket-Extensions` header field
 * (RFC 6455 §9.1; the field "MAY appear multiple times in an HTTP request
 * (which is logically the same as a single … header field that contains all
 * values)", §11.3.2) into one list, in order:
 *
 * ```
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * ```
 *
 * Optional whitespace is accepted around `,`, `;` and `=` (the RFC's ABNF uses
 * RFC 2616 implied linear whitespace). Empty list elements are skipped
 * (RFC 7230 §7), but each header value must hold at least one extension.
 * Quoted values are unescaped and, as §9.1 requires — "When using the
 * quoted-string syntax variant, the value after quoted-string unescaping MUST
 * conform to the 'token' ABNF" — must then be tokens. Returns `null` on any
 * grammar error; `[]` for no values.
 */
export function parseExtensionList(values: readonly string[]): ExtensionOffer[] | null {
  const offers: ExtensionOffer[] = [];
  for (const value of values) {
    const before = offers.length;
    if (!parseExtensionValue(value, offers)) return null;
    if (offers.length === before) return null; // 1#extension: an empty field value is not a list.
  }
  return offers;
}

/**
 * Format offers as a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1):
 * `name; p=v; q, other`. The inverse of {@link parseExtensionList} for offers
 * whose names and values are tokens. A value that is not a token is written as
 * a quoted-string (it will not parse back, since §9.1 forbids that; useful for
 * testing a peer's rejection). Names are written as given.
 */
export function formatExtensionList(offers: readonly ExtensionOffer[]): string {
  const elements: string[] = [];
  for (const offer of offers) {
    let element = offer.name;
    for (const param of offer.params) {
      element += '; ' + param.name;
      if (param.value !== null) element += '=' + (isToken(param.value) ? param.value : quoteString(param.value));
    }
    elements.push(element);
  }
  return elements.join(', ');
}

/** A quoted-string (RFC 7230 §3.2.6) holding `s`, escaping `"` and `\`. */
function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c === 0x22 || c === 0x5c ? '\\' + s[i]! : s[i]!;
  }
  return out + '"';
}

/** Scanner over one header value; appends offers, false on a grammar error. */
function parseExtensionValue(value: string, offers: ExtensionOffer[]): boolean {
  const n = value.length;
  let pos = 0;

  const skipOws = (): void => {
    while (pos < n && isOws(value.charCodeAt(pos))) pos++;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < n && isTchar(value.charCodeAt(pos))) pos++;
    return value.slice(start, pos);
  };

  for (;;) {
    skipOws();
    if (pos === n) return true;
    if (value.charCodeAt(pos) === 0x2c) {
      pos++; // empty element
      continue;
    }
    const name = readToken();
    if (name.length === 0) return false;
    const params: ExtensionParam[] = [];
    skipOws();
    while (pos < n && value.charCodeAt(pos) === 0x3b) {
      pos++;
      skipOws();
      const paramName = readToken();
      if (paramName.length === 0) return false;
      skipOws();
      let paramValue: string | null = null;
      if (pos < n && value.charCodeAt(pos) === 0x3d) {
        pos++;
        skipOws();
        if (pos < n && value.charCodeAt(pos) === 0x22) {
          const quoted = readQuotedString(value, pos);
          if (quoted === null) return false;
          pos = quoted.end;
          // RFC 6455 §9.1: "the value after quoted-string unescaping MUST
          // conform to the 'token' ABNF."
          if (!isToken(quoted.text)) return false;
          paramValue = quoted.text;
        } else {
          paramValue = readToken();
          if (paramValue.length === 0) return false;
        }
        skipOws();
      }
      params.push({ name: paramName, value: paramValue });
    }
    if (pos < n && value.charCodeAt(pos) !== 0x2c) return false;
    offers.push({ name, params });
  }
}

/**
 * Read the quoted-string starting at `value[start] === '"'` (RFC 7230 §3.2.6):
 *
 * ```
 * quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
 * qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
 * quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
 * ```
 *
 * Returns the unescaped text and the index after the closing quote, or `null`.
 */
function readQuotedString(value: string, start: number): { text: string; end: number } | null {
  const n = value.length;
  let text = '';
  let runStart = start + 1;
  for (let i = start + 1; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) return { text: text + value.slice(runStart, i), end: i + 1 };
    if (c === 0x5c) {
      if (i + 1 >= n) return null;
      const e = value.charCodeAt(i + 1);
      if (!(e === 0x09 || (e >= 0x20 && e <= 0x7e) || (e >= 0x80 && e <= 0xff))) return null;
      text += value.slice(runStart, i) + value[i + 1]!;
      i++;
      runStart = i + 1;
      continue;
    }
    if (!(c === 0x09 || c === 0x20 || c === 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) return null;
  }
  return null;
}
