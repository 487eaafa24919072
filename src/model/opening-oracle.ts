/**
 * The oracle for scenarios that vary the opening handshake. The reference
 * endpoint (the reducer's handshake, `opening.ts`) reads the varied request
 * or 101 exactly as the tester would send it; what it does — upgrade, or
 * refuse for a named defect; open, or fail the connection — decides which
 * answers conforming peers may give (`opening-policy.ts`). When upgrading is
 * among them, the frames that follow are judged by the ordinary oracle, with
 * frames pipelined in the handshake's write as the tester's first frames (in
 * the model's in-order network that is what they are).
 */
import { headerValues, latin1Decode, parseExtensionList, parseRequestHead, parseResponseHead, validateClientRequest } from '../codec/handshake.js';
import { PERMESSAGE_DEFLATE } from '../codec/deflate/params.js';
import { type AnswerTiming, type OpeningVariation, offerOf, pipelinedFrames, variedRequest, variedResponse } from './handshake-variation.js';
import { clientReceives, clientRequest, serverReceives } from './opening.js';
import { type OpeningOutcome, classifyServerAnswer } from './opening-outcome.js';
import { type AcceptableOpening, answersToDefect, answersToValidRequest, reactionsToInvalidAnswer, reactionsToValidAnswer } from './opening-policy.js';
import type { Expectation } from './oracle.js';
import type { Scenario } from './scenario.js';
import type { Role } from './types.js';

export interface OpeningExpectation {
  readonly peerRole: Role;
  /** Every answer (server) or reaction (client) a conforming peer may give, strict ones first. */
  readonly acceptable: readonly AcceptableOpening[];
  /** What the reference peer did, classified as the tester classifies what it observes. */
  readonly reference: OpeningOutcome;
  /** Why the reference refused, if it did (e.g. `key`, `version-unsupported`, `head-too-large`). */
  readonly defect: string | null;
  readonly timing: AnswerTiming | null;
}

/** The handshake the reference peer sees: host, path and key are fixed (they change nothing it decides). */
const REFERENCE = { host: '127.0.0.1', port: 9001, path: '/', key: 'dGhlIHNhbXBsZSBub25jZQ==' } as const;

/** Limits of a server that reads any head (a conforming server may have none). */
const UNBOUNDED = { maxHeadOctets: 2 ** 31, maxHeaders: Number.MAX_SAFE_INTEGER } as const;

export class NotApplicableError extends Error {
  override readonly name = 'NotApplicableError';
}

/** The scenario of the frames after an upgrade: the pipelined frames first, then the steps. */
export function frameScenario(scenario: Scenario, peerRole: Role): Scenario {
  const { opening, probeAfter, ...rest } = scenario;
  void probeAfter;
  const frames = pipelinedFrames(opening, peerRole);
  return frames.length === 0 ? rest : { ...rest, steps: [{ kind: 'stream', frames, cuts: [] }, ...rest.steps] };
}

function referenceServer(variation: OpeningVariation, refusalAllowed: boolean): Omit<OpeningExpectation, 'peerRole' | 'timing'> {
  const request = variedRequest(variation.request, { ...REFERENCE, userAgent: 'wscheck' }).bytes;
  const offer = offerOf(request);
  const step = serverReceives(null, request, []);
  if (step.kind === 'incomplete') throw new NotApplicableError('the varied request never ends its head; the reference server would wait for ever');
  const reference = step.reply === null ? ({ kind: 'closed' } as const) : answerOf(step.reply, offer);
  if (step.kind === 'open') return { acceptable: answersToValidRequest(refusalAllowed), reference, defect: null };
  const defect = step.defect ?? 'head-malformed';
  const acceptable = answersToDefect(defect);
  if (defect === 'head-too-large') {
    // A server with larger limits (the RFC sets none) reads the whole head and judges the request itself.
    const unbounded = serverReceives(null, request, [], UNBOUNDED);
    const more = unbounded.kind === 'open' ? answersToValidRequest(false) : unbounded.kind === 'refused' ? answersToDefect(unbounded.defect ?? 'head-malformed') : [];
    for (const a of more) if (!acceptable.some((b) => JSON.stringify(b.pattern) === JSON.stringify(a.pattern))) acceptable.push(a);
  }
  return { acceptable: acceptable.sort((a, b) => Number(b.strict) - Number(a.strict)), reference, defect };
}

function answerOf(reply: Uint8Array, offer: ReturnType<typeof offerOf>): OpeningOutcome {
  const c = classifyServerAnswer(reply, offer);
  return c.kind === 'answer' ? c.outcome : { kind: 'closed' };
}

/**
 * What the reference client offers: permessage-deflate, as browsers, ws and
 * undici do, so that a 101 agreeing to it is judged by RFC 7692's rules
 * rather than as an extension nobody asked for.
 */
const REFERENCE_CLIENT_EXTENSIONS = 'permessage-deflate; client_max_window_bits';

function referenceClient(variation: OpeningVariation): Omit<OpeningExpectation, 'peerRole' | 'timing'> {
  const requestBytes = clientRequest({ ...REFERENCE, extensions: REFERENCE_CLIENT_EXTENSIONS });
  const parsed = parseRequestHead(requestBytes);
  if (parsed.kind !== 'complete') throw new Error('the reference client request does not parse');
  const request = validateClientRequest(parsed.head);
  if (!request.ok) throw new Error('the reference client request is refused');
  const response = variedResponse(variation.response, { key: request.key, server: 'wscheck' });
  const requestText = latin1Decode(requestBytes);
  const step = clientReceives(null, response.bytes, { key: REFERENCE.key, protocols: [], request: requestText, extensions: request.extensions }, requestText);
  if (step.kind === 'incomplete') throw new NotApplicableError('the varied response never ends its head; the reference client would wait for ever');
  if (step.kind === 'open' && acceptsDeflate(response.bytes)) {
    // A client under test that did not offer it must fail the connection, one that did must not.
    throw new NotApplicableError('the varied 101 validly accepts permessage-deflate, which the client under test may not have offered; cases that negotiate it use scenario.deflate');
  }
  if (step.kind === 'open') return { acceptable: reactionsToValidAnswer(), reference: { kind: 'upgraded', protocol: step.protocol, extensions: [] }, defect: null };
  return { acceptable: reactionsToInvalidAnswer(), reference: { kind: 'closed' }, defect: step.reason };
}

function acceptsDeflate(response: Uint8Array): boolean {
  const parsed = parseResponseHead(response);
  if (parsed.kind !== 'complete') return false;
  return (parseExtensionList(headerValues(parsed.head.headers, 'Sec-WebSocket-Extensions')) ?? []).some((e) => e.name === PERMESSAGE_DEFLATE);
}

/**
 * The expectation of a scenario with an opening variation; `frames` is the
 * ordinary oracle, used for what follows an upgrade.
 */
export function computeOpeningExpectation(
  scenario: Scenario,
  peerRole: Role,
  frames: (s: Scenario) => Expectation,
): Expectation {
  const variation = scenario.opening!;
  const forRole = peerRole === 'server' ? variation.request : variation.response;
  if (forRole === undefined) {
    throw new NotApplicableError(`this scenario varies the ${peerRole === 'server' ? 'response' : 'request'} only; it applies to ${peerRole === 'server' ? 'clients' : 'servers'}`);
  }
  const found = peerRole === 'server' ? referenceServer(variation, scenario.rules?.refusalAllowed === true) : referenceClient(variation);
  const opening: OpeningExpectation = {
    peerRole,
    ...found,
    timing: peerRole === 'server' ? (variation.request?.timing ?? null) : null,
  };
  if (found.acceptable.some((a) => a.pattern.kind === 'upgrade')) return { ...frames(frameScenario(scenario, peerRole)), opening };
  return {
    peerRole,
    traces: [],
    expected: { OK: [] },
    expectedClose: { closedByMe: false, closeCode: [], requireClean: false },
    finishWhen: null,
    finishAtIdle: false,
    // Testing a client that must fail: any event at all decides the case, so the tester stops at the first.
    ...(peerRole === 'client' ? { acceptable: [[]] } : {}),
    opening,
  };
}
