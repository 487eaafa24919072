/**
 * What RFC 6455 leaves open in the opening handshake, as the oracle
 * enumerates it: which answers a conforming server may give to a request the
 * reference server refuses (the RFC names an example status, "such as 400",
 * and leaves the rest to HTTP), and what a conforming client may do with a
 * 101 the reference client rejects. Each answer is labelled strict (the
 * RFC's own wording) or non-strict (allowed, but not what the RFC asks
 * first), with the reason in words for reports.
 */
import type { RequestDefect } from '../codec/handshake.js';
import type { OpeningOutcome } from './opening-outcome.js';

/** A class of answers (testing a server) or reactions (testing a client). */
export type OpeningPattern =
  /** Server: a valid 101. Client: it takes the connection as open (and the frame-level traces apply). */
  | { readonly kind: 'upgrade' }
  /**
   * Server: an answer other than 101 with one of `statuses` (`client-error`:
   * any 4xx; `not-101`: any status but 101); `versionHeader`: carrying a
   * Sec-WebSocket-Version that lists 13.
   */
  | { readonly kind: 'refuse'; readonly statuses: readonly number[] | 'client-error' | 'not-101'; readonly versionHeader?: boolean }
  /** Server: TCP closed without an answer. Client: TCP closed without a single octet (it failed the connection). */
  | { readonly kind: 'close' }
  /** Client: nothing sent, TCP left open while the tester waited. */
  | { readonly kind: 'silent' };

export interface AcceptableOpening {
  readonly pattern: OpeningPattern;
  readonly strict: boolean;
  /** Why a conforming peer may do this (the RFC's words), for reports. */
  readonly why: string;
}

/** Why a server refuses: an item of §4.2.1, or the head itself (malformed, or larger than it reads). */
export type RefusalDefect = RequestDefect | 'head-too-large' | 'head-malformed';

const strict = (pattern: OpeningPattern, why: string): AcceptableOpening => ({ pattern, strict: true, why });
const nonStrict = (pattern: OpeningPattern, why: string): AcceptableOpening => ({ pattern, strict: false, why });

const OTHER_4XX = nonStrict(
  { kind: 'refuse', statuses: 'client-error' },
  'another 4xx: §4.2.1 asks for "an HTTP response with an appropriate error code (such as 400 Bad Request)" and names no other',
);

/**
 * The answers a conforming server may give to a request whose defect is
 * `defect` (RFC 6455 §4.2.1: "the server MUST stop processing the client's
 * handshake and return an HTTP response with an appropriate error code (such
 * as 400 Bad Request)").
 */
export function answersToDefect(defect: RefusalDefect): AcceptableOpening[] {
  switch (defect) {
    case 'version-unsupported':
      // §4.2.2 /version/ and §4.4: the header naming the versions is a MUST; §4.2.2's example status is 426, §4.4's is 400.
      return [
        strict({ kind: 'refuse', statuses: [400, 426], versionHeader: true }, '§4.2.2: "an appropriate HTTP error code (such as 426 Upgrade Required) and a |Sec-WebSocket-Version| header field indicating the version(s) the server is capable of understanding"; §4.4\'s example answers 400 Bad Request with the same header'),
        nonStrict({ kind: 'refuse', statuses: 'client-error', versionHeader: true }, 'another 4xx with Sec-WebSocket-Version: §4.2.2 names 426 only as an example'),
      ];
    case 'version-missing':
      return [
        strict({ kind: 'refuse', statuses: [400, 426] }, '§4.2.1 item 6 makes the version part of a valid request (400), and §4.2.2 answers a version the server does not understand with 426'),
        OTHER_4XX,
      ];
    case 'method':
      return [strict({ kind: 'refuse', statuses: [400, 405] }, '§4.2.1 item 1 ("a GET request"); RFC 7231 §6.5.5 405 Method Not Allowed'), OTHER_4XX];
    case 'http-version':
      return [strict({ kind: 'refuse', statuses: [400, 505] }, '§4.2.1 item 1 ("HTTP/1.1 or higher"); RFC 7231 §6.6.6 505 HTTP Version Not Supported'), OTHER_4XX];
    case 'upgrade':
    case 'connection':
      // Without both tokens the request is not an upgrade request at all (RFC 7230 §6.7): HTTP may serve it.
      return [
        strict({ kind: 'refuse', statuses: [400, 426] }, '§4.2.1 items 3 and 4; RFC 7231 §6.5.15 426 Upgrade Required'),
        nonStrict({ kind: 'refuse', statuses: 'not-101' }, 'RFC 7230 §6.7: "A server MAY ignore a received Upgrade header field"; without the tokens the request is plain HTTP'),
      ];
    case 'head-too-large':
      return [
        strict({ kind: 'refuse', statuses: 'client-error' }, 'RFC 7230 §3.2.5: a server "MUST respond with an appropriate 4xx (Client Error) status code" to header fields "larger than it wishes to process" (431, RFC 6585 §5)'),
        nonStrict({ kind: 'close' }, 'a TCP close without an answer: the server stops reading, but RFC 7230 §3.2.5 asks for a 4xx'),
      ];
    case 'head-malformed':
      return [strict({ kind: 'refuse', statuses: [400] }, 'RFC 7230 §3.2.4: a malformed header line gets 400 (Bad Request)'), OTHER_4XX];
    case 'extensions':
      return [
        strict({ kind: 'refuse', statuses: [400] }, '§4.2.1 ("any violations of the ABNF grammar"), §9.1'),
        OTHER_4XX,
        nonStrict({ kind: 'upgrade' }, 'a 101 that agrees to no extension: the server ignored a Sec-WebSocket-Extensions it could not parse'),
      ];
    case 'host':
    case 'key':
    case 'version-repeated':
    case 'subprotocols':
      return [strict({ kind: 'refuse', statuses: [400] }, '§4.2.1: "return an HTTP response with an appropriate error code (such as 400 Bad Request)"'), OTHER_4XX];
  }
}

/** A valid request: upgrade it; with `refusalAllowed` the RFC's own wording leaves room for a refusal. */
export function answersToValidRequest(refusalAllowed: boolean): AcceptableOpening[] {
  const upgrade = strict({ kind: 'upgrade' }, '§4.2.2: a valid request, answered with a valid 101');
  if (!refusalAllowed) return [upgrade];
  return [upgrade, nonStrict({ kind: 'refuse', statuses: 'client-error' }, 'a 4xx: the RFC can be read to allow refusing this request (see the case)')];
}

/** What a conforming client does with a 101 the reference client rejects (§4.1: "the client MUST _Fail the WebSocket Connection_"). */
export function reactionsToInvalidAnswer(): AcceptableOpening[] {
  return [
    strict({ kind: 'close' }, '§4.1 and §7.1.7: fail the WebSocket connection, that is close TCP, with no frame sent and nothing delivered'),
    nonStrict({ kind: 'silent' }, 'nothing sent and nothing delivered, TCP still open when the tester stopped waiting (§7.1.7 closes it, but no time is named)'),
  ];
}

/** A valid 101: the client takes the connection as open. */
export function reactionsToValidAnswer(): AcceptableOpening[] {
  return [strict({ kind: 'upgrade' }, '§4.1: a valid 101 establishes the WebSocket connection')];
}

/** Does an observed outcome fall in a pattern? */
export function matchesPattern(o: OpeningOutcome, p: OpeningPattern, peerRole: 'server' | 'client'): boolean {
  switch (p.kind) {
    case 'upgrade':
      // A server must not agree to an extension this scenario did not negotiate (the reference agrees to none).
      return o.kind === 'upgraded' && (peerRole === 'client' || o.extensions.length === 0);
    case 'close':
      return o.kind === 'closed';
    case 'silent':
      return o.kind === 'silent' && peerRole === 'client';
    case 'refuse': {
      if (o.kind !== 'refused') return false;
      const statusOk = p.statuses === 'client-error' ? o.status >= 400 && o.status <= 499 : p.statuses === 'not-101' ? o.status !== 101 : p.statuses.includes(o.status);
      if (!statusOk) return false;
      if (!p.versionHeader) return true;
      return (o.versions ?? []).some((v) => v.split(',').some((t) => t.trim() === '13'));
    }
  }
}

/** The pattern in words ("an HTTP answer 426 with Sec-WebSocket-Version: 13"). */
export function describePattern(p: OpeningPattern, peerRole: 'server' | 'client'): string {
  switch (p.kind) {
    case 'upgrade':
      return peerRole === 'server' ? 'a valid 101 that agrees to no extension' : 'the client to take the connection as open';
    case 'close':
      return peerRole === 'server' ? 'a TCP close' : 'the client to fail the connection (close TCP without sending a frame or delivering a message)';
    case 'silent':
      return 'the client to send nothing';
    case 'refuse': {
      const statuses = p.statuses === 'client-error' ? 'a 4xx' : p.statuses === 'not-101' ? 'a status other than 101' : p.statuses.join(' or ');
      return `an HTTP answer ${statuses}${p.versionHeader ? ' with Sec-WebSocket-Version: 13' : ''}`;
    }
  }
}
