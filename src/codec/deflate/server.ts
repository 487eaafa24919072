/**
 * The server's side of `permessage-deflate` negotiation (RFC 7692 §5, §7):
 * which offer it accepts and what it answers. What a server supports and asks
 * for is data — a {@link DeflateServerPolicy} — so the RFC's choices and the
 * Autobahn testsuite's accept rules are the same code with different values.
 */
import type { ExtensionOffer } from '../handshake/grammar.js';
import { type DeflateOffer, parseDeflateOffer } from './offer.js';
import { type DeflateNegotiationFailure, MAX_WINDOW_BITS, MIN_WINDOW_BITS, PERMESSAGE_DEFLATE, type WindowBits, negotiationFailure } from './params.js';
import { type DeflateParameters, deflateResponseElement, formatDeflateResponse } from './response.js';

/**
 * One way a server is willing to accept an offer: what it supports and what it
 * requests. Every field is optional; `{}` accepts any valid offer as it is.
 */
export interface DeflateAcceptRule {
  /**
   * Whether the server can honour a `server_no_context_takeover` request;
   * when false, offers carrying it are declined. Default true (§7.1.1.1: "It
   * is RECOMMENDED that a server supports" it).
   */
  readonly supportsServerNoContextTakeover?: boolean;
  /**
   * Answer `server_no_context_takeover` even when not offered (§7.1.1.1: "A
   * server MAY include …"). Default false.
   */
  readonly serverNoContextTakeover?: boolean;
  /**
   * The largest window the server's compressor will use. Answered as the
   * smaller of this and the offered `server_max_window_bits`; written even when
   * not offered if below 15 (§7.1.2.1: "A server MAY include …"). Default 15.
   */
  readonly serverMaxWindowBits?: WindowBits;
  /**
   * The smallest `server_max_window_bits` the server can compress with; offers
   * asking for less are declined (§7.1.2.1: "A server declines an extension
   * negotiation offer with this parameter if the server doesn't support it").
   * Default 8: wscheck's compressors honour every window size.
   */
  readonly minServerMaxWindowBits?: WindowBits;
  /**
   * When to answer `client_no_context_takeover` (§7.1.1.2: the server "MAY
   * include" it, offered or not): `never`, `if-offered` (take the client's
   * hint) or `always`. Default `never`.
   */
  readonly clientNoContextTakeover?: 'never' | 'if-offered' | 'always';
  /**
   * `client_max_window_bits` to answer, possible only when the offer carries
   * the parameter (§7.1.2.2): a number (the server may ignore the client's
   * hinted value), `hint` (the client's own value, when it gave one) or `null`
   * (never). Default `null`.
   */
  readonly clientMaxWindowBits?: WindowBits | 'hint' | null;
  /**
   * Decline offers without `client_max_window_bits`, i.e. offers this rule
   * cannot limit the client's window for. Default false.
   */
  readonly requireClientMaxWindowBits?: boolean;
}

/**
 * What a server accepts: rules tried in order, each against every offer in
 * the client's order of preference; the first acceptance wins.
 */
export interface DeflateServerPolicy {
  readonly name: string;
  readonly rules: readonly DeflateAcceptRule[];
}

/** Accept the first valid offer as it is: honour its requests, request nothing (RFC 7692's minimum). */
export const DEFAULT_DEFLATE_SERVER_POLICY: DeflateServerPolicy = { name: 'default', rules: [{}] };

/** An offer the server declined, and why. */
export interface DeflateOfferDecline {
  /** Index of the element in the request's extension list. */
  readonly index: number;
  readonly reason: string;
  readonly rule: string;
}

/** The offer a server accepted. */
export interface DeflateAcceptance {
  /** Index of the accepted element in the request's extension list. */
  readonly index: number;
  readonly offer: DeflateOffer;
  /** The response's parameters: the agreed parameters. */
  readonly params: DeflateParameters;
  /** The response element (for `formatExtensionList` with other extensions). */
  readonly element: ExtensionOffer;
  /** The response alone as a `Sec-WebSocket-Extensions` value. */
  readonly header: string;
}

export interface DeflateSelection {
  /** The accepted offer, or `null`: no `permessage-deflate` on this connection. */
  readonly accepted: DeflateAcceptance | null;
  /**
   * Offers declined, in request order: every invalid one (§7: the server "MUST
   * decline" it), and the valid ones the accepting rule declined before its
   * choice — or, when none was accepted, the first rule's reason for each.
   */
  readonly declined: readonly DeflateOfferDecline[];
}

/**
 * The server's choice among the request's extension elements (all of them, in
 * order; other extensions are skipped). RFC 7692 §7: a server "MUST decline"
 * an offer with an unknown parameter, a repeated one or an invalid value, and
 * one whose configuration it does not support — a later offer may still be
 * accepted. At most one offer is accepted (§5: two would both claim RSV1).
 */
export function selectDeflateOffer(
  elements: readonly ExtensionOffer[],
  policy: DeflateServerPolicy = DEFAULT_DEFLATE_SERVER_POLICY,
): DeflateSelection {
  const valid: { index: number; offer: DeflateOffer }[] = [];
  const invalid: DeflateOfferDecline[] = [];
  elements.forEach((element, index) => {
    if (element.name !== PERMESSAGE_DEFLATE) return;
    const r = parseDeflateOffer(element);
    if (r.ok) valid.push({ index, offer: r.offer });
    else invalid.push({ index, reason: r.reason, rule: r.rule });
  });
  let firstRuleDeclines: DeflateOfferDecline[] | null = null;
  for (const rule of policy.rules) {
    const declines: DeflateOfferDecline[] = [];
    for (const { index, offer } of valid) {
      const r = acceptDeflateOffer(offer, rule);
      if (!r.ok) {
        declines.push({ index, reason: r.reason, rule: r.rule });
        continue;
      }
      return {
        accepted: { index, offer, params: r.params, element: deflateResponseElement(r.params), header: formatDeflateResponse(r.params) },
        declined: byIndex([...invalid, ...declines]),
      };
    }
    firstRuleDeclines ??= declines;
  }
  return { accepted: null, declined: byIndex([...invalid, ...(firstRuleDeclines ?? [])]) };
}

function byIndex(declines: DeflateOfferDecline[]): DeflateOfferDecline[] {
  return declines.sort((a, b) => a.index - b.index);
}

/**
 * The response one rule gives one valid offer, or why the rule declines it.
 * The response always satisfies the offer's requests (checked again by
 * `validateDeflateResponse` on the client's side).
 */
export function acceptDeflateOffer(
  offer: DeflateOffer,
  rule: DeflateAcceptRule = {},
): { readonly ok: true; readonly params: DeflateParameters } | DeflateNegotiationFailure {
  // §7.1.1.1: "A server accepts an extension negotiation offer that includes the
  // "server_no_context_takeover" extension parameter by including the
  // "server_no_context_takeover" extension parameter in the corresponding
  // extension negotiation response". A server that cannot must decline (§7:
  // "The server doesn't support the offered configuration").
  if (offer.serverNoContextTakeover && rule.supportsServerNoContextTakeover === false) {
    return negotiationFailure('the offer requests server_no_context_takeover, which this server does not support', 'RFC 7692 §7.1.1.1');
  }
  const serverNoContextTakeover = offer.serverNoContextTakeover || rule.serverNoContextTakeover === true;

  const own = rule.serverMaxWindowBits ?? MAX_WINDOW_BITS;
  let serverMaxWindowBits: WindowBits | null;
  if (offer.serverMaxWindowBits !== null) {
    // §7.1.2.1: "A server declines an extension negotiation offer with this
    // parameter if the server doesn't support it."
    const min = rule.minServerMaxWindowBits ?? MIN_WINDOW_BITS;
    if (offer.serverMaxWindowBits < min) {
      return negotiationFailure(
        `the offer requests server_max_window_bits=${offer.serverMaxWindowBits}, below the ${min} this server supports`,
        'RFC 7692 §7.1.2.1',
      );
    }
    // §7.1.2.1: "A server accepts an extension negotiation offer with this
    // parameter by including the "server_max_window_bits" extension parameter in
    // the extension negotiation response to send back to the client with the
    // same or smaller value as the offer."
    serverMaxWindowBits = Math.min(own, offer.serverMaxWindowBits) as WindowBits;
  } else {
    // §7.1.2.1: "A server MAY include the "server_max_window_bits" extension
    // parameter in an extension negotiation response even if the extension
    // negotiation offer being accepted by the response didn't include" it.
    serverMaxWindowBits = own < MAX_WINDOW_BITS ? own : null;
  }

  // §7.1.1.2: "A server MAY include the "client_no_context_takeover" extension
  // parameter in an extension negotiation response."
  const cnct = rule.clientNoContextTakeover ?? 'never';
  const clientNoContextTakeover = cnct === 'always' || (cnct === 'if-offered' && offer.clientNoContextTakeover);

  let clientMaxWindowBits: WindowBits | null = null;
  if (offer.clientMaxWindowBits === null) {
    // §7.1.2.2: "If a received extension negotiation offer doesn't have the
    // "client_max_window_bits" extension parameter, the corresponding extension
    // negotiation response to the offer MUST NOT include the
    // "client_max_window_bits" extension parameter."
    if (rule.requireClientMaxWindowBits === true) {
      return negotiationFailure('the offer has no client_max_window_bits, so the client window cannot be limited', 'RFC 7692 §7.1.2.2');
    }
  } else {
    // §7.1.2.2: "If a received extension negotiation offer has the
    // "client_max_window_bits" extension parameter, the server MAY include the
    // "client_max_window_bits" extension parameter in the corresponding
    // extension negotiation response to the offer. If the … offer has a value,
    // the server may either ignore this value or use this value … with a value
    // equal to or smaller than the received value."
    const want = rule.clientMaxWindowBits ?? null;
    if (want === 'hint') clientMaxWindowBits = offer.clientMaxWindowBits === true ? null : offer.clientMaxWindowBits;
    else clientMaxWindowBits = want;
  }

  return { ok: true, params: { serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits } };
}
