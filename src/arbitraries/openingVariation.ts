/**
 * Opening handshakes that differ from the tester's usual one (RFC 6455 §4):
 * testing a server, edits of the request it receives; testing a client, edits
 * of the 101 it is answered with; either way maybe the head written in pieces
 * and the first frames of the conversation in the same TCP write as the head.
 *
 * The edits are drawn field by field from what implementations get wrong:
 * the version, the key and the accept value, Upgrade and Connection, the
 * request- or status-line, subprotocols and extensions nobody offered,
 * permessage-deflate parameters outside RFC 7692's grammar, and field names
 * in another case. Whether the result is still a valid handshake is not
 * decided here: the oracle reads the varied octets with the reference
 * endpoint (opening-oracle.ts), so an edit that happens to keep the head
 * valid (a key that still decodes to 16 octets) is judged as valid.
 */
import fc from 'fast-check';
import { type AnswerTiming, type HeadEdit, type OpeningVariation, SAME_SIZE_TIMING, UNDER_16_KIB } from '../model/handshake-variation.js';
import { ANSWERS_TO_FAIL, OFFERS_TO_DECLINE } from '../model/deflate-parameters.js';
import { editRow } from '../model/describe.js';
import type { FrameDescription } from '../model/scenario.js';
import type { Role } from '../model/types.js';
import { encodeBase64 } from '../codec/base64.js';
import { sometimes } from './_internals/sometimes.js';

/** A drawn opening variation; the frames that travel with the head are the scenario's to give. */
export interface OpeningChoice {
  readonly peerRole: Role;
  readonly edits: readonly HeadEdit[];
  /** Write the head in pieces of this many octets. */
  readonly chop: number | null;
  /** How many of the scenario's first items go out in the head's TCP write (0: none). */
  readonly pipeline: number;
  /**
   * A hostile head timed against a benign one of the same size (the ReDoS
   * class, ws CVE-2021-32640); servers only.
   */
  readonly timing: AnswerTiming | null;
  /** The request is valid, but the RFC's wording lets a server refuse it (see VerdictRules.refusalAllowed). */
  readonly refusalAllowed: boolean;
}

const set = (name: string) => (value: string): HeadEdit => ({ kind: 'set', name, value });
const add = (name: string) => (value: string): HeadEdit => ({ kind: 'add', name, value });
const remove = (name: string): fc.Arbitrary<HeadEdit> => fc.constant({ kind: 'remove', name });

const names: fc.Arbitrary<HeadEdit> = fc.constantFrom<HeadEdit>({ kind: 'names', spelling: 'lower' }, { kind: 'names', spelling: 'upper' });

/** Sec-WebSocket-Key values: base64 of the wrong number of octets, not base64 at all, none, two. */
const requestKey: fc.Arbitrary<HeadEdit> = fc.oneof(
  remove('Sec-WebSocket-Key'),
  fc.uint8Array({ minLength: 0, maxLength: 24 }).map((octets) => set('Sec-WebSocket-Key')(encodeBase64(octets))),
  fc.constantFrom('dGhlIHNhbXBsZSBub25jZQ', 'dGhlIHNhbXBsZSBub25jZQ=', 'not a base64 key!!!!!!==', '!!!!!!!!!!!!!!!!!!!!!!==').map(set('Sec-WebSocket-Key')),
  fc.constant<HeadEdit>({ kind: 'add', name: 'Sec-WebSocket-Key', value: { computed: 'key' } }),
);

const requestVersion: fc.Arbitrary<HeadEdit> = fc.oneof(
  remove('Sec-WebSocket-Version'),
  fc.constantFrom('0', '12', '14', '99', '13, 8', '', '013', '+13', '13.0').map(set('Sec-WebSocket-Version')),
  fc.constant('13').map(add('Sec-WebSocket-Version')),
);

/** Upgrade values; a list that includes websocket is valid (§4.1) but §4.2.1 can be read to refuse it. */
const requestUpgrade: fc.Arbitrary<HeadEdit> = fc.oneof(remove('Upgrade'), fc.constantFrom('h2c', 'websocket2', '', 'WebSocket', 'websocket, foo/1').map(set('Upgrade')));

const connection: fc.Arbitrary<HeadEdit> = fc.oneof(remove('Connection'), fc.constantFrom('keep-alive', 'close', 'upgrade', 'keep-alive, Upgrade', 'Upgrade, close').map(set('Connection')));

const requestLine: fc.Arbitrary<HeadEdit> = fc.oneof(
  fc.constantFrom('POST', 'PUT', 'get', 'HEAD').map((method): HeadEdit => ({ kind: 'request-line', method })),
  fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2').map((version): HeadEdit => ({ kind: 'request-line', version })),
);

/** Subprotocol lists: valid token lists with any optional whitespace, and values that are not token lists. */
const protocolOffer: fc.Arbitrary<HeadEdit> = fc.oneof(
  fc
    .tuple(fc.array(fc.constantFrom('chat', 'superchat', 'wscheck.v1', 'v2.example.com'), { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', ', ' , ', ',\t'))
    .map(([tokens, sep]) => add('Sec-WebSocket-Protocol')(tokens.join(sep))),
  fc.constantFrom('', ',', 'a b', 'a,,b', '"chat"', 'chat;v=1', 'caf\u00e9').map(add('Sec-WebSocket-Protocol')),
);

/** Extension offers a server must decline (RFC 7692 §7: parameters outside its grammar), and one it does not know. */
const extensionOffer: fc.Arbitrary<HeadEdit> = fc.constantFrom('x-wscheck-unknown', ...OFFERS_TO_DECLINE.map((o) => o.value)).map(set('Sec-WebSocket-Extensions'));

const responseAccept: fc.Arbitrary<HeadEdit> = fc.constantFrom<HeadEdit>(
  { kind: 'set', name: 'Sec-WebSocket-Accept', value: { computed: 'accept-of-other-key' } },
  { kind: 'set', name: 'Sec-WebSocket-Accept', value: { computed: 'key' } },
  { kind: 'set', name: 'Sec-WebSocket-Accept', value: '' },
  { kind: 'remove', name: 'Sec-WebSocket-Accept' },
  { kind: 'add', name: 'Sec-WebSocket-Accept', value: { computed: 'accept' } },
);

const statusLine: fc.Arbitrary<HeadEdit> = fc
  .constantFrom('HTTP/1.1 200 OK', 'HTTP/1.1 426 Upgrade Required', 'HTTP/1.0 101 Switching Protocols', 'HTTP/1.1 101 Whatever')
  .map((line): HeadEdit => ({ kind: 'start-line', line }));

/** A subprotocol or extension the client did not offer, and permessage-deflate answers outside RFC 7692's grammar. */
const unsolicited: fc.Arbitrary<HeadEdit> = fc.oneof(
  fc.constant('wscheck-unsolicited').map(set('Sec-WebSocket-Protocol')),
  fc.constantFrom('x-wscheck-unsolicited', ...ANSWERS_TO_FAIL.map((a) => a.value)).map(set('Sec-WebSocket-Extensions')),
);

/** The hostile head of ws CVE-2021-32640 (the catalogue's 14.3.2): a protocol value whose split backtracks over a run of spaces. */
const HOSTILE_PROTOCOL: HeadEdit = { kind: 'add', name: 'Sec-WebSocket-Protocol', value: `b${' '.repeat(UNDER_16_KIB)}\t, x` };

/** What an edit of a request (testing a server) changes. */
export type RequestField = 'version' | 'key' | 'upgrade' | 'connection' | 'request-line' | 'host' | 'protocol' | 'extensions' | 'names' | 'hostile-head';
/** What an edit of a 101 (testing a client) changes. */
export type ResponseField = 'accept' | 'status-line' | 'upgrade' | 'connection' | 'unsolicited' | 'names';
export type OpeningField = RequestField | ResponseField;

/** Each field's edits and how often they are drawn. */
const REQUEST_EDITS: Readonly<Record<Exclude<RequestField, 'hostile-head'>, { readonly weight: number; readonly arbitrary: fc.Arbitrary<HeadEdit> }>> = {
  version: { weight: 3, arbitrary: requestVersion },
  key: { weight: 3, arbitrary: requestKey },
  upgrade: { weight: 2, arbitrary: requestUpgrade },
  connection: { weight: 2, arbitrary: connection },
  'request-line': { weight: 1, arbitrary: requestLine },
  host: { weight: 1, arbitrary: remove('Host') },
  protocol: { weight: 2, arbitrary: protocolOffer },
  extensions: { weight: 2, arbitrary: extensionOffer },
  names: { weight: 1, arbitrary: names },
};

const RESPONSE_EDITS: Readonly<Record<ResponseField, { readonly weight: number; readonly arbitrary: fc.Arbitrary<HeadEdit> }>> = {
  accept: { weight: 3, arbitrary: responseAccept },
  'status-line': { weight: 1, arbitrary: statusLine },
  upgrade: { weight: 2, arbitrary: fc.oneof(remove('Upgrade'), fc.constantFrom('h2c', 'WEBSOCKET').map(set('Upgrade'))) },
  connection: { weight: 2, arbitrary: connection },
  unsolicited: { weight: 3, arbitrary: unsolicited },
  names: { weight: 1, arbitrary: names },
};

/** Every field {@link openingChoice} edits for a peer of `peerRole`. */
export function openingFields(peerRole: Role): OpeningField[] {
  return peerRole === 'server' ? [...(Object.keys(REQUEST_EDITS) as RequestField[]), 'hostile-head'] : (Object.keys(RESPONSE_EDITS) as ResponseField[]);
}

/**
 * Valid requests the RFC's wording lets a server refuse, as the catalogue
 * judges them (NON-STRICT, not FAILED): an Upgrade list that includes
 * websocket (14.2.4), and extension offers, which a server may refuse
 * instead of declining (18.1).
 */
function refusable(e: HeadEdit): boolean {
  if (e.kind !== 'set' && e.kind !== 'add') return false;
  const name = e.name.toLowerCase();
  return name === 'sec-websocket-extensions' || (name === 'upgrade' && typeof e.value === 'string' && e.value.includes(','));
}

/** Constraints of {@link openingChoice}. */
export interface OpeningChoiceConstraints {
  readonly peerRole: Role;
  /** Most edits of the head (default 2). */
  readonly maxEdits?: number;
  /** Which fields to edit (default {@link openingFields}); fields of the other role are ignored. */
  readonly fields?: readonly OpeningField[];
}

/**
 * One opening variation for a peer of `peerRole`. Shrinks towards fewer
 * edits, an unchopped head, nothing in the head's write and no hostile head.
 */
export function openingChoice(constraints: OpeningChoiceConstraints): fc.Arbitrary<OpeningChoice> {
  const { peerRole } = constraints;
  const fields = new Set(constraints.fields ?? openingFields(peerRole));
  const table: Readonly<Partial<Record<OpeningField, { readonly weight: number; readonly arbitrary: fc.Arbitrary<HeadEdit> }>>> = peerRole === 'server' ? REQUEST_EDITS : RESPONSE_EDITS;
  const drawn = Object.entries(table).filter(([field]) => fields.has(field as OpeningField)).map(([, e]) => e!);
  const edit = drawn.length === 0 ? null : fc.oneof(...drawn);
  const hostile = peerRole === 'server' && fields.has('hostile-head') ? sometimes(fc.constant(true), 1, 15) : fc.constant(null);
  return fc
    .record({
      edits: edit === null ? fc.constant([] as HeadEdit[]) : fc.array(edit, { maxLength: constraints.maxEdits ?? 2 }),
      chop: sometimes(fc.integer({ min: 1, max: 64 }), 1, 3),
      pipeline: sometimes(fc.integer({ min: 1, max: 3 }), 1, 2),
      hostile,
    })
    .map(({ edits, chop, pipeline, hostile: h }) => ({
      peerRole,
      edits: h === true ? [...edits, HOSTILE_PROTOCOL] : edits,
      chop,
      pipeline: pipeline ?? 0,
      timing: h === true ? SAME_SIZE_TIMING : null,
      refusalAllowed: peerRole === 'server' && edits.some(refusable),
    }));
}

/** The scenario's `opening` for a choice and the frames that go with the head; undefined when nothing differs. */
export function openingOf(choice: OpeningChoice, frames: readonly FrameDescription[]): OpeningVariation | undefined {
  const edits = choice.edits.length > 0 ? { edits: choice.edits } : {};
  const chop = choice.chop !== null ? { chop: choice.chop } : {};
  const pipelined = frames.length > 0 ? { frames } : {};
  const timing = choice.timing !== null ? { timing: choice.timing } : {};
  if (choice.edits.length === 0 && choice.chop === null && frames.length === 0) return undefined;
  return choice.peerRole === 'server' ? { request: { ...edits, ...chop, ...pipelined, ...timing } } : { response: { ...edits, ...chop, ...pipelined } };
}

/** One line for people: what the choice changes. */
export function describeOpeningChoice(choice: OpeningChoice): string {
  const parts = choice.edits.map(editRow);
  if (choice.chop !== null) parts.push(`head in ${choice.chop}-octet pieces`);
  if (choice.pipeline > 0) parts.push(`first ${choice.pipeline} item${choice.pipeline === 1 ? '' : 's'} in the head's write`);
  if (choice.timing !== null) parts.push('answer timed');
  return `${choice.peerRole === 'server' ? 'request' : '101'}: ${parts.join('; ')}`;
}
