/**
 * Which of the deliberately broken peers exploration can reach, how it is
 * asked to (the options a user would give), and why not the others. Generated
 * scenarios vary the frames, and with `--handshake` the opening handshake,
 * with `--deflate` they negotiate permessage-deflate, and with
 * `--max-message` they cross the declared limits; a verdict (not a lint) is
 * what makes a counterexample, so a bug that only a lint shows is out of
 * reach. The exploration tests and bench read this, and
 * docs/broken-targets.md lists it.
 */
import type { ScenarioConstraints } from '../../arbitraries/index.js';
import { constraintsAsked } from './exploration-case.js';
import type { DeclaredLimits } from '../../model/limits.js';
import type { BrokenBug } from '../targets/broken/bugs.js';

/** Bugs whose input the arbitraries never generate, by `role/name`. */
const NOT_GENERATED: Readonly<Record<string, string>> = {};

/**
 * The limits exploration declares for `bug` (`wscheck explore --max-message`):
 * those its catalogue cases declare, for the bugs that need a limit to show
 * (a 4 GiB frame is one a peer without a limit may wait for).
 */
export function explorationLimits(bug: BrokenBug): DeclaredLimits | undefined {
  return bug.caughtBy?.limits;
}

/**
 * How exploration is asked to look for `bug`: as `wscheck explore` with
 * `--handshake` for the opening-handshake bugs, `--deflate` for the
 * permessage-deflate ones (a client's are in the answer to its offer, which
 * `--handshake` varies), and the catalogue's limits where they need one.
 */
export function explorationConstraints(bug: BrokenBug): Omit<ScenarioConstraints, 'peerRole'> {
  const limits = explorationLimits(bug);
  const handshake = bug.bugClass === 'opening handshake' || (bug.bugClass === 'permessage-deflate' && bug.role === 'client');
  return constraintsAsked({ limits, handshake, deflate: bug.bugClass === 'permessage-deflate' && !handshake });
}

/** Why exploration cannot find `bug`, or null when it can. */
export function unreachableBecause(bug: BrokenBug): string | null {
  const listed = NOT_GENERATED[`${bug.role}/${bug.name}`];
  if (listed !== undefined) return listed;
  const d = bug.demonstration;
  if (d.kind === 'lint') return 'RFC 6455 allows what the peer does (wscheck reports a lint); exploration judges verdicts only';
  if (d.kind === 'not-expressible') return d.why;
  if (bug.bugClass === 'limits and resources' && explorationLimits(bug) === undefined) return 'needs a declared message or frame limit, and its cases declare none';
  return null;
}

/** `role/name` of every bug listed by name above (so that a test can check that each still exists). */
export const NAMED_UNREACHABLE: readonly string[] = Object.keys(NOT_GENERATED);
