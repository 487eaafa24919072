/**
 * Category 18 seen from the model: the hand-written compressed payloads mean
 * what the cases say (checked with zlib, not with the model's own decoder),
 * the offers of 18.1 are ones the codec's server declines, the answers of
 * 18.2 ones its client fails whatever it offered, and the reference peer
 * that compresses (`deflate.modelled`) fails where RFC 7692 says — at the
 * frame that breaks the rule, not earlier.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PLAIN_DEFLATE_OFFER, deflateOfferElement, parseDeflateOffer, validateDeflateResponse } from '../../src/codec/deflate/index.js';
import { parseExtensionList } from '../../src/codec/handshake.js';
import { deflateNegotiationCases } from '../../src/cases/wscheck/deflate-negotiation.js';
import { DEFLATED_HELLO, DEFLATED_WORLD, SYNC_TRAILER, deflatedDistanceBeforeStart, deflatedZeros } from '../../src/cases/wscheck/deflate-payloads.js';
import { withDeclaredLimits } from '../../src/cases/declared-limits.js';
import type { CaseDefinition } from '../../src/cases/types.js';
import { computeExpectation } from '../../src/model/oracle.js';

const { Z_SYNC_FLUSH } = zlib.constants;
const inflate = (payload: Uint8Array): Buffer => zlib.inflateRawSync(Buffer.concat([payload, SYNC_TRAILER]), { finishFlush: Z_SYNC_FLUSH });

function byId(id: string): CaseDefinition {
  const c = deflateNegotiationCases.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no case ${id}`);
  return c;
}

/** The one Sec-WebSocket-Extensions value a case's handshake variation sets. */
function extensionsOf(c: CaseDefinition): string {
  const o = c.scenario().opening;
  const edit = (o?.request ?? o?.response)?.edits?.find((e) => e.kind === 'set' && e.name === 'Sec-WebSocket-Extensions');
  if (edit?.kind !== 'set' || typeof edit.value !== 'string') throw new Error(`${c.id} sets no Sec-WebSocket-Extensions`);
  return edit.value;
}

describe('the payloads category 18 writes by hand', () => {
  it('are what their names say, read by zlib', () => {
    expect(inflate(DEFLATED_HELLO).toString()).toBe('Hello');
    expect(inflate(DEFLATED_WORLD).toString()).toBe('World');
    for (const n of [0, 1, 2, 257, 258, 259, 100_000]) expect(inflate(deflatedZeros(n))).toEqual(Buffer.alloc(n));
  });

  it('make a bomb about 160 times smaller than what it inflates to', () => {
    expect(deflatedZeros(1 << 20).length).toBeLessThan((1 << 20) / 150);
  });

  it('include a distance zlib refuses at the start of a stream', () => {
    expect(() => inflate(deflatedDistanceBeforeStart())).toThrow(/distance/);
  });
});

describe('18.1 and 18.2 against the codec', () => {
  it('every offer of 18.1 has a permessage-deflate element the codec declines', () => {
    const offers = deflateNegotiationCases.filter((c) => c.id.startsWith('18.1.'));
    expect(offers.length).toBeGreaterThan(5);
    for (const c of offers) {
      const elements = parseExtensionList([extensionsOf(c)]) ?? [];
      expect(elements.length, c.id).toBeGreaterThan(0);
      for (const e of elements) expect(parseDeflateOffer(e).ok, c.id).toBe(false);
    }
  });

  it('every answer of 18.2 fails a client whichever offer it made', () => {
    const offers = [
      [deflateOfferElement(PLAIN_DEFLATE_OFFER)],
      [deflateOfferElement({ ...PLAIN_DEFLATE_OFFER, clientMaxWindowBits: true })],
      [deflateOfferElement({ ...PLAIN_DEFLATE_OFFER, clientMaxWindowBits: true, clientNoContextTakeover: true, serverNoContextTakeover: true })],
    ];
    const answers = deflateNegotiationCases.filter((c) => c.id.startsWith('18.2.'));
    for (const c of answers) {
      const accepted = parseExtensionList([extensionsOf(c)]);
      expect(accepted, c.id).not.toBeNull();
      for (const offered of offers) expect(validateDeflateResponse(accepted!, offered).ok, c.id).toBe(false);
    }
  });
});

describe('the reference peer that compresses', () => {
  const limited = withDeclaredLimits(deflateNegotiationCases, { maxMessage: 65536 });
  const expect18 = (id: string, role: 'server' | 'client') => computeExpectation(limited.find((c) => c.id === id)!.scenario(), role);

  it('fails RSV1 on a continuation frame at that frame, with 1002', () => {
    for (const role of ['server', 'client'] as const) {
      const e = expect18('18.3.2', role);
      expect(e.expectedClose.closeCode).toEqual([1002]);
      const failure = e.traces[0]!.observations.find((o) => o.kind === 'close');
      expect(JSON.stringify(failure)).toContain('"afterFrame":2');
    }
  });

  it('echoes a message split around control frames and one ended by an empty block', () => {
    expect(expect18('18.3.7', 'server').expected.OK?.map((e) => e.type)).toEqual(['pong', 'message']);
    const ended = expect18('18.4.1', 'client').expected.OK ?? [];
    expect(ended.map((e) => (e.type === 'message' ? new TextDecoder().decode(e.payload) : e.type))).toEqual(['Hello', 'World']);
  });

  it('stops a bomb at the declared limit with 1009, and passes a message of exactly the limit', () => {
    for (const id of ['18.5.1', '18.5.2', '18.5.3']) expect(expect18(id, 'server').expectedClose.closeCode, id).toEqual([1009]);
    const exact = expect18('18.5.4', 'client').expected.OK ?? [];
    expect(exact.map((e) => (e.type === 'message' ? e.payload.length : -1))).toEqual([65536]);
  });

  it('refuses data that is not DEFLATE with 1007 or 1002 (RFC 7692 names no code)', () => {
    for (const id of ['18.6.1', '18.6.2', '18.6.3']) expect(expect18(id, 'server').expectedClose.closeCode, id).toEqual([1002, 1007]);
  });

  it('leaves Autobahn-style transparency alone: without deflate.modelled the peer rejects any RSV1', () => {
    const c = byId('18.3.7');
    const s = c.scenario();
    const plain = { ...s, deflate: { accept: 'accept_deflate' as const } };
    expect(computeExpectation(plain, 'server').expectedClose.closeCode).toEqual([1002]);
  });
});
