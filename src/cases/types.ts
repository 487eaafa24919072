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
  /**
   * Whose catalogue the case belongs to: Autobahn's (ids and numbering kept
   * exactly; the default) or wscheck's own categories, numbered after them.
   */
  readonly origin?: 'autobahn' | 'wscheck';
  /** The rule the case checks, e.g. `RFC 6455 §4.2.1` (wscheck's cases name one). */
  readonly rfc?: string;
  /** Real-world bugs of this class the case would have caught. */
  readonly advisories?: readonly Advisory[];
}

/** A published bug: a CVE, a GitHub advisory or an issue. */
export interface Advisory {
  /** `CVE-2021-32640`, `GHSA-…`, `websockets#1720`. */
  readonly id: string;
  /** Where it is described. */
  readonly url: string;
  /** The affected project, e.g. `ws`. */
  readonly project: string;
}
