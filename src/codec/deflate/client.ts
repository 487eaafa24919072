/**
 * The client's side of `permessage-deflate` negotiation (RFC 7692 §5, §7):
 * the checks it applies to the server's response, each a case where the
 * client "MUST _Fail the WebSocket Connection_".
 */
import type { ExtensionOffer } from '../handshake/grammar.js';
import { type DeflateOffer, parseDeflateOffer } from './offer.js';
import { type DeflateNegotiationFailure, PERMESSAGE_DEFLATE, type WindowBits, negotiationFailure, quoted } from './params.js';
import { type DeflateParameters, parseDeflateResponse } from './response.js';

/** Options of {@link validateDeflateResponse}. */
export interface DeflateResponseOptions {
  /**
   * Names of other extensions that use the RSV1 bit. RFC 7692 §5: "A client
   * that received a response accepting a PMCE extension negotiation offer
   * together with such an extension MUST _Fail the WebSocket Connection_."
   * Default: the pre-RFC frame compression extensions `deflate-frame`,
   * `x-webkit-deflate-frame` and `perframe-deflate`.
   */
  readonly rsv1Extensions?: readonly string[];
}

const DEFAULT_RSV1_EXTENSIONS = ['deflate-frame', 'x-webkit-deflate-frame', 'perframe-deflate'];

/** The outcome of a negotiation the client accepts. */
export interface DeflateAgreement {
  readonly ok: true;
  /** The agreed parameters, or `null` when the server did not accept `permessage-deflate`. */
  readonly params: DeflateParameters | null;
  /** The offer the response accepts (the first one it fits), or `null`. */
  readonly offer: DeflateOffer | null;
  /** Index of that offer in the client's extension list, or -1. */
  readonly offerIndex: number;
}

/**
 * Validate the server's accepted extensions (e.g. `ServerAcceptance.extensions`
 * from `validateServerResponse`, which has already checked that every name
 * was offered) against the client's own offer elements, both in order.
 *
 * Fails, with the section that says so, when the response:
 * - accepts `permessage-deflate` twice, or with another RSV1 extension (§5);
 * - has a parameter not defined for a response, a repeated parameter, or an
 *   invalid value (§7);
 * - represents a configuration the client does not support (§7), i.e. fits
 *   none of its offers: it drops a requested `server_no_context_takeover`
 *   (§7.1.1.1), answers a larger `server_max_window_bits` than requested or
 *   none (§7.1.2.1), or includes `client_max_window_bits` that the offer did
 *   not (§7.1.2.2).
 */
export function validateDeflateResponse(
  accepted: readonly ExtensionOffer[],
  offered: readonly ExtensionOffer[],
  options: DeflateResponseOptions = {},
): DeflateAgreement | DeflateNegotiationFailure {
  const responses = accepted.filter((e) => e.name === PERMESSAGE_DEFLATE);
  if (responses.length === 0) return { ok: true, params: null, offer: null, offerIndex: -1 };

  // §5: "A server MUST NOT accept a PMCE extension negotiation offer together
  // with another extension if the PMCE will conflict with the extension on
  // their use of the RSV1 bit. A client that received a response accepting a
  // PMCE extension negotiation offer together with such an extension MUST
  // _Fail the WebSocket Connection_." A second permessage-deflate is such an extension.
  if (responses.length > 1) {
    return negotiationFailure(`the server accepted ${PERMESSAGE_DEFLATE} ${responses.length} times; each would use RSV1`, 'RFC 7692 §5');
  }
  const rsv1 = options.rsv1Extensions ?? DEFAULT_RSV1_EXTENSIONS;
  const conflicting = accepted.find((e) => e.name !== PERMESSAGE_DEFLATE && rsv1.includes(e.name));
  if (conflicting !== undefined) {
    return negotiationFailure(`the server accepted ${PERMESSAGE_DEFLATE} together with ${quoted(conflicting.name)}, which also uses RSV1`, 'RFC 7692 §5');
  }

  // §7: "A client MUST _Fail the WebSocket Connection_ if the peer server
  // accepted an extension negotiation offer for this extension with an
  // extension negotiation response meeting any of the following conditions:
  // o The negotiation response contains an extension parameter not defined for
  // use in a response. o The negotiation response contains an extension
  // parameter with an invalid value. o The negotiation response contains
  // multiple extension parameters with the same name. o The client does not
  // support the configuration that the response represents."
  const parsed = parseDeflateResponse(responses[0]!);
  if (!parsed.ok) return parsed;
  const params = parsed.params;

  let firstMismatch: DeflateNegotiationFailure | null = null;
  let offers = 0;
  for (let index = 0; index < offered.length; index++) {
    const element = offered[index]!;
    if (element.name !== PERMESSAGE_DEFLATE) continue;
    const o = parseDeflateOffer(element);
    if (!o.ok) continue; // an offer the client itself wrote invalidly cannot be the one accepted
    offers++;
    const mismatch = responseMismatch(params, o.offer);
    if (mismatch === null) return { ok: true, params, offer: o.offer, offerIndex: index };
    firstMismatch ??= mismatch;
  }
  if (firstMismatch === null) {
    return negotiationFailure(`the server accepted ${PERMESSAGE_DEFLATE}, but the client made no valid offer of it`, 'RFC 7692 §7');
  }
  if (offers === 1) return firstMismatch;
  return negotiationFailure(`the response fits none of the ${offers} offers (first: ${firstMismatch.reason})`, firstMismatch.rule);
}

/** Why `params` is not an acceptance of `offer`, or `null` when it is. */
export function responseMismatch(params: DeflateParameters, offer: DeflateOffer): DeflateNegotiationFailure | null {
  // §7.1.1.1: "A server accepts an extension negotiation offer that includes
  // the "server_no_context_takeover" extension parameter by including the
  // "server_no_context_takeover" extension parameter in the corresponding
  // extension negotiation response". (Included though not offered is allowed:
  // "A server MAY include …".)
  if (offer.serverNoContextTakeover && !params.serverNoContextTakeover) {
    return negotiationFailure('the client requested server_no_context_takeover and the response omits it', 'RFC 7692 §7.1.1.1');
  }
  // §7.1.2.1: "A server accepts an extension negotiation offer with this
  // parameter by including the "server_max_window_bits" extension parameter in
  // the extension negotiation response to send back to the client with the
  // same or smaller value as the offer."
  if (offer.serverMaxWindowBits !== null) {
    if (params.serverMaxWindowBits === null) {
      return negotiationFailure(`the client requested server_max_window_bits=${offer.serverMaxWindowBits} and the response omits it`, 'RFC 7692 §7.1.2.1');
    }
    if (params.serverMaxWindowBits > offer.serverMaxWindowBits) {
      return negotiationFailure(
        `the response's server_max_window_bits=${params.serverMaxWindowBits} exceeds the requested ${offer.serverMaxWindowBits}`,
        'RFC 7692 §7.1.2.1',
      );
    }
  }
  // §7.1.2.2: "If a received extension negotiation offer doesn't have the
  // "client_max_window_bits" extension parameter, the corresponding extension
  // negotiation response to the offer MUST NOT include the
  // "client_max_window_bits" extension parameter."
  if (offer.clientMaxWindowBits === null && params.clientMaxWindowBits !== null) {
    return negotiationFailure(
      `the response has client_max_window_bits=${params.clientMaxWindowBits}, but the offer did not include client_max_window_bits`,
      'RFC 7692 §7.1.2.2',
    );
  }
  return null;
}

/**
 * How the client's own compressor must behave: the response's limits plus the
 * hints of the accepted offer, which bind the client even when the response
 * does not repeat them (§7.1.1.2: "the client is not going to use context
 * takeover"; §7.1.2.2: "the client is not going to use an LZ77 sliding window
 * size greater than the size specified by the value in the extension
 * negotiation offer").
 */
export function clientCompressorLimits(
  params: DeflateParameters,
  offer: DeflateOffer | null,
): { readonly noContextTakeover: boolean; readonly maxWindowBits: WindowBits } {
  const hint = offer !== null && typeof offer.clientMaxWindowBits === 'number' ? offer.clientMaxWindowBits : 15;
  return {
    noContextTakeover: params.clientNoContextTakeover || (offer?.clientNoContextTakeover ?? false),
    maxWindowBits: Math.min(params.clientMaxWindowBits ?? 15, hint) as WindowBits,
  };
}
