/**
 * `wscheck/report`: results as Autobahn-compatible files (per-case JSON and
 * index.json, byte-compatible serialisation), readers for published reports,
 * and the terminal summary.
 */
export * from './autobahn-json.js';
export * from './case-report.js';
export { ReportDirectory } from './report-directory.js';
export { caseLine, isFailure, summary, type TerminalOptions } from './terminal.js';
export * from './html/index.js';
export { junitXml, type JunitOptions } from './junit.js';
