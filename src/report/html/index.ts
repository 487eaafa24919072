/**
 * The HTML report: `index.html` (agents × cases) and a page per case, from
 * the JSON files of an output role folder.
 */
export { casePage, type CasePageOptions } from './case-page.js';
export { escapeHtml } from './escape-html.js';
export { indexPage } from './index-page.js';
export { caseReports, casePageFileName, reportFolder, type AnyCaseReport, type FolderResult, type ReportFolder } from './report-folder.js';
export { ReportFolderError, findReportFolders, readReportFolder, writeHtmlReport } from './write-html-report.js';
