/**
 * The chopped replay of a case (`--chop`): the same case, id and frames, with
 * every write of the tester re-cut by a segmentation. Its results are those of
 * an agent of their own, `<agent> (chop <pattern>)`, so that case ids, report
 * file names and index.json stay Autobahn's and the HTML grid shows each
 * pattern as a column beside the plain run.
 */
import { type Segmentation, describeSegmentation, segmentationName } from '../model/segmentation.js';
import type { CaseDefinition } from './types.js';

export interface ChoppedCase extends CaseDefinition {
  readonly chop: Segmentation;
}

export function choppedCase(c: CaseDefinition, chop: Segmentation): ChoppedCase {
  return {
    ...c,
    description: `${c.description} Chopped replay (${segmentationName(chop)}): ${describeSegmentation(chop)}.`,
    scenario: () => ({ ...c.scenario(), segmentation: chop }),
    chop,
  };
}

/** The segmentation of a chopped replay, or null for a case as the catalogue has it. */
export function chopOf(c: CaseDefinition): Segmentation | null {
  return 'chop' in c ? (c as ChoppedCase).chop : null;
}

/** The agent a replay's results are reported under: `ws@8.18.3 (chop header)`. */
export function chopAgent(agent: string, chop: Segmentation | null): string {
  return chop === null ? agent : `${agent} (chop ${segmentationName(chop)})`;
}

/** What a replay command needs to run the same segmentation again (empty for a plain case). */
export function chopArgument(chop: Segmentation | null): string {
  return chop === null ? '' : ` --chop ${segmentationName(chop)}`;
}
