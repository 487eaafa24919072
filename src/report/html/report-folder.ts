/**
 * One output role folder (e.g. `reports/servers`) as the HTML report sees it:
 * the union of its `index.json` and its per-case reports, by case and agent,
 * in catalogue order with the catalogue's category titles. Pure: the files
 * are read elsewhere (`write-html-report.ts`).
 */
import { compareCaseIds, findCase } from '../../cases/catalogue.js';
import { caseReportFileName } from '../autobahn-file-names.js';
import type { AutobahnCaseReport, Behavior, BehaviorClose, LenientAutobahnIndex, WithUnknownKeys } from '../autobahn-types.js';
import { overallVerdict } from './verdict.js';

/** A case report as read from disk; wscheck's own reports carry a `wscheck` object, Autobahn's do not. */
export type AnyCaseReport = WithUnknownKeys<AutobahnCaseReport>;

/** One agent's result for one case. */
export interface FolderResult {
  readonly agent: string;
  readonly caseId: string;
  readonly behavior: Behavior;
  readonly behaviorClose: BehaviorClose;
  /** `behavior`, or FAILED when the closing behaviour failed. */
  readonly verdict: Behavior;
  /** Milliseconds, when known. */
  readonly duration: number | null;
  readonly remoteCloseCode: number | null;
  /** The per-case report, when its file was there and readable. */
  readonly report: AnyCaseReport | null;
  /** File name of the case page (next to the JSON), null without a case report. */
  readonly page: string | null;
}

/** A case id's place in the catalogue. */
export interface CasePlace {
  readonly id: string;
  readonly category: string;
  readonly categoryTitle: string | null;
  /** Sub-category id; equal to `id` for cases that have none. */
  readonly subcategory: string;
  readonly subcategoryTitle: string | null;
}

export interface ReportFolder {
  /** Agent names, sorted. */
  readonly agents: readonly string[];
  /** Every case id some agent has a result for, in catalogue order. */
  readonly cases: readonly CasePlace[];
  /** Case id → agent → result. */
  readonly results: ReadonlyMap<string, ReadonlyMap<string, FolderResult>>;
  /** Who was under test, from the reports' `isServer`: null when unknown or mixed. */
  readonly tested: 'servers' | 'clients' | null;
  /** Earliest and latest `started` of the case reports (ISO text), null without case reports. */
  readonly period: { readonly first: string; readonly last: string } | null;
  /** Files that could not be read, one line each (`name: reason`). */
  readonly problems: readonly string[];
}

/** The HTML page of a case report: its JSON file name with `.html`. */
export function casePageFileName(agent: string, caseId: string): string {
  return caseReportFileName(agent, caseId).replace(/\.json$/, '.html');
}

/** Where a case id sits: the catalogue's titles when wscheck knows the case, else ids only. */
export function casePlace(id: string): CasePlace {
  const known = findCase(id);
  if (known !== undefined) {
    return {
      id,
      category: known.category,
      categoryTitle: known.categoryTitle,
      subcategory: known.subcategory,
      subcategoryTitle: known.subcategoryTitle,
    };
  }
  const parts = id.split('.');
  return {
    id,
    category: parts[0]!,
    categoryTitle: null,
    subcategory: parts.length >= 3 ? parts.slice(0, 2).join('.') : id,
    subcategoryTitle: null,
  };
}

/**
 * Merge an `index.json` (or null when the folder has none) with the case
 * reports found beside it. A case report wins over its index entry (it is
 * what the case page shows); an index entry without a report still makes a
 * cell, without a link.
 */
export function reportFolder(
  index: LenientAutobahnIndex | null,
  reports: readonly AnyCaseReport[],
  problems: readonly string[] = [],
): ReportFolder {
  const results = new Map<string, Map<string, FolderResult>>();
  const put = (r: FolderResult): void => {
    let byAgent = results.get(r.caseId);
    if (byAgent === undefined) results.set(r.caseId, (byAgent = new Map()));
    byAgent.set(r.agent, r);
  };
  for (const [agent, cases] of Object.entries(index ?? {})) {
    for (const [caseId, e] of Object.entries(cases)) {
      put({
        agent,
        caseId,
        behavior: e.behavior,
        behaviorClose: e.behaviorClose,
        verdict: overallVerdict(e.behavior, e.behaviorClose),
        duration: e.duration ?? null,
        remoteCloseCode: e.remoteCloseCode ?? null,
        report: null,
        page: null,
      });
    }
  }
  const roles = new Set<boolean>();
  let first: string | null = null;
  let last: string | null = null;
  for (const r of reports) {
    roles.add(r.isServer);
    if (first === null || r.started < first) first = r.started;
    if (last === null || r.started > last) last = r.started;
    put({
      agent: r.agent,
      caseId: r.id,
      behavior: r.behavior,
      behaviorClose: r.behaviorClose,
      verdict: overallVerdict(r.behavior, r.behaviorClose),
      duration: r.duration,
      remoteCloseCode: r.remoteCloseCode,
      report: r,
      page: casePageFileName(r.agent, r.id),
    });
  }
  const agents = new Set<string>();
  for (const byAgent of results.values()) for (const agent of byAgent.keys()) agents.add(agent);
  return {
    agents: [...agents].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    cases: [...results.keys()].sort(compareCaseIds).map(casePlace),
    results,
    tested: roles.size === 1 ? (roles.has(true) ? 'clients' : 'servers') : null,
    period: first === null || last === null ? null : { first, last },
    problems,
  };
}

/** The case reports of a folder (those whose file was readable), by case in catalogue order, then agent. */
export function caseReports(folder: ReportFolder): AnyCaseReport[] {
  const out: AnyCaseReport[] = [];
  for (const place of folder.cases) {
    for (const agent of folder.agents) {
      const report = folder.results.get(place.id)?.get(agent)?.report;
      if (report != null) out.push(report);
    }
  }
  return out;
}
