/**
 * The opening handshake inside the endpoint reducer (RFC 6455 §4): a client
 * sends its request and checks the answer; a server reads the request, checks
 * it and answers 101 or refuses. Octets after the head belong to the frame
 * stream and are handed back to the caller.
 */
import {
  type HeadLimits,
  type RequestDefect,
  buildClientRequest,
  buildErrorResponse,
  buildServerResponse,
  latin1Decode,
  parseRequestHead,
  parseResponseHead,
  validateClientRequest,
  validateServerResponse,
} from '../codec/handshake.js';
import { validateDeflateResponse } from '../codec/deflate/client.js';
import type { HandshakeOffer } from './types.js';

export type OpeningStep =
  | { readonly kind: 'incomplete'; readonly buffered: Uint8Array }
  | {
      readonly kind: 'open';
      readonly reply: Uint8Array | null;
      readonly protocol: string | null;
      readonly request: string;
      readonly response: string;
      /** Octets after the head: the first frames. */
      readonly rest: Uint8Array;
    }
  | {
      readonly kind: 'refused';
      readonly reply: Uint8Array | null;
      readonly reason: string;
      readonly rule: string;
      /** A server's refusal: what was wrong with the request (the head itself, or an item of §4.2.1). */
      readonly defect?: RequestDefect | 'head-too-large' | 'head-malformed';
    };

function append(buffered: Uint8Array | null, data: Uint8Array): Uint8Array {
  if (buffered === null || buffered.length === 0) return data;
  const out = new Uint8Array(buffered.length + data.length);
  out.set(buffered);
  out.set(data, buffered.length);
  return out;
}

/** The request a client sends. */
export function clientRequest(input: { host: string; port?: number; path: string; key: string; protocols?: readonly string[]; extensions?: string }): Uint8Array {
  return buildClientRequest({
    ...(input.extensions !== undefined ? { extensions: input.extensions } : {}),
    host: input.host,
    ...(input.port !== undefined ? { port: input.port } : {}),
    path: input.path,
    key: input.key,
    ...(input.protocols !== undefined ? { protocols: input.protocols } : {}),
  }).bytes;
}

/** A server reads request octets; `limits` bound the head it is willing to read (the codec's defaults otherwise). */
export function serverReceives(buffered: Uint8Array | null, data: Uint8Array, subprotocols: readonly string[], limits?: HeadLimits): OpeningStep {
  const all = append(buffered, data);
  const parsed = parseRequestHead(all, limits);
  if (parsed.kind === 'incomplete') return { kind: 'incomplete', buffered: all };
  if (parsed.kind === 'error') {
    const defect = parsed.status === 431 ? 'head-too-large' : 'head-malformed';
    return { kind: 'refused', reply: buildErrorResponse(parsed.status, parsed.reason).bytes, reason: parsed.reason, rule: '4.2.1', defect };
  }
  const request = validateClientRequest(parsed.head);
  if (!request.ok) {
    return { kind: 'refused', reply: buildErrorResponse(request.status, request.reason).bytes, reason: request.reason, rule: request.rule, defect: request.defect };
  }
  // §4.2.2: the server selects one of the offered subprotocols, or none.
  const protocol = request.protocols.find((p) => subprotocols.includes(p)) ?? null;
  const response = buildServerResponse({ key: request.key, ...(protocol !== null ? { protocol } : {}) });
  return {
    kind: 'open',
    reply: response.bytes,
    protocol,
    request: latin1Decode(all.subarray(0, parsed.headLength)),
    response: response.text,
    rest: all.subarray(parsed.headLength),
  };
}

/** A client reads response octets. */
export function clientReceives(buffered: Uint8Array | null, data: Uint8Array, offer: HandshakeOffer, request: string): OpeningStep {
  const all = append(buffered, data);
  const parsed = parseResponseHead(all);
  if (parsed.kind === 'incomplete') return { kind: 'incomplete', buffered: all };
  if (parsed.kind === 'error') return { kind: 'refused', reply: null, reason: `malformed response: ${parsed.reason}`, rule: '4.1' };
  const check = validateServerResponse(parsed.head, { key: offer.key, offeredProtocols: offer.protocols, offeredExtensions: offer.extensions ?? [] });
  if (!check.ok) return { kind: 'refused', reply: null, reason: check.reason, rule: check.rule };
  // RFC 7692 §7: "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an
  // extension negotiation offer for this extension with an extension negotiation response" it cannot accept.
  const deflate = validateDeflateResponse(check.extensions, offer.extensions ?? []);
  if (!deflate.ok) return { kind: 'refused', reply: null, reason: `${deflate.reason} (${deflate.rule})`, rule: '9.1' };
  return {
    kind: 'open',
    reply: null,
    protocol: check.protocol,
    request,
    response: latin1Decode(all.subarray(0, parsed.headLength)),
    rest: all.subarray(parsed.headLength),
  };
}
