/**
 * The verdict of one (agent, case) cell as the report shows it, and how each
 * verdict looks. A case counts as FAILED when its behaviour FAILED or its
 * closing behaviour is anything but OK or INFORMATIONAL (UNCLEAN, WRONG CODE,
 * FAILED BY CLIENT, FAILED) — the rule of wscheck's exit status.
 */
import type { Behavior, BehaviorClose } from '../autobahn-types.js';

/** What a cell of the grid shows: a case's overall verdict, or MISSING when the agent has no result for it. */
export type CellVerdict = Behavior | 'MISSING';

/** The verdicts in the order the legend and the summary list them. */
export const CELL_VERDICTS: readonly CellVerdict[] = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'FAILED', 'MISSING'];

/** Is this closing behaviour acceptable (not a failure)? */
export function isCloseAcceptable(behaviorClose: BehaviorClose): boolean {
  return behaviorClose === 'OK' || behaviorClose === 'INFORMATIONAL';
}

/** The overall verdict of a case: FAILED if either part failed, else its behaviour. */
export function overallVerdict(behavior: Behavior, behaviorClose: BehaviorClose): Behavior {
  return behavior === 'FAILED' || !isCloseAcceptable(behaviorClose) ? 'FAILED' : behavior;
}

/** Short CSS class per verdict (kept short: a 517-case grid repeats them thousands of times). */
export const VERDICT_CLASS: Readonly<Record<CellVerdict, string>> = {
  OK: 'ok',
  'NON-STRICT': 'ns',
  INFORMATIONAL: 'in',
  UNIMPLEMENTED: 'un',
  FAILED: 'fa',
  MISSING: 'mi',
};

/** The word a cell shows. */
export const VERDICT_LABEL: Readonly<Record<CellVerdict, string>> = {
  OK: 'OK',
  'NON-STRICT': 'NON-STRICT',
  INFORMATIONAL: 'INFO',
  UNIMPLEMENTED: 'UNIMPLEMENTED',
  FAILED: 'FAILED',
  MISSING: 'Missing',
};

/** One sentence per verdict, for the legend. */
export const VERDICT_MEANING: Readonly<Record<CellVerdict, string>> = {
  OK: 'The peer did what a conforming implementation does.',
  'NON-STRICT': 'Conforming, through a choice the RFC allows but does not prefer (the case page names it).',
  INFORMATIONAL: 'The RFC leaves this behaviour open; shown for interest.',
  UNIMPLEMENTED: 'An optional feature (e.g. permessage-deflate) was not offered or accepted.',
  FAILED: 'The peer broke a MUST of the RFC, or the connection did not end as required.',
  MISSING: 'No result for this agent and case.',
};

/** CSS class for the closing-behaviour cell: OK, INFORMATIONAL, or failed. */
export function closeClass(behaviorClose: BehaviorClose): string {
  if (behaviorClose === 'OK') return VERDICT_CLASS.OK;
  if (behaviorClose === 'INFORMATIONAL') return VERDICT_CLASS.INFORMATIONAL;
  return VERDICT_CLASS.FAILED;
}
