/**
 * Which of the deliberately broken peers exploration can reach, and why not
 * the others. Generated scenarios vary the frames after a fixed, valid
 * opening handshake, declare the limits the bug's catalogue cases declare
 * (if any), and do not negotiate permessage-deflate, and a verdict (not a
 * lint) is what makes a counterexample; a bug that needs anything else is
 * out of reach. The
 * exploration tests and bench read this, and docs/broken-targets.md lists it.
 */
import type { DeclaredLimits } from '../../model/limits.js';
import type { BrokenBug } from '../targets/broken/bugs.js';

const HANDSHAKE =
  'the bug is in the opening handshake (or in octets that arrive with it); every generated scenario opens with the same valid handshake and sends its first frame after the answer';

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

/** Why exploration cannot find `bug`, or null when it can. */
export function unreachableBecause(bug: BrokenBug): string | null {
  const listed = NOT_GENERATED[`${bug.role}/${bug.name}`];
  if (listed !== undefined) return listed;
  const d = bug.demonstration;
  if (d.kind === 'lint') return 'RFC 6455 allows what the peer does (wscheck reports a lint); exploration judges verdicts only';
  if (d.kind === 'not-expressible') return d.why;
  // A handshake the tester cannot complete fails every scenario (wrong-accept-key); other handshake bugs need a different request or answer.
  if (bug.bugClass === 'opening handshake' && d.kind !== 'handshake') return HANDSHAKE;
  if (bug.bugClass === 'limits and resources' && explorationLimits(bug) === undefined) return 'needs a declared message or frame limit, and its cases declare none';
  if (bug.bugClass === 'permessage-deflate') return 'needs permessage-deflate negotiated; generated scenarios cannot ask for an extension yet';
  return null;
}

/** `role/name` of every bug listed by name above (so that a test can check that each still exists). */
export const NAMED_UNREACHABLE: readonly string[] = Object.keys(NOT_GENERATED);
