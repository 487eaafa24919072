/**
 * A server's `permessage-deflate` response (RFC 7692 §5, §7.1): the "agreed
 * parameters" of the connection, how the server writes them and how a client
 * reads them.
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
  requiredWindowBits,
} from './params.js';

/**
 * The parameters of an accepted negotiation — the parameters of the server's
 * response element, which RFC 7692 calls the "agreed parameters". Each field
 * binds one direction: `server*` the server's compressor and the client's
 * decompressor, `client*` the other way round (§7).
 */
export interface DeflateParameters {
  /** The server starts every message with an empty window (§7.1.1.1, §7.2.1). */
  readonly serverNoContextTakeover: boolean;
  /** The client starts every message with an empty window (§7.1.1.2, §7.2.1). */
  readonly clientNoContextTakeover: boolean;
  /** Largest window of the server's compressor; `null` for 15 (§7.1.2.1). */
  readonly serverMaxWindowBits: WindowBits | null;
  /** Largest window of the client's compressor; `null` for 15 (§7.1.2.2). */
  readonly clientMaxWindowBits: WindowBits | null;
}

/** `permessage-deflate` with no parameters: context takeover and 15-bit windows both ways. */
export const DEFAULT_DEFLATE_PARAMETERS: DeflateParameters = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: null,
  clientMaxWindowBits: null,
};

/** A well-formed response, or why the client must fail the connection. */
export type DeflateResponseParse = { readonly ok: true; readonly params: DeflateParameters } | DeflateNegotiationFailure;

/**
 * Read one element of a `Sec-WebSocket-Extensions` response value as a
 * `permessage-deflate` response, with the checks of RFC 7692 §7 that make a
 * client fail the connection on its own: an unknown parameter, a parameter
 * given twice, an invalid value. Whether the response fits the client's offer
 * is `validateDeflateResponse`'s business.
 */
export function parseDeflateResponse(element: ExtensionOffer): DeflateResponseParse {
  const indexed = indexDeflateParams(element, 'response');
  if (!indexed.ok) return indexed;
  const p = indexed.params;

  // §7.1.1.1: "The "server_no_context_takeover" extension parameter in an
  // extension negotiation response has no value."
  const sncFailure = checkNoValue(p.get('server_no_context_takeover'), '§7.1.1.1');
  if (sncFailure !== null) return sncFailure;
  // §7.1.1.2: "The "client_no_context_takeover" extension parameter in an
  // extension negotiation response has no value."
  const cncFailure = checkNoValue(p.get('client_no_context_takeover'), '§7.1.1.2');
  if (cncFailure !== null) return cncFailure;

  // §7.1.2.1: "The "server_max_window_bits" extension parameter in an extension
  // negotiation response has a decimal integer value without leading zeroes
  // between 8 to 15, inclusive, … and MUST conform to the ABNF below."
  const smwb = requiredWindowBits(p.get('server_max_window_bits'), '§7.1.2.1');
  if (isFailure(smwb)) return smwb;
  // §7.1.2.2: "The "client_max_window_bits" extension parameter in an extension
  // negotiation response has a decimal integer value without leading zeroes
  // between 8 to 15 inclusive … and MUST conform to the ABNF below." Unlike in
  // an offer, the value is not optional.
  const cmwb = requiredWindowBits(p.get('client_max_window_bits'), '§7.1.2.2');
  if (isFailure(cmwb)) return cmwb;

  return {
    ok: true,
    params: {
      serverNoContextTakeover: p.has('server_no_context_takeover'),
      clientNoContextTakeover: p.has('client_no_context_takeover'),
      serverMaxWindowBits: smwb,
      clientMaxWindowBits: cmwb,
    },
  };
}

/**
 * The response as an element for `formatExtensionList`, parameters in the
 * order the Autobahn testsuite writes them (`server_no_context_takeover;
 * server_max_window_bits=N; client_no_context_takeover; client_max_window_bits=N`).
 */
export function deflateResponseElement(params: DeflateParameters): ExtensionOffer {
  for (const [name, bits] of [
    ['serverMaxWindowBits', params.serverMaxWindowBits],
    ['clientMaxWindowBits', params.clientMaxWindowBits],
  ] as const) {
    if (bits !== null && !isWindowBits(bits)) throw new RangeError(`${name} must be 8..15 or null, got ${String(bits)}`);
  }
  const out: ExtensionParam[] = [];
  if (params.serverNoContextTakeover) out.push({ name: 'server_no_context_takeover', value: null });
  if (params.serverMaxWindowBits !== null) out.push({ name: 'server_max_window_bits', value: String(params.serverMaxWindowBits) });
  if (params.clientNoContextTakeover) out.push({ name: 'client_no_context_takeover', value: null });
  if (params.clientMaxWindowBits !== null) out.push({ name: 'client_max_window_bits', value: String(params.clientMaxWindowBits) });
  return { name: PERMESSAGE_DEFLATE, params: out };
}

/** The `Sec-WebSocket-Extensions` value of a server accepting with these parameters, e.g. `permessage-deflate; client_max_window_bits=9`. */
export function formatDeflateResponse(params: DeflateParameters): string {
  return formatExtensionList([deflateResponseElement(params)]);
}
