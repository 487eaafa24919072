/**
 * A catalogue case: a scenario with an id, a place in the catalogue and words
 * for people. Expectations are never part of a case; the oracle computes them.
 */
import type { DeclaredLimits } from '../model/limits.js';
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
  /**
   * Builds the scenario for a peer that declared its limits (`--max-message`,
   * `--max-frame`); `scenario()` is the case with no limits declared. Only
   * cases whose expectation depends on the limits have it (categories
   * 15-16); `withDeclaredLimits` (declared-limits.ts) binds it.
   */
  readonly scenarioWithLimits?: (limits: DeclaredLimits) => Scenario;
  /** The limits `scenario()` was bound to, when they were declared (for reports). */
  readonly declaredLimits?: DeclaredLimits;
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
  /**
   * The roles of the implementation under test the case applies to (a
   * request variation tests servers only, a 101 variation clients only).
   * Default: both.
   */
  readonly roles?: readonly ('server' | 'client')[];
  /**
   * Run the case with no other case beside it: it loads the peer enough to
   * slow every concurrent case past its timers, or it times the peer's answer
   * against a baseline that concurrent load would distort.
   */
  readonly exclusive?: boolean;
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
