/**
 * What became of an opening handshake, as the tester sees it on the wire
 * (RFC 6455 §4): testing a server, the answer it gave to the request;
 * testing a client, what the client did after the 101 it was given. The
 * harness and the oracle's simulation classify with the same functions.
 */
import { type ResponseHead, headerValues, parseResponseHead, validateServerResponse } from '../codec/handshake.js';
import type { Observation } from './events.js';
import type { RequestOffer } from './handshake-variation.js';

export type OpeningOutcome =
  /**
   * Server: a 101 that passes every check of §4.1. Client: it sent frames
   * after the 101, so it took the connection as open.
   */
  | { readonly kind: 'upgraded'; readonly protocol: string | null; readonly extensions: readonly string[] }
  /** Server: a 101 the checks of §4.1 reject; `draft` when it is a pre-RFC (hixie-75/76) handshake. */
  | { readonly kind: 'invalid-upgrade'; readonly reason: string; readonly rule: string; readonly draft: boolean }
  /** Server: an HTTP answer other than 101, with the versions it names (§4.4), if any. */
  | { readonly kind: 'refused'; readonly status: number; readonly versions: readonly string[] | null }
  /** Server: octets that are no HTTP response. */
  | { readonly kind: 'malformed'; readonly reason: string }
  /**
   * Server: TCP closed before a complete answer. Client: TCP closed without a
   * single octet after the 101 (it failed the connection).
   */
  | { readonly kind: 'closed' }
  /** Neither answer nor close before the tester stopped waiting. */
  | { readonly kind: 'silent'; readonly waitedMs: number };

/** A pre-RFC 101 (draft-hixie-75/76) carries WebSocket-Origin/-Location instead of Sec-WebSocket-Accept. */
function isDraftAnswer(head: ResponseHead): boolean {
  return ['WebSocket-Origin', 'WebSocket-Location', 'Sec-WebSocket-Origin', 'Sec-WebSocket-Location'].some((n) => headerValues(head.headers, n).length > 0);
}

/**
 * Classify a server's answer from the octets received so far: `incomplete`
 * until the head ends. `offer` is what the request offered, read back from
 * it (the key to prove, the subprotocols and extensions it may select).
 */
export function classifyServerAnswer(
  received: Uint8Array,
  offer: RequestOffer,
): { readonly kind: 'incomplete' } | { readonly kind: 'answer'; readonly outcome: OpeningOutcome; readonly headLength: number; readonly head: ResponseHead | null } {
  // An answer is as large as the server likes (a 4xx may carry a long head); the tester reads up to 64 KiB of it.
  const parsed = parseResponseHead(received, { maxHeadOctets: 64 * 1024, maxHeaders: 1000 });
  if (parsed.kind === 'incomplete') return { kind: 'incomplete' };
  if (parsed.kind === 'error') return { kind: 'answer', outcome: { kind: 'malformed', reason: parsed.reason }, headLength: received.length, head: null };
  const head = parsed.head;
  if (head.status !== 101) {
    const versions = headerValues(head.headers, 'Sec-WebSocket-Version');
    return { kind: 'answer', outcome: { kind: 'refused', status: head.status, versions: versions.length > 0 ? versions : null }, headLength: parsed.headLength, head };
  }
  const check = validateServerResponse(head, { key: offer.key, offeredProtocols: offer.protocols, offeredExtensions: offer.extensions });
  const outcome: OpeningOutcome = check.ok
    ? { kind: 'upgraded', protocol: check.protocol, extensions: check.extensions.map((e) => e.name) }
    : { kind: 'invalid-upgrade', reason: check.reason, rule: check.rule, draft: isDraftAnswer(head) };
  return { kind: 'answer', outcome, headLength: parsed.headLength, head };
}

/**
 * What a client under test did after the tester's 101: anything it sent
 * (a frame, or octets the tester could not decode as one) means it took the
 * connection as open; a TCP close with nothing before it means it failed the
 * connection; neither, by the time the tester stopped, is silence.
 */
export function classifyClientReaction(observations: readonly Observation[], waitedMs: number): OpeningOutcome {
  const first = observations[0];
  if (first === undefined) return { kind: 'silent', waitedMs };
  if (first.kind === 'tcp-closed') return { kind: 'closed' };
  return { kind: 'upgraded', protocol: null, extensions: [] };
}

/** A status code and its class, for people. */
function statusText(status: number): string {
  return `${status}`;
}

/** The outcome in words, from the tester's side ("the server answered 400"). */
export function describeOutcome(o: OpeningOutcome, peerRole: 'server' | 'client'): string {
  if (peerRole === 'client') {
    switch (o.kind) {
      case 'upgraded':
        return 'the client took the connection as open and sent frames';
      case 'closed':
        return 'the client closed TCP without sending a frame';
      case 'silent':
        return `the client neither sent anything nor closed TCP within ${(o.waitedMs / 1000).toFixed(1)} s`;
      default:
        return 'the client did something the tester cannot classify';
    }
  }
  switch (o.kind) {
    case 'upgraded':
      return `the server upgraded the connection (101${o.protocol !== null ? `, subprotocol ${o.protocol}` : ''}${o.extensions.length > 0 ? `, extensions ${o.extensions.join(', ')}` : ''})`;
    case 'invalid-upgrade':
      return o.draft
        ? 'the server upgraded the connection with a pre-RFC (draft-hixie) handshake'
        : `the server upgraded the connection with an invalid 101 (${o.reason}, RFC 6455 §${o.rule})`;
    case 'refused':
      return `the server answered ${statusText(o.status)}${o.versions !== null ? ` with Sec-WebSocket-Version: ${o.versions.join(', ')}` : ''}`;
    case 'malformed':
      return `the server answered with octets that are no HTTP response (${o.reason})`;
    case 'closed':
      return 'the server closed the connection without an HTTP answer';
    case 'silent':
      return `the server sent no answer within ${(o.waitedMs / 1000).toFixed(1)} s`;
  }
}
