/**
 * Shared shapes of wscheck's own cases in categories 15-17: the case record
 * (origin, rule, advisories), cases that need the peer's declared limits,
 * and the wait that follows an abusive case.
 */
import { Opcode } from '../../codec/opcode.js';
import { type DeclaredLimits, frameLimitOf, messageLimitOf } from '../../model/limits.js';
import type { FrameDescription, Scenario, Step } from '../../model/scenario.js';
import type { Advisory, CaseDefinition } from '../types.js';

export interface WscheckCaseSpec {
  readonly id: string;
  readonly subcategoryTitle: string;
  readonly description: string;
  readonly expectation: string;
  readonly rfc: string;
  readonly advisories?: readonly Advisory[];
  readonly reportTime?: boolean;
  /** See CaseDefinition.exclusive. */
  readonly exclusive?: boolean;
}

/** A case's words and rule, in the order the case files write them. */
export function caseSpec(id: string, subcategoryTitle: string, rfc: string, description: string, expectation: string, advisories?: readonly Advisory[]): WscheckCaseSpec {
  return { id, subcategoryTitle, description, expectation, rfc, ...(advisories !== undefined ? { advisories } : {}) };
}

/** Which declared limit a case cannot do without. */
export type LimitNeed = 'message' | 'frame-below-message';

/** The text of an UNIMPLEMENTED verdict for a case whose limit was not declared. */
export function missingLimit(need: LimitNeed): string {
  return need === 'message'
    ? 'No message limit was declared for the peer: give its limit with --max-message N (octets) to run this case.'
    : 'No frame limit below the message limit was declared for the peer: give it with --max-frame N (and --max-message) to run this case.';
}

function hasLimit(need: LimitNeed, limits: DeclaredLimits | undefined): boolean {
  if (limits?.maxMessage === undefined && need === 'message') return false;
  if (need === 'frame-below-message') return limits?.maxFrame !== undefined && frameLimitOf(limits) < messageLimitOf(limits);
  return true;
}

/**
 * A case of wscheck's category `category`. `build` gets the peer's declared
 * limits (undefined: none declared); a case that `needs` a limit is
 * UNIMPLEMENTED, with the option to give, until it is declared. The limits
 * go into the scenario, so the reference peer enforces them too.
 */
export function wscheckCase(
  category: string,
  categoryTitle: string,
  spec: WscheckCaseSpec,
  build: (limits: DeclaredLimits | undefined) => Scenario,
  needs?: LimitNeed,
): CaseDefinition {
  const scenarioFor = (limits: DeclaredLimits | undefined): Scenario => {
    if (needs !== undefined && !hasLimit(needs, limits)) return { steps: [], unimplemented: missingLimit(needs), ...(limits !== undefined ? { limits } : {}) };
    const s = build(limits);
    return limits === undefined ? s : { ...s, limits };
  };
  return {
    id: spec.id,
    category,
    categoryTitle,
    subcategory: spec.id.split('.').slice(0, 2).join('.'),
    subcategoryTitle: spec.subcategoryTitle,
    description: spec.description,
    expectation: spec.expectation,
    scenario: () => scenarioFor(undefined),
    scenarioWithLimits: scenarioFor,
    origin: 'wscheck',
    rfc: spec.rfc,
    ...(spec.advisories !== undefined ? { advisories: spec.advisories } : {}),
    ...(spec.reportTime ? { reportTime: true } : {}),
    ...(spec.exclusive ? { exclusive: true } : {}),
  };
}

/**
 * A case that abuses the peer's resources. A peer that crashes under it closes
 * TCP just as one that fails the connection in good order does, so after
 * the case a liveness probe (a new connection must open and echo) tells the
 * two apart.
 */
export function abusive(scenario: Scenario): Scenario {
  return { ...scenario, probeAfter: true };
}

/** `total` octets in pieces of at most `size` (at least one piece, possibly empty). */
export function pieceSizes(total: number, size: number): number[] {
  if (total === 0) return [0];
  const out: number[] = [];
  for (let at = 0; at < total; at += size) out.push(Math.min(size, total - at));
  return out;
}

/** The frames of one data message: `payload` cut at `sizes` (which sum to its length), FIN on the last unless `open`. */
export function fragmentFrames(opcode: typeof Opcode.Text | typeof Opcode.Binary, payload: Uint8Array, sizes: readonly number[], open = false): FrameDescription[] {
  const frames: FrameDescription[] = [];
  let at = 0;
  sizes.forEach((n, k) => {
    frames.push({ opcode: k === 0 ? opcode : Opcode.Continuation, fin: !open && k === sizes.length - 1, payload: payload.subarray(at, at + n) });
    at += n;
  });
  return frames;
}

/** Frame descriptions as `frame` steps (each written when its turn comes, coalesced within one turn). */
export function frameSteps(frames: readonly FrameDescription[]): Step[] {
  return frames.map((f) => ({ kind: 'frame', ...f }));
}

/** A generous bound on moving `octets` across loopback and echoing them (at least two seconds). */
export function transferSeconds(octets: number): number {
  return 2 + Math.ceil(octets / (4 * 1024 * 1024));
}
