/**
 * The Autobahn testsuite's `permessage-deflate` negotiation for categories
 * 12 and 13, as data: the offers its fuzzer sends as a client and the accept
 * rules its fuzzingserver applies as a server.
 *
 * Facts carried over (Autobahn|Testsuite 25.10.1 on Autobahn|Python):
 * - an offer is `permessage-deflate; client_no_context_takeover;
 *   client_max_window_bits` plus `server_no_context_takeover` and/or
 *   `server_max_window_bits=N` for the case's requests;
 * - as a server, an offer counts as accepting `client_no_context_takeover`
 *   whether or not the client hinted it, and as accepting a
 *   `client_max_window_bits` request only when it carries that parameter;
 *   the accepted offer's own requests are answered as given;
 * - the window value was 8 up to testsuite 0.8.1 and is 9 since (zlib
 *   refuses 8 for raw deflate compressors).
 */
import type { DeflateOffer } from './offer.js';
import type { WindowBits } from './params.js';
import type { DeflateAcceptRule, DeflateServerPolicy } from './server.js';

/** Names of the fuzzingserver's accept functions. */
export type AutobahnDeflateAccept = 'accept_deflate' | 'accept1' | 'accept2' | 'accept3' | 'accept4' | 'accept5' | 'accept6' | 'accept7';

/** One Autobahn request set: `(requestNoContextTakeover, requestMaxWindowBits)`, 0 meaning no window request. */
type Request = readonly [noContextTakeover: boolean, maxWindowBits: 0 | WindowBits];

/** The fuzzer's offer for one request set. */
export function autobahnDeflateOffer(requestNoContextTakeover: boolean, requestMaxWindowBits: 0 | WindowBits): DeflateOffer {
  return {
    clientNoContextTakeover: true,
    clientMaxWindowBits: true,
    serverNoContextTakeover: requestNoContextTakeover,
    serverMaxWindowBits: requestMaxWindowBits === 0 ? null : requestMaxWindowBits,
  };
}

/**
 * The fuzzingserver's rule for one request set: accept the offer's own
 * requests as they are, and request `client_no_context_takeover` and/or
 * `client_max_window_bits=N` — the latter only from offers that carry
 * `client_max_window_bits`.
 */
function autobahnRule([noContextTakeover, maxWindowBits]: Request): DeflateAcceptRule {
  return {
    clientNoContextTakeover: noContextTakeover ? 'always' : 'never',
    clientMaxWindowBits: maxWindowBits === 0 ? null : maxWindowBits,
    requireClientMaxWindowBits: maxWindowBits !== 0,
  };
}

/** The request sets of subcategories 13.1 … 13.7 (12.x uses 13.1's), for the given window value. */
function requestSets(windowBits: WindowBits): Record<AutobahnDeflateAccept, readonly Request[]> {
  return {
    accept_deflate: [[false, 0]],
    accept1: [[false, 0]],
    accept2: [[true, 0]],
    accept3: [[false, windowBits]],
    accept4: [[false, 15]],
    accept5: [[true, windowBits]],
    accept6: [[true, 15]],
    accept7: [
      [true, windowBits],
      [true, 0],
      [false, 0],
    ],
  };
}

/**
 * The fuzzingserver's accept rule `name` as a policy. `windowBits` is the
 * small window of 13.3/13.5/13.7: 9 today, 8 to reproduce testsuite ≤ 0.8.1.
 */
export function autobahnDeflatePolicy(name: AutobahnDeflateAccept, windowBits: WindowBits = 9): DeflateServerPolicy {
  return { name, rules: requestSets(windowBits)[name].map(autobahnRule) };
}

/** Every accept rule of the current testsuite (window value 9). */
export const AUTOBAHN_DEFLATE_POLICIES: Readonly<Record<AutobahnDeflateAccept, DeflateServerPolicy>> = Object.freeze(
  Object.fromEntries(
    (['accept_deflate', 'accept1', 'accept2', 'accept3', 'accept4', 'accept5', 'accept6', 'accept7'] as const).map((n) => [
      n,
      autobahnDeflatePolicy(n),
    ]),
  ) as Record<AutobahnDeflateAccept, DeflateServerPolicy>,
);

/**
 * The offers (in order) the fuzzer sends as a client for an accept rule's
 * subcategory: 12.x and 13.1 `accept_deflate`/`accept1`, 13.2 `accept2`, …,
 * 13.7 `accept7` (three offers).
 */
export function autobahnDeflateOffers(name: AutobahnDeflateAccept, windowBits: WindowBits = 9): DeflateOffer[] {
  return requestSets(windowBits)[name].map(([n, w]) => autobahnDeflateOffer(n, w));
}

/** The accept rule of a 12.x or 13.x case id (`12.3.7` → `accept_deflate`, `13.5.1` → `accept5`), or `null`. */
export function autobahnDeflateAcceptOf(caseId: string): AutobahnDeflateAccept | null {
  const m = /^(12|13)\.(\d+)\.\d+$/.exec(caseId);
  if (m === null) return null;
  if (m[1] === '12') return 'accept_deflate';
  const k = Number(m[2]);
  return k >= 1 && k <= 7 ? (`accept${k}` as AutobahnDeflateAccept) : null;
}
