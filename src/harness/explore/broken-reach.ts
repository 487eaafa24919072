/**
 * Which of the deliberately broken peers exploration can reach, and why not
 * the others. Generated scenarios vary the frames after a fixed, valid
 * opening handshake, declare no limits and do not negotiate
 * permessage-deflate, and a verdict (not a lint) is what makes a
 * counterexample; a bug that needs anything else is out of reach. The
 * exploration tests and bench read this, and docs/broken-targets.md lists it.
 */
import type { BrokenBug } from '../targets/broken/bugs.js';

const HANDSHAKE =
  'the bug is in the opening handshake (or in octets that arrive with it); every generated scenario opens with the same valid handshake and sends its first frame after the answer';

/** Bugs whose input the arbitraries never generate, by `role/name`. */
const NOT_GENERATED: Readonly<Record<string, string>> = {
  'server/length64-low-word-only':
    'needs a 64-bit length with the high word set and the top bit clear; without a declared limit a conforming peer may wait for those 4 GiB, so only the declared-limit cases (15.2.2, 16.2.1) can call the answer wrong, and exploration declares no limit',
};

/** Why exploration cannot find `bug`, or null when it can. */
export function unreachableBecause(bug: BrokenBug): string | null {
  const listed = NOT_GENERATED[`${bug.role}/${bug.name}`];
  if (listed !== undefined) return listed;
  const d = bug.demonstration;
  if (d.kind === 'lint') return 'RFC 6455 allows what the peer does (wscheck reports a lint); exploration judges verdicts only';
  if (d.kind === 'not-expressible') return d.why;
  // A handshake the tester cannot complete fails every scenario (wrong-accept-key); other handshake bugs need a different request or answer.
  if (bug.bugClass === 'opening handshake' && d.kind !== 'handshake') return HANDSHAKE;
  if (bug.bugClass === 'limits and resources') return 'needs a declared message or frame limit; exploration declares none';
  if (bug.bugClass === 'permessage-deflate') return 'needs permessage-deflate negotiated; generated scenarios cannot ask for an extension yet';
  return null;
}

/** `role/name` of every bug listed by name above (so that a test can check that each still exists). */
export const NAMED_UNREACHABLE: readonly string[] = Object.keys(NOT_GENERATED);
