/**
 * permessage-deflate for the tester, per case: what it offers as a client
 * and accepts as a server (the case's Autobahn rule), and the extension it
 * then uses, with the node:zlib engine.
 */
import type { ExtensionOffer } from '../codec/handshake.js';
import {
  AUTOBAHN_DEFLATE_POLICIES,
  type PerMessageDeflate,
  autobahnDeflateOffers,
  createPerMessageDeflate,
  deflateOfferElement,
  formatDeflateOffers,
  selectDeflateOffer,
  validateDeflateResponse,
} from '../codec/deflate/index.js';
import type { DeflateRequirement } from '../model/scenario.js';
import { nodeDeflateEngine } from './deflate-node.js';

/** The tester as a client: its `Sec-WebSocket-Extensions` value and the elements it offered. */
export function clientDeflateOffer(requirement: DeflateRequirement): { header: string; elements: ExtensionOffer[] } {
  const offers = autobahnDeflateOffers(requirement.accept);
  return { header: formatDeflateOffers(offers), elements: offers.map(deflateOfferElement) };
}

/** The tester as a client, reading the server's answer: the extension, null if declined, or why the answer is wrong. */
export function clientDeflateAgreement(
  accepted: readonly ExtensionOffer[],
  offered: readonly ExtensionOffer[],
): { ok: true; extension: PerMessageDeflate | null } | { ok: false; reason: string } {
  const r = validateDeflateResponse(accepted, offered);
  if (!r.ok) return { ok: false, reason: `${r.reason} (${r.rule})` };
  if (r.params === null) return { ok: true, extension: null };
  return { ok: true, extension: createPerMessageDeflate({ role: 'client', params: r.params, offer: r.offer, engine: nodeDeflateEngine }) };
}

/** The tester as a server: accept one of the client's offers by the case's rule (header and extension), or none. */
export function serverDeflateAgreement(requirement: DeflateRequirement, offers: readonly ExtensionOffer[]): { header: string; extension: PerMessageDeflate } | null {
  const selection = selectDeflateOffer(offers, AUTOBAHN_DEFLATE_POLICIES[requirement.accept]);
  if (selection.accepted === null) return null;
  return {
    header: selection.accepted.header,
    extension: createPerMessageDeflate({ role: 'server', params: selection.accepted.params, engine: nodeDeflateEngine }),
  };
}
