/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters, Azure):
 * the schema they share — `testsuites` > `testsuite` > `testcase` with
 * `failure`, `skipped` and `system-out`.
 *
 * One `testsuite` per agent: an agent is the thing a user ships and a CI
 * dashboard tracks, and its tests/failures/skipped counts then say how that
 * implementation did. Inside it, a `testcase` per case in catalogue order,
 * named by the case id, with the category as `classname`
 * (`<agent stem>.<category> <title>`, e.g. `ws_8_18_3.4 Opcodes`): the agent
 * stem keeps two agents' cases apart in tools that merge test cases across
 * suites by classname and name (Jenkins), and CI trees group by category.
 *
 * Verdicts: FAILED (behaviour, or a closing behaviour other than OK and
 * INFORMATIONAL) → `<failure>` with the first divergence as its message and
 * the replay command in its text; UNIMPLEMENTED → `<skipped>`; OK,
 * NON-STRICT and INFORMATIONAL pass, the last two with a `<system-out>` note.
 * Peer-controlled text (close reasons, divergences quoting payloads, agent
 * names) is escaped, and characters XML 1.0 cannot carry are written as
 * `\uXXXX`.
 */
import { compareCaseIds } from '../cases/catalogue.js';
import { agentFileStem } from './autobahn-file-names.js';
import type { AutobahnCaseReport } from './autobahn-types.js';
import { WSCHECK_VERSION } from './case-report.js';
import { casePageFileName, casePlace } from './html/report-folder.js';
import { overallVerdict } from './html/verdict.js';
import { wscheckFindings } from './html/wscheck-fields.js';

export interface JunitOptions {
  /** Name of the `<testsuites>` element, e.g. `wscheck servers`. */
  readonly suiteName: string;
}

/** Characters XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates). */
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(text: string): string {
  return text.replace(NOT_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text content: `& < >` escaped (and `]]>` cannot form). */
export function xmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value: also `"`, and tab/LF/CR as references so they survive attribute normalisation. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attributes(attrs: Readonly<Record<string, string | number>>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** `2026-11-26T00:17:44.367Z` → `2026-11-26T00:17:44` (the schema's timestamp has no zone; the time is UTC). */
function timestamp(iso: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(iso);
  return m === null ? null : m[1]!;
}

function classname(r: AutobahnCaseReport): string {
  const place = casePlace(r.id);
  return `${agentFileStem(r.agent)}.${place.category}${place.categoryTitle === null ? '' : ` ${place.categoryTitle}`}`;
}

function peerClose(r: AutobahnCaseReport): string {
  if (r.remoteCloseCode === null) return 'The peer sent no close code.';
  return `The peer closed with ${r.remoteCloseCode}${r.remoteCloseReason === null ? '' : `, reason ${JSON.stringify(r.remoteCloseReason)}`}.`;
}

function testcase(r: AutobahnCaseReport): { xml: string; failed: boolean; skipped: boolean } {
  const verdict = overallVerdict(r.behavior, r.behaviorClose);
  const w = wscheckFindings(r);
  const head = `    <testcase${attributes({ name: r.id, classname: classname(r), time: seconds(r.duration) })}`;
  const lints = (w?.lints ?? []).map((l) => `lint ${l.id}: ${l.message}`);
  if (verdict === 'FAILED') {
    const message = w?.firstDivergence ?? `${r.result} ${r.resultClose}`;
    const details = [
      ...(w?.firstDivergence == null ? [] : [`first divergence: ${w.firstDivergence}`]),
      ...(w?.replay == null ? [] : [`replay: ${w.replay}`]),
      `behaviour ${r.behavior}: ${r.result}`,
      `closing ${r.behaviorClose}: ${r.resultClose}`,
      peerClose(r),
      ...lints,
      `case page: ${casePageFileName(r.agent, r.id)}`,
    ];
    const type = `behavior ${r.behavior}, close ${r.behaviorClose}`;
    return {
      xml: `${head}>\n      <failure${attributes({ message, type })}>${xmlText(details.join('\n'))}</failure>\n    </testcase>`,
      failed: true,
      skipped: false,
    };
  }
  if (verdict === 'UNIMPLEMENTED') {
    return { xml: `${head}>\n      <skipped${attributes({ message: `UNIMPLEMENTED: ${r.result}` })}/>\n    </testcase>`, failed: false, skipped: true };
  }
  const notes: string[] = [];
  if (verdict === 'NON-STRICT') notes.push(`NON-STRICT: ${w?.policyMatched ?? r.result}`);
  if (verdict === 'INFORMATIONAL') notes.push(`INFORMATIONAL: ${r.result}`);
  notes.push(...lints);
  if (notes.length === 0) return { xml: `${head}/>`, failed: false, skipped: false };
  return { xml: `${head}>\n      <system-out>${xmlText(notes.join('\n'))}</system-out>\n    </testcase>`, failed: false, skipped: false };
}

/** JUnit XML of case reports (wscheck's or Autobahn's), one testsuite per agent, agents sorted by name. */
export function junitXml(reports: readonly AutobahnCaseReport[], options: JunitOptions): string {
  const byAgent = new Map<string, AutobahnCaseReport[]>();
  for (const r of reports) {
    let list = byAgent.get(r.agent);
    if (list === undefined) byAgent.set(r.agent, (list = []));
    list.push(r);
  }
  const agents = [...byAgent.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const totals = { tests: 0, failures: 0, skipped: 0, ms: 0 };
  const suites = agents.map((agent) => {
    const list = byAgent.get(agent)!.slice().sort((a, b) => compareCaseIds(a.id, b.id));
    const cases = list.map(testcase);
    const failures = cases.filter((c) => c.failed).length;
    const skipped = cases.filter((c) => c.skipped).length;
    const ms = list.reduce((sum, r) => sum + r.duration, 0);
    totals.tests += list.length;
    totals.failures += failures;
    totals.skipped += skipped;
    totals.ms += ms;
    const started = list.map((r) => r.started).sort()[0];
    const stamp = started === undefined ? null : timestamp(started);
    const attrs = {
      name: agent,
      tests: list.length,
      failures,
      errors: 0,
      skipped,
      time: seconds(ms),
      ...(stamp === null ? {} : { timestamp: stamp }),
    };
    const tested = list.every((r) => r.isServer) ? 'client' : list.every((r) => !r.isServer) ? 'server' : 'mixed';
    const properties =
      '    <properties>\n' +
      `      <property${attributes({ name: 'wscheck.version', value: WSCHECK_VERSION })}/>\n` +
      `      <property${attributes({ name: 'tested', value: tested })}/>\n` +
      '    </properties>';
    return `  <testsuite${attributes(attrs)}>\n${properties}\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`;
  });
  const rootAttrs = { name: options.suiteName, tests: totals.tests, failures: totals.failures, errors: 0, skipped: totals.skipped, time: seconds(totals.ms) };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes(rootAttrs)}>\n${suites.join('\n')}${suites.length === 0 ? '' : '\n'}</testsuites>\n`;
}
