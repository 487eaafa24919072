/**
 * The opening handshake (RFC 6455 §4): HTTP/1.1 head parsing, header grammar,
 * the client request and server response, and the checks each side applies to
 * the other. Pure; runs in any JavaScript runtime.
 *
 * Split by concept under `handshake/`: `head` (RFC 7230 message head),
 * `grammar` (tokens, lists, extensions), `accept` (key and accept), `client`
 * (§4.1), `server` (§4.2, §4.4).
 */
export {
  DEFAULT_MAX_HEAD_OCTETS,
  DEFAULT_MAX_HEADERS,
  headerValues,
  parseRequestHead,
  parseResponseHead,
} from './handshake/head.js';
export type {
  EncodedHandshake,
  HeadErrorStatus,
  HeaderField,
  HeadLimits,
  HeadParseResult,
  RequestHead,
  ResponseHead,
} from './handshake/head.js';
export {
  formatExtensionList,
  headerHasToken,
  isToken,
  parseExtensionList,
  parseTokenList,
} from './handshake/grammar.js';
export type { ExtensionOffer, ExtensionParam } from './handshake/grammar.js';
export { latin1Decode } from './handshake/octets.js';
export { computeAccept, generateKey, WEBSOCKET_GUID, WEBSOCKET_VERSION } from './handshake/accept.js';
export { buildClientRequest, DEFAULT_USER_AGENT, validateServerResponse } from './handshake/client.js';
export type { ClientOffer, ClientRequestOptions, HandshakeFailure, ServerAcceptance } from './handshake/client.js';
export {
  buildErrorResponse,
  buildServerResponse,
  buildUpgradeRequiredResponse,
  reasonPhrase,
  validateClientRequest,
} from './handshake/server.js';
export type {
  ClientRequestAcceptance,
  ClientRequestRejection,
  RequestDefect,
  ServerResponseOptions,
} from './handshake/server.js';
