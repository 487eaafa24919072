/**
 * Writing the HTML report of an output folder: `index.html` and one page per
 * case report, next to the JSON files. Works on wscheck's folders and on the
 * Autobahn testsuite's own (no `wscheck` object, maybe no `index.json`).
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readAutobahnCaseReport, readAutobahnIndex } from '../autobahn-read.js';
import type { LenientAutobahnIndex } from '../autobahn-types.js';
import { casePage } from './case-page.js';
import { indexPage } from './index-page.js';
import { reportFolder, type AnyCaseReport, type ReportFolder } from './report-folder.js';

/** A folder that cannot be rendered (missing, or not a folder). */
export class ReportFolderError extends Error {
  override readonly name = 'ReportFolderError';
}

/** Read a role folder's `index.json` (if any) and every readable case report in it; unreadable files become `problems`. */
export function readReportFolder(dir: string): ReportFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportFolderError(`${dir}: no such folder`);
  const problems: string[] = [];
  let index: LenientAutobahnIndex | null = null;
  const reports: AnyCaseReport[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file, 'utf8');
    if (name === 'index.json') {
      const read = readAutobahnIndex(text, { source: name });
      if (read.ok) index = read.value;
      else problems.push(read.error);
      continue;
    }
    const read = readAutobahnCaseReport(text, { source: name });
    if (read.ok) reports.push(read.value);
    else problems.push(read.error);
  }
  return reportFolder(index, reports, problems);
}

/**
 * Write `index.html` and a page per case report (`<agent>_case_<id>.html`)
 * into `dir`, a role folder such as `reports/servers`. Files that are not
 * readable reports are listed on the index page, not fatal. Throws
 * `ReportFolderError` when `dir` is not a folder.
 */
export function writeHtmlReport(dir: string): void {
  const folder = readReportFolder(dir);
  for (const byAgent of folder.results.values()) {
    for (const r of byAgent.values()) {
      if (r.report !== null && r.page !== null) writeFileSync(path.join(dir, r.page), casePage(r.report));
    }
  }
  writeFileSync(path.join(dir, 'index.html'), indexPage(folder));
}

/**
 * The role folders of an output folder: `dir` itself when it holds JSON
 * reports, else its `servers` and `clients` sub-folders that do (for
 * `wscheck report reports/`).
 */
export function findReportFolders(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportFolderError(`${dir}: no such folder`);
  const holdsReports = (d: string): boolean => readdirSync(d).some((n) => n === 'index.json' || /_case_[0-9_]+\.json$/.test(n));
  if (holdsReports(dir)) return [dir];
  return ['servers', 'clients'].map((sub) => path.join(dir, sub)).filter((d) => existsSync(d) && statSync(d).isDirectory() && holdsReports(d));
}
