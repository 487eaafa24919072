/**
 * permessage-deflate negotiation (RFC 7692 §5, §7): offers and responses with
 * every parameter and every invalid form, the server's choice under policies,
 * the client's checks of the response, and the Autobahn testsuite's 12.x/13.x
 * offers and accept rules.
 */
import { describe, expect, it } from 'vitest';
import {
  AUTOBAHN_DEFLATE_POLICIES,
  type AutobahnDeflateAccept,
  type DeflateOffer,
  type DeflateParameters,
  type DeflateServerPolicy,
  type WindowBits,
  acceptDeflateOffer,
  autobahnDeflateAcceptOf,
  autobahnDeflateOffers,
  autobahnDeflatePolicy,
  clientCompressorLimits,
  deflateOfferElement,
  formatDeflateOffers,
  formatDeflateResponse,
  parseDeflateOffer,
  parseDeflateResponse,
  parseWindowBits,
  selectDeflateOffer,
  validateDeflateResponse,
} from '../../../src/codec/deflate/index.js';
import { type ExtensionOffer, parseExtensionList } from '../../../src/codec/handshake.js';
import { autobahnCases } from '../../support/autobahn-data.js';

/** The elements of one header value. */
function list(value: string): ExtensionOffer[] {
  const parsed = parseExtensionList([value]);
  if (parsed === null) throw new Error(`not an extension list: ${value}`);
  return parsed;
}

function one(value: string): ExtensionOffer {
  const [e] = list(value);
  return e!;
}

const offer = (o: Partial<DeflateOffer>): DeflateOffer => ({
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: null,
  clientMaxWindowBits: null,
  ...o,
});

const params = (p: Partial<DeflateParameters>): DeflateParameters => ({
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: null,
  clientMaxWindowBits: null,
  ...p,
});

const ALL_BITS: WindowBits[] = [8, 9, 10, 11, 12, 13, 14, 15];

describe('window bits value (RFC 7692 §7.1.2.1, §7.1.2.2)', () => {
  it('accepts exactly 8 … 15 written without leading zeroes', () => {
    for (const b of ALL_BITS) expect(parseWindowBits(String(b))).toBe(b);
  });
  it.each(['', '0', '7', '16', '08', '009', '015', '+9', '-9', '9.0', '1e1', '0x9', ' 9', '9 ', '١٠', '99', '100'])('rejects %j', (v) => {
    expect(parseWindowBits(v)).toBeNull();
  });
});

describe('offers, as a server reads them (§7)', () => {
  it.each<[string, DeflateOffer]>([
    ['permessage-deflate', offer({})],
    ['permessage-deflate; server_no_context_takeover', offer({ serverNoContextTakeover: true })],
    ['permessage-deflate; client_no_context_takeover', offer({ clientNoContextTakeover: true })],
    ['permessage-deflate; server_max_window_bits=8', offer({ serverMaxWindowBits: 8 })],
    ['permessage-deflate; server_max_window_bits=15', offer({ serverMaxWindowBits: 15 })],
    ['permessage-deflate; server_max_window_bits="10"', offer({ serverMaxWindowBits: 10 })],
    ['permessage-deflate; client_max_window_bits', offer({ clientMaxWindowBits: true })],
    ['permessage-deflate; client_max_window_bits=8', offer({ clientMaxWindowBits: 8 })],
    ['permessage-deflate; client_max_window_bits = 12', offer({ clientMaxWindowBits: 12 })],
    [
      'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9',
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: true },
    ],
  ])('%s is valid', (value, expected) => {
    expect(parseDeflateOffer(one(value))).toEqual({ ok: true, offer: expected });
  });

  it.each<[string, string, RegExp]>([
    // "an extension parameter not defined for use in an offer"
    ['permessage-deflate; foo', 'RFC 7692 §7', /"foo" is not defined for use in an offer/],
    ['permessage-deflate; Server_No_Context_Takeover', 'RFC 7692 §7', /not defined/],
    ['permessage-deflate; max_window_bits=10', 'RFC 7692 §7', /not defined/],
    // "multiple extension parameters with the same name"
    ['permessage-deflate; server_no_context_takeover; server_no_context_takeover', 'RFC 7692 §7', /more than once/],
    ['permessage-deflate; client_no_context_takeover; client_no_context_takeover', 'RFC 7692 §7', /more than once/],
    ['permessage-deflate; server_max_window_bits=10; server_max_window_bits=10', 'RFC 7692 §7', /more than once/],
    ['permessage-deflate; client_max_window_bits; client_max_window_bits=10', 'RFC 7692 §7', /more than once/],
    // values where none is allowed
    ['permessage-deflate; server_no_context_takeover=1', 'RFC 7692 §7.1.1.1', /takes no value/],
    ['permessage-deflate; server_no_context_takeover="true"', 'RFC 7692 §7.1.1.1', /takes no value/],
    ['permessage-deflate; client_no_context_takeover=0', 'RFC 7692 §7.1.1.2', /takes no value/],
    // server_max_window_bits: a value is required, 8 … 15, no leading zeroes
    ['permessage-deflate; server_max_window_bits', 'RFC 7692 §7.1.2.1', /has no value/],
    ['permessage-deflate; server_max_window_bits=7', 'RFC 7692 §7.1.2.1', /"7" is not a value from 8 to 15/],
    ['permessage-deflate; server_max_window_bits=16', 'RFC 7692 §7.1.2.1', /"16"/],
    ['permessage-deflate; server_max_window_bits=08', 'RFC 7692 §7.1.2.1', /"08"/],
    ['permessage-deflate; server_max_window_bits=0', 'RFC 7692 §7.1.2.1', /"0"/],
    ['permessage-deflate; server_max_window_bits=abc', 'RFC 7692 §7.1.2.1', /"abc"/],
    ['permessage-deflate; server_max_window_bits="+9"', 'RFC 7692 §7.1.2.1', /"\+9"/],
    // client_max_window_bits: no value or 8 … 15
    ['permessage-deflate; client_max_window_bits=7', 'RFC 7692 §7.1.2.2', /"7"/],
    ['permessage-deflate; client_max_window_bits=16', 'RFC 7692 §7.1.2.2', /"16"/],
    ['permessage-deflate; client_max_window_bits=015', 'RFC 7692 §7.1.2.2', /"015"/],
    ['permessage-deflate; client_max_window_bits=x', 'RFC 7692 §7.1.2.2', /"x"/],
  ])('%s is declined (%s)', (value, rule, reason) => {
    const r = parseDeflateOffer(one(value));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rule).toBe(rule);
      expect(r.reason).toMatch(reason);
    }
  });

  it('rejects an element of another extension', () => {
    expect(parseDeflateOffer(one('x-webkit-deflate-frame'))).toMatchObject({ ok: false, rule: 'RFC 7692 §7' });
  });

  it('writes offers in the Autobahn order, and they parse back', () => {
    const o: DeflateOffer = { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 12 };
    expect(formatDeflateOffers([o, offer({ clientMaxWindowBits: true })])).toBe(
      'permessage-deflate; client_no_context_takeover; client_max_window_bits=12; server_no_context_takeover; server_max_window_bits=10, permessage-deflate; client_max_window_bits',
    );
    expect(parseDeflateOffer(deflateOfferElement(o))).toEqual({ ok: true, offer: o });
  });

  it('refuses to write an out-of-range window', () => {
    expect(() => deflateOfferElement(offer({ serverMaxWindowBits: 16 as WindowBits }))).toThrow(RangeError);
    expect(() => deflateOfferElement(offer({ clientMaxWindowBits: 7 as WindowBits }))).toThrow(RangeError);
  });
});

describe('responses, as a client reads them (§7)', () => {
  it.each<[string, DeflateParameters]>([
    ['permessage-deflate', params({})],
    ['permessage-deflate; server_no_context_takeover', params({ serverNoContextTakeover: true })],
    ['permessage-deflate; client_no_context_takeover', params({ clientNoContextTakeover: true })],
    ['permessage-deflate; server_max_window_bits=8', params({ serverMaxWindowBits: 8 })],
    ['permessage-deflate; client_max_window_bits=15', params({ clientMaxWindowBits: 15 })],
  ])('%s is well-formed', (value, expected) => {
    expect(parseDeflateResponse(one(value))).toEqual({ ok: true, params: expected });
  });

  it.each<[string, string]>([
    ['permessage-deflate; foo=1', 'RFC 7692 §7'],
    ['permessage-deflate; client_no_context_takeover; client_no_context_takeover', 'RFC 7692 §7'],
    ['permessage-deflate; server_max_window_bits=9; server_max_window_bits=10', 'RFC 7692 §7'],
    ['permessage-deflate; server_no_context_takeover=x', 'RFC 7692 §7.1.1.1'],
    ['permessage-deflate; client_no_context_takeover=x', 'RFC 7692 §7.1.1.2'],
    ['permessage-deflate; server_max_window_bits', 'RFC 7692 §7.1.2.1'],
    ['permessage-deflate; server_max_window_bits=16', 'RFC 7692 §7.1.2.1'],
    ['permessage-deflate; server_max_window_bits=09', 'RFC 7692 §7.1.2.1'],
    // "client_max_window_bits" in a response "has a decimal integer value": no value is invalid here.
    ['permessage-deflate; client_max_window_bits', 'RFC 7692 §7.1.2.2'],
    ['permessage-deflate; client_max_window_bits=7', 'RFC 7692 §7.1.2.2'],
  ])('%s makes the client fail (%s)', (value, rule) => {
    expect(parseDeflateResponse(one(value))).toMatchObject({ ok: false, rule });
    expect(validateDeflateResponse(list(value), list('permessage-deflate; client_max_window_bits'))).toMatchObject({ ok: false, rule });
  });

  it('formats responses in the Autobahn order', () => {
    expect(
      formatDeflateResponse({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 10 }),
    ).toBe('permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=10');
  });
});

describe("the client's validation of the response against its offers", () => {
  const cases: [offered: string, response: string, expected: string | number][] = [
    // §7.1.1.1: a requested server_no_context_takeover must be answered; unrequested may be.
    ['permessage-deflate; server_no_context_takeover', 'permessage-deflate', 'RFC 7692 §7.1.1.1'],
    ['permessage-deflate; server_no_context_takeover', 'permessage-deflate; server_no_context_takeover', 0],
    ['permessage-deflate', 'permessage-deflate; server_no_context_takeover', 0],
    // §7.1.1.2: "A client MUST support the "client_no_context_takeover" extension parameter in an extension negotiation response."
    ['permessage-deflate', 'permessage-deflate; client_no_context_takeover', 0],
    // §7.1.2.1: same or smaller; present when requested; may appear unrequested.
    ['permessage-deflate; server_max_window_bits=10', 'permessage-deflate; server_max_window_bits=10', 0],
    ['permessage-deflate; server_max_window_bits=10', 'permessage-deflate; server_max_window_bits=8', 0],
    ['permessage-deflate; server_max_window_bits=10', 'permessage-deflate; server_max_window_bits=11', 'RFC 7692 §7.1.2.1'],
    ['permessage-deflate; server_max_window_bits=10', 'permessage-deflate', 'RFC 7692 §7.1.2.1'],
    ['permessage-deflate', 'permessage-deflate; server_max_window_bits=12', 0],
    // §7.1.2.2: not without the offer's client_max_window_bits; any value with it (the hint may be ignored).
    ['permessage-deflate', 'permessage-deflate; client_max_window_bits=15', 'RFC 7692 §7.1.2.2'],
    ['permessage-deflate; client_max_window_bits', 'permessage-deflate; client_max_window_bits=8', 0],
    ['permessage-deflate; client_max_window_bits=10', 'permessage-deflate; client_max_window_bits=12', 0],
    // The response fits the second offer.
    ['permessage-deflate; server_max_window_bits=9, permessage-deflate', 'permessage-deflate', 1],
    ['foo, permessage-deflate; server_no_context_takeover, permessage-deflate; client_max_window_bits', 'permessage-deflate; client_max_window_bits=9', 2],
    // §5: two PMCEs, or one with another RSV1 extension.
    ['permessage-deflate, permessage-deflate; client_max_window_bits', 'permessage-deflate, permessage-deflate', 'RFC 7692 §5'],
    ['permessage-deflate, x-webkit-deflate-frame', 'x-webkit-deflate-frame, permessage-deflate', 'RFC 7692 §5'],
  ];

  it.each(cases)('offer %j, response %j → %j', (offered, response, expected) => {
    const r = validateDeflateResponse(list(response), list(offered));
    if (typeof expected === 'number') {
      expect(r).toMatchObject({ ok: true, offerIndex: expected });
    } else {
      expect(r).toMatchObject({ ok: false, rule: expected });
    }
  });

  it('names the first mismatch when no offer fits', () => {
    const r = validateDeflateResponse(list('permessage-deflate'), list('permessage-deflate; server_no_context_takeover, permessage-deflate; server_max_window_bits=9'));
    expect(r).toMatchObject({ ok: false, rule: 'RFC 7692 §7.1.1.1' });
    expect(!r.ok && r.reason).toMatch(/fits none of the 2 offers/);
  });

  it('is not negotiated when the response has no permessage-deflate', () => {
    expect(validateDeflateResponse([], list('permessage-deflate'))).toEqual({ ok: true, params: null, offer: null, offerIndex: -1 });
  });

  it('takes the rsv1 extension list from the caller', () => {
    expect(validateDeflateResponse(list('permessage-deflate, foo'), list('permessage-deflate, foo'), { rsv1Extensions: ['foo'] })).toMatchObject({
      ok: false,
      rule: 'RFC 7692 §5',
    });
    expect(validateDeflateResponse(list('permessage-deflate, x-webkit-deflate-frame'), list('permessage-deflate'), { rsv1Extensions: [] })).toMatchObject({
      ok: true,
    });
  });

  it("binds the client's compressor by the offer's hints as well as the response", () => {
    expect(clientCompressorLimits(params({}), offer({ clientNoContextTakeover: true, clientMaxWindowBits: 10 }))).toEqual({
      noContextTakeover: true,
      maxWindowBits: 10,
    });
    expect(clientCompressorLimits(params({ clientMaxWindowBits: 9 }), offer({ clientMaxWindowBits: 12 }))).toEqual({ noContextTakeover: false, maxWindowBits: 9 });
    expect(clientCompressorLimits(params({ clientNoContextTakeover: true }), null)).toEqual({ noContextTakeover: true, maxWindowBits: 15 });
  });
});

describe("the server's choice", () => {
  const accept = (value: string, policy?: DeflateServerPolicy): string | null => selectDeflateOffer(list(value), policy).accepted?.header ?? null;
  const policy = (rule: DeflateServerPolicy['rules'][number]): DeflateServerPolicy => ({ name: 'test', rules: [rule] });

  it.each<[string, string]>([
    ['permessage-deflate', 'permessage-deflate'],
    ['permessage-deflate; client_max_window_bits', 'permessage-deflate'],
    ['permessage-deflate; client_no_context_takeover', 'permessage-deflate'],
    ['permessage-deflate; server_no_context_takeover', 'permessage-deflate; server_no_context_takeover'],
    ['permessage-deflate; server_max_window_bits=8', 'permessage-deflate; server_max_window_bits=8'],
    ['permessage-deflate; server_max_window_bits=12; server_no_context_takeover', 'permessage-deflate; server_no_context_takeover; server_max_window_bits=12'],
  ])('by default accepts %j as %j', (value, header) => {
    expect(accept(value)).toBe(header);
  });

  it('declines invalid offers and accepts the next valid one (§7: "MUST decline")', () => {
    const s = selectDeflateOffer(list('permessage-deflate; foo, x-other, permessage-deflate; server_max_window_bits=16, permessage-deflate; client_max_window_bits'));
    expect(s.accepted).toMatchObject({ index: 3, header: 'permessage-deflate' });
    expect(s.declined.map((d) => [d.index, d.rule])).toEqual([
      [0, 'RFC 7692 §7'],
      [2, 'RFC 7692 §7.1.2.1'],
    ]);
  });

  it('accepts nothing when every offer is invalid or unsupported', () => {
    const s = selectDeflateOffer(list('permessage-deflate; server_max_window_bits=8'), policy({ minServerMaxWindowBits: 9 }));
    expect(s.accepted).toBeNull();
    expect(s.declined).toEqual([{ index: 0, reason: expect.stringMatching(/below the 9/) as unknown, rule: 'RFC 7692 §7.1.2.1' }]);
    expect(selectDeflateOffer(list('x-webkit-deflate-frame'))).toEqual({ accepted: null, declined: [] });
  });

  it('declines server_no_context_takeover when unsupported, and may answer it unasked', () => {
    expect(accept('permessage-deflate; server_no_context_takeover', policy({ supportsServerNoContextTakeover: false }))).toBeNull();
    expect(accept('permessage-deflate', policy({ serverNoContextTakeover: true }))).toBe('permessage-deflate; server_no_context_takeover');
  });

  it('answers the smaller server window, offered or not (§7.1.2.1)', () => {
    expect(accept('permessage-deflate; server_max_window_bits=12', policy({ serverMaxWindowBits: 10 }))).toBe('permessage-deflate; server_max_window_bits=10');
    expect(accept('permessage-deflate; server_max_window_bits=9', policy({ serverMaxWindowBits: 10 }))).toBe('permessage-deflate; server_max_window_bits=9');
    expect(accept('permessage-deflate', policy({ serverMaxWindowBits: 10 }))).toBe('permessage-deflate; server_max_window_bits=10');
  });

  it('asks for client_no_context_takeover never, on the hint, or always (§7.1.1.2)', () => {
    const hinted = 'permessage-deflate; client_no_context_takeover';
    expect(accept(hinted, policy({ clientNoContextTakeover: 'never' }))).toBe('permessage-deflate');
    expect(accept(hinted, policy({ clientNoContextTakeover: 'if-offered' }))).toBe('permessage-deflate; client_no_context_takeover');
    expect(accept('permessage-deflate', policy({ clientNoContextTakeover: 'if-offered' }))).toBe('permessage-deflate');
    expect(accept('permessage-deflate', policy({ clientNoContextTakeover: 'always' }))).toBe('permessage-deflate; client_no_context_takeover');
  });

  it('limits the client window only when offered (§7.1.2.2)', () => {
    expect(accept('permessage-deflate', policy({ clientMaxWindowBits: 10 }))).toBe('permessage-deflate');
    expect(accept('permessage-deflate', policy({ clientMaxWindowBits: 10, requireClientMaxWindowBits: true }))).toBeNull();
    expect(accept('permessage-deflate; client_max_window_bits', policy({ clientMaxWindowBits: 10 }))).toBe('permessage-deflate; client_max_window_bits=10');
    expect(accept('permessage-deflate; client_max_window_bits=12', policy({ clientMaxWindowBits: 'hint' }))).toBe('permessage-deflate; client_max_window_bits=12');
    expect(accept('permessage-deflate; client_max_window_bits', policy({ clientMaxWindowBits: 'hint' }))).toBe('permessage-deflate');
  });

  it('every response it gives is accepted by the client, for every offer and rule', () => {
    const rules: DeflateServerPolicy['rules'] = [
      {},
      { serverNoContextTakeover: true, clientNoContextTakeover: 'always', serverMaxWindowBits: 9 },
      { clientNoContextTakeover: 'if-offered', clientMaxWindowBits: 'hint', serverMaxWindowBits: 12, minServerMaxWindowBits: 10 },
      { clientMaxWindowBits: 8 },
    ];
    let accepted = 0;
    for (const snct of [false, true]) {
      for (const cnct of [false, true]) {
        for (const smwb of [null, ...ALL_BITS]) {
          for (const cmwb of [null, true, ...ALL_BITS] as const) {
            const o: DeflateOffer = { serverNoContextTakeover: snct, clientNoContextTakeover: cnct, serverMaxWindowBits: smwb, clientMaxWindowBits: cmwb };
            for (const rule of rules) {
              const r = acceptDeflateOffer(o, rule);
              if (!r.ok) continue;
              accepted++;
              const check = validateDeflateResponse(list(formatDeflateResponse(r.params)), [deflateOfferElement(o)]);
              expect(check).toEqual({ ok: true, params: r.params, offer: o, offerIndex: 0 });
            }
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('Autobahn 12.x/13.x', () => {
  interface Pmce {
    fuzzerAsClientOffers: { extensionString: string }[];
    fuzzerAsServerAccept: AutobahnDeflateAccept;
  }
  const pmceCases = [...autobahnCases().values()]
    .map((c) => ({ id: c.id, pmce: (c as unknown as { pmce?: Pmce }).pmce }))
    .filter((c): c is { id: string; pmce: Pmce } => c.pmce !== undefined);

  it('covers the 216 compression cases', () => {
    expect(pmceCases.length).toBe(216);
  });

  it("reproduces the fuzzer's offers octet for octet, and maps every case to its accept rule", () => {
    for (const { id, pmce } of pmceCases) {
      const name = autobahnDeflateAcceptOf(id);
      expect(name, id).toBe(pmce.fuzzerAsServerAccept);
      expect(autobahnDeflateOffers(name!).map((o) => formatDeflateOffers([o])), id).toEqual(pmce.fuzzerAsClientOffers.map((o) => o.extensionString));
    }
    expect(autobahnDeflateAcceptOf('13.8.1')).toBeNull();
    expect(autobahnDeflateAcceptOf('1.1.1')).toBeNull();
  });

  // The fuzzingserver's answer to the fuzzer's own offers: the offer's requests
  // first, as given, then the rule's requests (semantics.md §7).
  const ownOffers: [AutobahnDeflateAccept, string][] = [
    ['accept_deflate', 'permessage-deflate'],
    ['accept1', 'permessage-deflate'],
    ['accept2', 'permessage-deflate; server_no_context_takeover; client_no_context_takeover'],
    ['accept3', 'permessage-deflate; server_max_window_bits=9; client_max_window_bits=9'],
    ['accept4', 'permessage-deflate; server_max_window_bits=15; client_max_window_bits=15'],
    ['accept5', 'permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=9'],
    ['accept6', 'permessage-deflate; server_no_context_takeover; server_max_window_bits=15; client_no_context_takeover; client_max_window_bits=15'],
    ['accept7', 'permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=9'],
  ];
  it.each(ownOffers)("%s answers the fuzzer's own offer with %j, which the client accepts", (name, header) => {
    const offered = list(formatDeflateOffers(autobahnDeflateOffers(name)));
    const s = selectDeflateOffer(offered, AUTOBAHN_DEFLATE_POLICIES[name]);
    expect(s.accepted?.header).toBe(header);
    expect(s.accepted?.index).toBe(0);
    expect(validateDeflateResponse(list(header), offered)).toMatchObject({ ok: true, offerIndex: 0 });
  });

  // What a client under test typically offers: ws, browsers and most libraries
  // send `permessage-deflate; client_max_window_bits`; some send no parameter.
  const clientOffers: [AutobahnDeflateAccept, string, string | null][] = [
    ['accept1', 'permessage-deflate; client_max_window_bits', 'permessage-deflate'],
    ['accept2', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_no_context_takeover'],
    ['accept3', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_max_window_bits=9'],
    ['accept4', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_max_window_bits=15'],
    ['accept5', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_no_context_takeover; client_max_window_bits=9'],
    ['accept6', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_no_context_takeover; client_max_window_bits=15'],
    ['accept7', 'permessage-deflate; client_max_window_bits', 'permessage-deflate; client_no_context_takeover; client_max_window_bits=9'],
    // Without client_max_window_bits: 13.3–13.6 accept nothing (the case is UNIMPLEMENTED); 13.7 falls back to 13.2's rule.
    ['accept1', 'permessage-deflate', 'permessage-deflate'],
    ['accept2', 'permessage-deflate', 'permessage-deflate; client_no_context_takeover'],
    ['accept3', 'permessage-deflate', null],
    ['accept4', 'permessage-deflate', null],
    ['accept5', 'permessage-deflate', null],
    ['accept6', 'permessage-deflate', null],
    ['accept7', 'permessage-deflate', 'permessage-deflate; client_no_context_takeover'],
    ['accept3', 'permessage-deflate; server_no_context_takeover; client_max_window_bits=10', 'permessage-deflate; server_no_context_takeover; client_max_window_bits=9'],
    ['accept4', 'permessage-deflate; client_max_window_bits=10', 'permessage-deflate; client_max_window_bits=15'],
  ];
  it.each(clientOffers)('%s answers %j with %j', (name, value, header) => {
    expect(selectDeflateOffer(list(value), AUTOBAHN_DEFLATE_POLICIES[name]).accepted?.header ?? null).toBe(header);
  });

  it('reproduces the historic rules with window 8', () => {
    const offered = list(formatDeflateOffers(autobahnDeflateOffers('accept5', 8)));
    expect(formatDeflateOffers(autobahnDeflateOffers('accept5', 8))).toBe(
      'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=8',
    );
    expect(selectDeflateOffer(offered, autobahnDeflatePolicy('accept5', 8)).accepted?.header).toBe(
      'permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_no_context_takeover; client_max_window_bits=8',
    );
  });
});
