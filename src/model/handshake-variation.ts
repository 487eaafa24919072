/**
 * The opening handshake a scenario changes on purpose (RFC 6455 §4): edits of
 * the request the tester sends when it tests a server, of the answer it gives
 * when it tests a client, and what travels with them (frames pipelined in the
 * same TCP write, a head written in pieces). Like the rest of a scenario this
 * is data; the functions here turn it into octets, the same for the harness
 * and for the oracle's simulation, so both put the same head on the wire.
 *
 * The edits work on the head the tester would send anyway, so a variation
 * names only what differs ("set Sec-WebSocket-Version: 99"), and a scenario
 * without one keeps the tester's handshake octet for octet (Autobahn's cases
 * depend on that).
 */
import {
  type ClientRequestOptions,
  type EncodedHandshake,
  type ExtensionOffer,
  type ServerResponseOptions,
  buildClientRequest,
  buildServerResponse,
  computeAccept,
  headerValues,
  parseExtensionList,
  parseRequestHead,
  parseTokenList,
} from '../codec/handshake.js';
import { latin1Decode } from '../codec/handshake/octets.js';
import type { FrameDescription } from './scenario.js';

/**
 * A header value: literal text (latin1, one character per octet), or a value
 * computed from the handshake under way: the request's key, the accept value
 * it calls for, or the accept value of another key (well-formed and wrong).
 */
export type HeaderValue = string | { readonly computed: 'key' | 'accept' | 'accept-of-other-key' };

/** One change to a head, applied in order. Header names compare ASCII case-insensitively. */
export type HeadEdit =
  /** Every field of this name becomes one field with this value, where the first one was (appended when there was none). */
  | { readonly kind: 'set'; readonly name: string; readonly value: HeaderValue }
  /** One more field, after the others (or before them, `first`). */
  | { readonly kind: 'add'; readonly name: string; readonly value: HeaderValue; readonly first?: boolean }
  /** No field of this name. */
  | { readonly kind: 'remove'; readonly name: string }
  /** Every field name respelt in lower or upper case. */
  | { readonly kind: 'names'; readonly spelling: 'lower' | 'upper' }
  /** The request-line or status-line, as given. */
  | { readonly kind: 'start-line'; readonly line: string }
  /** The request-line with another method or HTTP-version (the request-target stays). */
  | { readonly kind: 'request-line'; readonly method?: string; readonly version?: string }
  /** `count` distinct short fields (`!#: x`, two tchars each), after the others or before them (`first`). */
  | { readonly kind: 'filler-fields'; readonly count: number; readonly first?: boolean };

/**
 * How the answer to a hostile head is timed (the ReDoS class): the time from
 * the last octet of the head to the answer, against the same peer answering
 * a benign head measured in the same run. Over `factor` times the baseline
 * and over `floorMs` is too slow. `baseline`: `same-size` is the tester's
 * usual head padded to the same length and written the same way (the cost
 * of size alone), `plain` the usual head.
 */
export interface AnswerTiming {
  readonly baseline: 'same-size' | 'plain';
  readonly factor: number;
  readonly floorMs: number;
}

/**
 * The hostile heads' time budget: fifty times the same server's answer to a
 * benign head of the same size, and at least 100 ms (below it nobody waits
 * noticeably); see docs/design.md for why this does not flake.
 */
export const SAME_SIZE_TIMING: AnswerTiming = { baseline: 'same-size', factor: 50, floorMs: 100 };

/** Room for the rest of a head under the 16 KiB most servers read (Node's default), whatever the target's host and path. */
export const UNDER_16_KIB = 15_500;

/** The tester as a client: what it changes in the request it sends to the server under test. */
export interface RequestVariation {
  readonly edits?: readonly HeadEdit[];
  /** Octets right after the head, before any frame (a pre-RFC draft-76 request carries eight). */
  readonly body?: Uint8Array;
  /** Frames written in the same TCP write as the request (the server must take them as the first frames). */
  readonly frames?: readonly FrameDescription[];
  /** Write the request in pieces of this many octets, one TCP write each. */
  readonly chop?: number;
  readonly timing?: AnswerTiming;
}

/** The tester as a server: what it changes in the 101 it answers the client under test with. */
export interface ResponseVariation {
  readonly edits?: readonly HeadEdit[];
  /** Frames written in the same TCP write as the response (the client must deliver them). */
  readonly frames?: readonly FrameDescription[];
  /** Write the response in pieces of this many octets, one TCP write each. */
  readonly chop?: number;
}

/** A scenario's opening handshake variation, for either role of the peer under test. */
export interface OpeningVariation {
  /** Testing a server. */
  readonly request?: RequestVariation;
  /** Testing a client. */
  readonly response?: ResponseVariation;
}

/** A head as lines: the start-line and the fields in order, as the tester is about to send them. */
interface HeadLines {
  startLine: string;
  fields: [string, string][];
}

/** Split a head the codec built (`line CRLF … CRLF CRLF`): its fields are `name: value`. */
function linesOf(text: string): HeadLines {
  const lines = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
  return {
    startLine: lines[0]!,
    fields: lines.slice(1).map((l) => {
      const colon = l.indexOf(':');
      return [l.slice(0, colon), l.slice(colon + 2)];
    }),
  };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Two tchars per name, as in ws's advisory GHSA-3h5v-q93c-6h6q: 2000 fields stay under 16 KiB. */
const FILLER_ALPHABET = "!#$%&'*+-.0123456789abcdefghijklmnopqrstuvwxyz^_`|~";

function fillerFields(count: number): [string, string][] {
  const n = FILLER_ALPHABET.length;
  const out: [string, string][] = [];
  for (let k = 0; k < count; k++) out.push([FILLER_ALPHABET[Math.floor(k / n) % n]! + FILLER_ALPHABET[k % n]! + (k >= n * n ? String(Math.floor(k / (n * n))) : ''), 'x']);
  return out;
}

/** What computed values stand for in this handshake. */
export interface HandshakeValues {
  /** The request's Sec-WebSocket-Key (empty when it has none). */
  readonly key: string;
}

function valueOf(v: HeaderValue, values: HandshakeValues): string {
  if (typeof v === 'string') return v;
  switch (v.computed) {
    case 'key':
      return values.key;
    case 'accept':
      return computeAccept(values.key);
    case 'accept-of-other-key':
      // The accept value of the key with its last character changed: the right shape, the wrong proof.
      return computeAccept(values.key.slice(0, -1) + (values.key.endsWith('A') ? 'B' : 'A'));
  }
}

function applyEdits(head: HeadLines, edits: readonly HeadEdit[], values: HandshakeValues): HeadLines {
  let { startLine, fields } = head;
  for (const e of edits) {
    switch (e.kind) {
      case 'set': {
        const at = fields.findIndex(([n]) => sameName(n, e.name));
        const field: [string, string] = [e.name, valueOf(e.value, values)];
        const rest = fields.filter(([n]) => !sameName(n, e.name));
        if (at < 0) fields = [...rest, field];
        else fields = [...rest.slice(0, at), field, ...rest.slice(at)];
        break;
      }
      case 'add':
        fields = e.first ? [[e.name, valueOf(e.value, values)], ...fields] : [...fields, [e.name, valueOf(e.value, values)]];
        break;
      case 'remove':
        fields = fields.filter(([n]) => !sameName(n, e.name));
        break;
      case 'names':
        fields = fields.map(([n, v]) => [e.spelling === 'lower' ? n.toLowerCase() : n.toUpperCase(), v]);
        break;
      case 'start-line':
        startLine = e.line;
        break;
      case 'request-line': {
        const [method, target, version] = startLine.split(' ');
        startLine = `${e.method ?? method} ${target} ${e.version ?? version}`;
        break;
      }
      case 'filler-fields':
        fields = e.first ? [...fillerFields(e.count), ...fields] : [...fields, ...fillerFields(e.count)];
        break;
    }
  }
  return { startLine, fields };
}

function headText(head: HeadLines): string {
  return [head.startLine, ...head.fields.map(([n, v]) => `${n}: ${v}`)].join('\r\n') + '\r\n\r\n';
}

function encode(text: string, body: Uint8Array | undefined): EncodedHandshake {
  const bytes = new Uint8Array(text.length + (body?.length ?? 0));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  if (body !== undefined) bytes.set(body, text.length);
  return { bytes, text: body === undefined || body.length === 0 ? text : text + latin1Decode(body) };
}

/**
 * The request the tester sends (RFC 6455 §4.1), with the variation applied.
 * Without edits or body it is exactly `buildClientRequest(base)`.
 */
export function variedRequest(variation: RequestVariation | undefined, base: ClientRequestOptions): EncodedHandshake {
  const plain = buildClientRequest(base);
  if (variation === undefined || ((variation.edits ?? []).length === 0 && variation.body === undefined)) return plain;
  const head = applyEdits(linesOf(plain.text), variation.edits ?? [], { key: base.key });
  return encode(headText(head), variation.body);
}

/**
 * The 101 the tester answers with (RFC 6455 §4.2.2), with the variation
 * applied; `key` is the client's. Without edits it is exactly
 * `buildServerResponse(base)`.
 */
export function variedResponse(variation: ResponseVariation | undefined, base: ServerResponseOptions): EncodedHandshake {
  const plain = buildServerResponse(base);
  if (variation === undefined || (variation.edits ?? []).length === 0) return plain;
  return encode(headText(applyEdits(linesOf(plain.text), variation.edits ?? [], { key: base.key })), undefined);
}

/**
 * The same-size benign twin of a request (the baseline of `AnswerTiming`):
 * the tester's usual request with one filler field that makes its head as
 * long as `request`'s.
 */
export function sameSizeRequest(base: ClientRequestOptions, octets: number): EncodedHandshake {
  const plain = buildClientRequest(base);
  const name = 'X-Wscheck-Filler';
  const room = octets - plain.bytes.length - name.length - 4; // ": " and CRLF
  if (room <= 0) return plain;
  return variedRequest({ edits: [{ kind: 'add', name, value: 'a'.repeat(room) }] }, base);
}

/**
 * What the tester offered in its own request, read back from its octets: the
 * key the answer must prove, the subprotocols and extensions it may select.
 * A variation may have removed, repeated or broken any of them.
 */
export interface RequestOffer {
  readonly key: string;
  readonly protocols: readonly string[];
  readonly extensions: readonly ExtensionOffer[];
}

export function offerOf(request: Uint8Array): RequestOffer {
  const parsed = parseRequestHead(request, { maxHeadOctets: request.length + 1, maxHeaders: Number.MAX_SAFE_INTEGER });
  if (parsed.kind !== 'complete') return { key: '', protocols: [], extensions: [] };
  const fields = parsed.head.headers;
  const protocols = headerValues(fields, 'Sec-WebSocket-Protocol').flatMap((v) => parseTokenList(v) ?? []);
  return {
    key: headerValues(fields, 'Sec-WebSocket-Key')[0] ?? '',
    protocols,
    extensions: parseExtensionList(headerValues(fields, 'Sec-WebSocket-Extensions')) ?? [],
  };
}

/** The frames that go with the head, in order: a variation's pipelined frames. */
export function pipelinedFrames(variation: OpeningVariation | undefined, peerRole: 'server' | 'client'): readonly FrameDescription[] {
  return (peerRole === 'server' ? variation?.request?.frames : variation?.response?.frames) ?? [];
}

/** The roles of a peer under test a variation applies to (a request variation only to servers, a response one only to clients). */
export function variationRoles(variation: OpeningVariation | undefined): readonly ('server' | 'client')[] {
  if (variation === undefined) return ['server', 'client'];
  const roles: ('server' | 'client')[] = [];
  if (variation.request !== undefined) roles.push('server');
  if (variation.response !== undefined) roles.push('client');
  return roles;
}
