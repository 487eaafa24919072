/** The files written after a run, beside the JSON reports: the HTML pages and, if asked, JUnit XML. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { caseReports, readReportFolder, writeHtmlReport } from '../report/html/index.js';
import { junitXml } from '../report/junit.js';
import type { Output } from './output.js';

export function writeRunReports(dir: string, junit: string | null, suiteName: string, out: Output): void {
  writeHtmlReport(dir);
  out.info(`html:    ${path.join(dir, 'index.html')}`);
  if (junit !== null) {
    writeFileSync(junit, junitXml(caseReports(readReportFolder(dir)), { suiteName }));
    out.info(`junit:   ${junit}`);
  }
}
