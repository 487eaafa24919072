/**
 * A catalogue case: a scenario with an id, a place in the catalogue and words
 * for people. Expectations are never part of a case; the oracle computes them.
 */
import type { Scenario } from '../model/scenario.js';

export interface CaseDefinition {
  /** Dotted id, e.g. `4.1.5` (Autobahn's ids for its categories). */
  readonly id: string;
  readonly category: string;
  readonly categoryTitle: string;
  /** `4.1`, or the id itself for categories without sub-categories. */
  readonly subcategory: string;
  readonly subcategoryTitle: string | null;
  /** What the tester does, in wscheck's words (plain text). */
  readonly description: string;
  /** What a conforming peer does, in wscheck's words (plain text). */
  readonly expectation: string;
  /** Builds the scenario (payloads are materialised on demand; some are large). */
  readonly scenario: () => Scenario;
  /** Report the case's duration (performance cases). */
  readonly reportTime?: boolean;
  readonly reportCompressionRatio?: boolean;
}
