/**
 * A client's `permessage-deflate` offer (RFC 7692 §5, §7.1): what it
 * contains, how the client writes it, and how a server reads and validates it.
 */
import type { ExtensionOffer, ExtensionParam } from '../handshake/grammar.js';
import { formatExtensionList } from '../handshake/grammar.js';
import {
  type DeflateNegotiationFailure,
  PERMESSAGE_DEFLATE,
  type WindowBits,
  checkNoValue,
  indexDeflateParams,
  isFailure,
  isWindowBits,
  negotiationFailure,
  parseWindowBits,
  quoted,
  requiredWindowBits,
} from './params.js';

/**
 * One `permessage-deflate` offer. Requests bind the server if it accepts the
 * offer; hints tell it what the client will do anyway (RFC 7692 §5).
 */
export interface DeflateOffer {
  /** Request: the server must not take over its window between messages (§7.1.1.1). */
  readonly serverNoContextTakeover: boolean;
  /** Hint: the client will not take over its window, whatever the response says (§7.1.1.2). */
  readonly clientNoContextTakeover: boolean;
  /** Request: the largest window the server may compress with, or `null` for 15 (§7.1.2.1). */
  readonly serverMaxWindowBits: WindowBits | null;
  /**
   * `client_max_window_bits` (§7.1.2.2): `null` when absent (the response
   * then must not carry it); `true` when present without a value (the client
   * accepts a limit in the response); a number when present with a value (also
   * a hint that the client will not use a larger window).
   */
  readonly clientMaxWindowBits: WindowBits | true | null;
}

/** An offer with no parameters: `permessage-deflate`. */
export const PLAIN_DEFLATE_OFFER: DeflateOffer = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: null,
  clientMaxWindowBits: null,
};

/** A valid offer, or why the server must decline it. */
export type DeflateOfferParse = { readonly ok: true; readonly offer: DeflateOffer } | DeflateNegotiationFailure;

/**
 * Read one element of a `Sec-WebSocket-Extensions` request value (see
 * `parseExtensionList`) as a `permessage-deflate` offer, with the checks of
 * RFC 7692 §7 that make a server decline it: an unknown parameter, a
 * parameter given twice, or an invalid value.
 */
export function parseDeflateOffer(element: ExtensionOffer): DeflateOfferParse {
  const indexed = indexDeflateParams(element, 'offer');
  if (!indexed.ok) return indexed;
  const p = indexed.params;

  // §7.1.1.1: "A client MAY include the "server_no_context_takeover" extension
  // parameter in an extension negotiation offer. This extension parameter has no value."
  const sncFailure = checkNoValue(p.get('server_no_context_takeover'), '§7.1.1.1');
  if (sncFailure !== null) return sncFailure;
  // §7.1.1.2: "A client MAY include the "client_no_context_takeover" extension
  // parameter in an extension negotiation offer. This extension parameter has no value."
  const cncFailure = checkNoValue(p.get('client_no_context_takeover'), '§7.1.1.2');
  if (cncFailure !== null) return cncFailure;

  // §7.1.2.1: "This parameter has a decimal integer value without leading
  // zeroes between 8 to 15, inclusive, … and MUST conform to the ABNF below.
  // server-max-window-bits = 1*DIGIT"
  const smwb = requiredWindowBits(p.get('server_max_window_bits'), '§7.1.2.1');
  if (isFailure(smwb)) return smwb;

  // §7.1.2.2: "This parameter has no value or a decimal integer value without
  // leading zeroes between 8 to 15 inclusive … If a value is specified for this
  // parameter, the value MUST conform to the ABNF below. client-max-window-bits = 1*DIGIT"
  const cmwbParam = p.get('client_max_window_bits');
  let cmwb: WindowBits | true | null = null;
  if (cmwbParam !== undefined) {
    if (cmwbParam.value === null) {
      cmwb = true;
    } else {
      cmwb = parseWindowBits(cmwbParam.value);
      if (cmwb === null) {
        return negotiationFailure(
          `client_max_window_bits=${quoted(cmwbParam.value)} is not a value from 8 to 15 without leading zeroes`,
          'RFC 7692 §7.1.2.2',
        );
      }
    }
  }

  return {
    ok: true,
    offer: {
      serverNoContextTakeover: p.has('server_no_context_takeover'),
      clientNoContextTakeover: p.has('client_no_context_takeover'),
      serverMaxWindowBits: smwb,
      clientMaxWindowBits: cmwb,
    },
  };
}

/**
 * The offer as an element for `formatExtensionList`. Parameters are written in
 * the order the Autobahn testsuite writes them (`client_no_context_takeover;
 * client_max_window_bits; server_no_context_takeover; server_max_window_bits=N`),
 * so its offers are reproduced octet for octet; any order is valid.
 */
export function deflateOfferElement(offer: DeflateOffer): ExtensionOffer {
  checkOffer(offer);
  const params: ExtensionParam[] = [];
  if (offer.clientNoContextTakeover) params.push({ name: 'client_no_context_takeover', value: null });
  if (offer.clientMaxWindowBits !== null) {
    params.push({ name: 'client_max_window_bits', value: offer.clientMaxWindowBits === true ? null : String(offer.clientMaxWindowBits) });
  }
  if (offer.serverNoContextTakeover) params.push({ name: 'server_no_context_takeover', value: null });
  if (offer.serverMaxWindowBits !== null) params.push({ name: 'server_max_window_bits', value: String(offer.serverMaxWindowBits) });
  return { name: PERMESSAGE_DEFLATE, params };
}

/**
 * A `Sec-WebSocket-Extensions` value offering these configurations in order of
 * preference (RFC 7692 §5: a client may offer several, the server accepts at
 * most one), e.g. `permessage-deflate; client_max_window_bits`.
 */
export function formatDeflateOffers(offers: readonly DeflateOffer[]): string {
  return formatExtensionList(offers.map(deflateOfferElement));
}

function checkOffer(offer: DeflateOffer): void {
  if (offer.serverMaxWindowBits !== null && !isWindowBits(offer.serverMaxWindowBits)) {
    throw new RangeError(`serverMaxWindowBits must be 8..15 or null, got ${offer.serverMaxWindowBits}`);
  }
  const c = offer.clientMaxWindowBits;
  if (c !== null && c !== true && !isWindowBits(c)) {
    throw new RangeError(`clientMaxWindowBits must be 8..15, true or null, got ${String(c)}`);
  }
}
