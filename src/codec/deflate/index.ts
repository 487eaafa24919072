/**
 * `permessage-deflate` (RFC 7692): negotiation for both roles, the Autobahn
 * testsuite's offers and accept rules as data, and the message extension the
 * decoder and encoder apply, over an injected raw DEFLATE engine. Pure: no
 * zlib, no Node APIs; the Node engine lives in the harness.
 */
export { PERMESSAGE_DEFLATE, MIN_WINDOW_BITS, MAX_WINDOW_BITS, DEFLATE_PARAM_NAMES, parseWindowBits, isWindowBits } from './params.js';
export type { WindowBits, DeflateParamName, DeflateNegotiationFailure } from './params.js';
export { PLAIN_DEFLATE_OFFER, parseDeflateOffer, deflateOfferElement, formatDeflateOffers } from './offer.js';
export type { DeflateOffer, DeflateOfferParse } from './offer.js';
export { DEFAULT_DEFLATE_PARAMETERS, parseDeflateResponse, deflateResponseElement, formatDeflateResponse } from './response.js';
export type { DeflateParameters, DeflateResponseParse } from './response.js';
export { DEFAULT_DEFLATE_SERVER_POLICY, selectDeflateOffer, acceptDeflateOffer } from './server.js';
export type { DeflateAcceptRule, DeflateServerPolicy, DeflateOfferDecline, DeflateAcceptance, DeflateSelection } from './server.js';
export { validateDeflateResponse, responseMismatch, clientCompressorLimits } from './client.js';
export type { DeflateAgreement, DeflateResponseOptions } from './client.js';
export {
  AUTOBAHN_DEFLATE_POLICIES,
  autobahnDeflatePolicy,
  autobahnDeflateOffer,
  autobahnDeflateOffers,
  autobahnDeflateAcceptOf,
} from './autobahn.js';
export type { AutobahnDeflateAccept } from './autobahn.js';
export type { DeflateEngine, DeflaterOptions, InflaterOptions, RawDeflater, RawInflater, InflateResult } from './engine.js';
export {
  PerMessageDeflate,
  createPerMessageDeflate,
  PER_MESSAGE_COMPRESSED,
  DEFLATE_TRAILER,
  DEFAULT_DEFLATE_LEVEL,
  DEFAULT_DEFLATE_MEM_LEVEL,
} from './extension.js';
export type { PerMessageDeflateOptions, PerMessageDeflateStats, CompressorLimits } from './extension.js';
