/**
 * The four extension parameters of `permessage-deflate` (RFC 7692 §7.1) and
 * the checks every offer and every response share: names, duplicates and the
 * window-bits value grammar.
 *
 * RFC 7692 §7: "A server MUST decline an extension negotiation offer for this
 * extension if any of the following conditions are met: o The negotiation
 * offer contains an extension parameter not defined for use in an offer. o The
 * negotiation offer contains an extension parameter with an invalid value.
 * o The negotiation offer contains multiple extension parameters with the same
 * name. o The server doesn't support the offered configuration." The client's
 * list for a response is the same with "response" and "The client does not
 * support the configuration that the response represents", and it "MUST
 * _Fail the WebSocket Connection_".
 */
import type { ExtensionOffer, ExtensionParam } from '../handshake/grammar.js';

/** The registered extension name (RFC 7692 §7: "The registered extension name for this extension is "permessage-deflate""). */
export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/**
 * Base-2 logarithm of an LZ77 sliding window size: "a decimal integer value
 * without leading zeroes between 8 to 15, inclusive" (RFC 7692 §7.1.2.1,
 * §7.1.2.2).
 */
export type WindowBits = 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;

export const MIN_WINDOW_BITS: WindowBits = 8;
/** Also the window a peer may use when nothing limits it: "up to 32,768 bytes" (RFC 7692 §7.1.2.1). */
export const MAX_WINDOW_BITS: WindowBits = 15;

/** The extension parameters RFC 7692 §7.1 defines, in both offers and responses. */
export type DeflateParamName =
  | 'server_no_context_takeover'
  | 'client_no_context_takeover'
  | 'server_max_window_bits'
  | 'client_max_window_bits';

export const DEFLATE_PARAM_NAMES: readonly DeflateParamName[] = [
  'server_no_context_takeover',
  'client_no_context_takeover',
  'server_max_window_bits',
  'client_max_window_bits',
];

/**
 * A negotiation that cannot go ahead: an offer the server must decline, or a
 * response the client must fail the connection for. `rule` names the RFC
 * section, e.g. `RFC 7692 §7.1.2.2`.
 */
export interface DeflateNegotiationFailure {
  readonly ok: false;
  readonly reason: string;
  readonly rule: string;
}

/** @internal */
export function negotiationFailure(reason: string, rule: string): DeflateNegotiationFailure {
  return { ok: false, reason, rule };
}

/**
 * Parse a window-bits value: `1*DIGIT` (the ABNF of RFC 7692 §7.1.2.1 and
 * §7.1.2.2) "without leading zeroes between 8 to 15, inclusive". So exactly
 * the strings `8` … `15`; `08`, `+9`, `9.0`, `16` and `` are invalid. (A
 * quoted-string such as `"10"` arrives here unquoted: RFC 6455 §9.1 lets the
 * value be quoted as long as it unescapes to a token.)
 */
export function parseWindowBits(value: string): WindowBits | null {
  if (value.length === 1) {
    const c = value.charCodeAt(0);
    return c === 0x38 || c === 0x39 ? ((c - 0x30) as WindowBits) : null;
  }
  if (value.length === 2 && value.charCodeAt(0) === 0x31) {
    const c = value.charCodeAt(1);
    return c >= 0x30 && c <= 0x35 ? ((10 + c - 0x30) as WindowBits) : null;
  }
  return null;
}

export function isWindowBits(n: unknown): n is WindowBits {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_WINDOW_BITS && n <= MAX_WINDOW_BITS;
}

/** Text of a peer-supplied name or value in a reason: quoted, and cut short if long. @internal */
export function quoted(s: string): string {
  return JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);
}

/**
 * The checks an offer (`kind: 'offer'`) and a response share, in parameter
 * order: every name is one of the four (§7: "not defined for use in an
 * offer/response") and none appears twice (§7: "multiple extension parameters
 * with the same name"). Returns the parameters by name, or the failure.
 * @internal
 */
export function indexDeflateParams(
  element: ExtensionOffer,
  kind: 'offer' | 'response',
): { readonly ok: true; readonly params: ReadonlyMap<DeflateParamName, ExtensionParam> } | DeflateNegotiationFailure {
  if (element.name !== PERMESSAGE_DEFLATE) {
    return negotiationFailure(`extension ${quoted(element.name)} is not ${PERMESSAGE_DEFLATE}`, 'RFC 7692 §7');
  }
  const byName = new Map<DeflateParamName, ExtensionParam>();
  for (const param of element.params) {
    const name = param.name as DeflateParamName;
    // §7: "The negotiation offer [response] contains an extension parameter not defined for use in an offer [a response]."
    if (!DEFLATE_PARAM_NAMES.includes(name)) {
      return negotiationFailure(`parameter ${quoted(param.name)} is not defined for use in ${kind === 'offer' ? 'an offer' : 'a response'}`, 'RFC 7692 §7');
    }
    // §7: "The negotiation offer [response] contains multiple extension parameters with the same name."
    if (byName.has(name)) return negotiationFailure(`parameter ${name} appears more than once`, 'RFC 7692 §7');
    byName.set(name, param);
  }
  return { ok: true, params: byName };
}

/**
 * `server_no_context_takeover` and `client_no_context_takeover` take no value
 * in an offer or a response (§7.1.1.1: "This extension parameter has no
 * value"; "… in an extension negotiation response has no value"; §7.1.1.2
 * likewise). A value is "an extension parameter with an invalid value" (§7).
 * @internal
 */
export function checkNoValue(param: ExtensionParam | undefined, section: string): DeflateNegotiationFailure | null {
  if (param === undefined || param.value === null) return null;
  return negotiationFailure(`${param.name} has the value ${quoted(param.value)}, but takes no value`, `RFC 7692 ${section}`);
}

/**
 * A window-bits parameter that must carry a value (every one in a response;
 * `server_max_window_bits` in an offer). Returns the bits, `null` when the
 * parameter is absent, or the failure.
 * @internal
 */
export function requiredWindowBits(param: ExtensionParam | undefined, section: string): WindowBits | null | DeflateNegotiationFailure {
  if (param === undefined) return null;
  if (param.value === null) return negotiationFailure(`${param.name} has no value, but needs one from 8 to 15`, `RFC 7692 ${section}`);
  const bits = parseWindowBits(param.value);
  if (bits === null) {
    return negotiationFailure(`${param.name}=${quoted(param.value)} is not a value from 8 to 15 without leading zeroes`, `RFC 7692 ${section}`);
  }
  return bits;
}

/** @internal */
export function isFailure(x: unknown): x is DeflateNegotiationFailure {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}
