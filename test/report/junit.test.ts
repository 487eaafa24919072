/**
 * JUnit XML: well-formed for a real XML parser (Python's expat, through
 * xml.etree, which is on every machine of this project's kind), and shaped
 * like the JUnit schema CI systems read (Jenkins, GitLab, Ant): testsuites >
 * testsuite > testcase with failure / skipped / system-out, and counts that
 * add up.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAutobahnCaseReport } from '../../src/report/autobahn-read.js';
import type { AutobahnCaseReport } from '../../src/report/autobahn-types.js';
import { junitXml, xmlAttribute, xmlText } from '../../src/report/junit.js';
import { readReportFolder } from '../../src/report/html/write-html-report.js';
import { caseReports, type AnyCaseReport } from '../../src/report/html/report-folder.js';
import { sharedAutobahnDir } from './published-fixtures.js';

/** An element as the parser saw it. */
interface XmlElement {
  readonly tag: string;
  readonly attrib: Readonly<Record<string, string>>;
  readonly text: string | null;
  readonly children: readonly XmlElement[];
}

const PARSE = `
import sys, json, xml.etree.ElementTree as ET
def conv(e):
    return {'tag': e.tag, 'attrib': dict(e.attrib), 'text': e.text, 'children': [conv(c) for c in e]}
try:
    root = ET.fromstring(sys.stdin.buffer.read())
except ET.ParseError as err:
    sys.stderr.write('not well-formed XML: %s\\n' % err)
    sys.exit(3)
sys.stdout.write(json.dumps(conv(root)))
`;

/** Parse with expat (strict XML 1.0 well-formedness); throws with the parser's message. */
function parseXml(xml: string): XmlElement {
  let out: string;
  try {
    out = execFileSync('python3', ['-c', PARSE], { input: Buffer.from(xml, 'utf8'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('python3 not found: the JUnit test parses the XML with Python\'s xml.etree (expat); install python3');
    throw new Error(err.stderr?.toString() || String(e));
  }
  return JSON.parse(out) as XmlElement;
}

const INTEGER = /^(0|[1-9][0-9]*)$/;
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

function checkAttributes(e: XmlElement, required: readonly string[], allowed: readonly string[]): void {
  for (const k of required) expect(e.attrib, `${e.tag} needs ${k}`).toHaveProperty(k);
  for (const k of Object.keys(e.attrib)) expect(allowed, `${e.tag} may not have ${k}`).toContain(k);
}

/**
 * The JUnit schema as CI systems read it (the Ant/Jenkins XSD's elements and
 * attributes): checks every element and attribute and that the counts add up.
 */
function checkJunitSchema(root: XmlElement): void {
  expect(root.tag).toBe('testsuites');
  checkAttributes(root, ['tests', 'failures', 'errors'], ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time', 'timestamp']);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of root.children) {
    expect(suite.tag).toBe('testsuite');
    checkAttributes(suite, ['name', 'tests', 'failures', 'errors'], ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time', 'timestamp', 'hostname', 'id', 'package']);
    for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(suite.attrib[k]).toMatch(INTEGER);
    expect(suite.attrib['time']).toMatch(DECIMAL);
    if (suite.attrib['timestamp'] !== undefined) expect(suite.attrib['timestamp']).toMatch(TIMESTAMP);
    const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const child of suite.children) {
      expect(['properties', 'testcase', 'system-out', 'system-err']).toContain(child.tag);
      if (child.tag === 'properties') {
        for (const p of child.children) {
          expect(p.tag).toBe('property');
          checkAttributes(p, ['name', 'value'], ['name', 'value']);
        }
        continue;
      }
      if (child.tag !== 'testcase') continue;
      counts.tests++;
      checkAttributes(child, ['name', 'classname', 'time'], ['name', 'classname', 'time', 'assertions', 'status', 'file', 'line']);
      expect(child.attrib['time']).toMatch(DECIMAL);
      const outcomes = child.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.tag));
      expect(outcomes.length, `${child.attrib['name']}: at most one outcome`).toBeLessThanOrEqual(1);
      for (const c of child.children) {
        expect(['failure', 'error', 'skipped', 'system-out', 'system-err']).toContain(c.tag);
        if (c.tag === 'failure' || c.tag === 'error') checkAttributes(c, ['message'], ['message', 'type']);
        if (c.tag === 'skipped') checkAttributes(c, [], ['message']);
        if (c.tag === 'failure') counts.failures++;
        if (c.tag === 'error') counts.errors++;
        if (c.tag === 'skipped') counts.skipped++;
      }
    }
    for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) {
      expect(Number(suite.attrib[k]), `${suite.attrib['name']} ${k}`).toBe(counts[k]);
      totals[k] += counts[k];
    }
  }
  for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) expect(Number(root.attrib[k]), `testsuites ${k}`).toBe(totals[k]);
}

function published(role: 'servers' | 'clients', id: string): AnyCaseReport {
  const file = path.join(sharedAutobahnDir(), 'published/percase/websockets_ws@aba4b70', role, `ws_8_18_3_case_${id.replace(/\./g, '_')}.json`);
  const read = readAutobahnCaseReport(readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

const HOSTILE_REASON = '</td><script>alert(1)</script> ]]> \u0000\u0007 "q" \ud800';

function wscheckFields(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0.1.0',
    firstDivergence: null,
    policyMatched: null,
    lints: [],
    replay: 'npx wscheck server ws://127.0.0.1:9001 --cases 1.1.1',
    notes: [],
    observations: [],
    wirelogTimes: [],
    acceptableTraces: { strict: 1, nonStrict: 0 },
    ...overrides,
  };
}

/** Two agents; every verdict; hostile text where a peer controls it. */
function sampleReports(): AutobahnCaseReport[] {
  const ok = published('servers', '1.1.1');
  const agentB = 'b"<agent>&\'';
  return [
    { ...ok, wscheck: wscheckFields({ lints: [{ id: 'mask-zero', message: 'zero mask <key>', rule: 'RFC 6455 §5.3' }] }) },
    { ...published('servers', '6.4.1'), wscheck: wscheckFields({ policyMatched: 'fails invalid UTF-8 at the end of the message' }) },
    published('servers', '7.1.6'),
    { ...published('servers', '12.1.1'), behavior: 'UNIMPLEMENTED', result: 'permessage-deflate was not negotiated' },
    {
      ...published('servers', '4.1.5'),
      agent: agentB,
      behavior: 'FAILED',
      behaviorClose: 'WRONG CODE',
      remoteCloseCode: 1000,
      remoteCloseReason: HOSTILE_REASON,
      wscheck: wscheckFields({
        firstDivergence: `expected Close frame with code 1002; observed text message "${HOSTILE_REASON}"`,
        replay: 'npx wscheck server ws://127.0.0.1:9001 --cases 4.1.5',
      }),
    },
    { ...ok, agent: agentB, behaviorClose: 'UNCLEAN', result: 'Actual events match at least one expected.', resultClose: 'The spec requires the connection to be failed cleanly here' },
    { ...published('servers', '2.1'), agent: agentB },
  ] as AutobahnCaseReport[];
}

describe('the XML parser of these tests', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/not well-formed/);
    expect(() => parseXml('<a>\u0000</a>')).toThrow(/not well-formed/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/not well-formed|duplicate/);
  });
});

describe('xml escaping', () => {
  it('escapes markup and writes characters XML cannot carry as \\uXXXX', () => {
    expect(xmlText('<a>&]]>\u0000\ud800x')).toBe('&lt;a&gt;&amp;]]&gt;\\u0000\\ud800x');
    expect(xmlAttribute('"a"\tb\nc\r')).toBe('&quot;a&quot;&#9;b&#10;c&#13;');
    expect(xmlText('\ud83d\ude00')).toBe('\ud83d\ude00');
  });
});

describe('junitXml', () => {
  const xml = junitXml(sampleReports(), { suiteName: 'wscheck servers' });
  const root = parseXml(xml);

  it('is well-formed XML with a declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });

  it('follows the JUnit schema CI systems read, with counts that add up', () => {
    checkJunitSchema(root);
    expect(root.attrib).toMatchObject({ name: 'wscheck servers', tests: '7', failures: '2', errors: '0', skipped: '1' });
  });

  it('has one testsuite per agent, sorted, with its cases in catalogue order', () => {
    expect(root.children.map((s) => s.attrib['name'])).toEqual(['b"<agent>&\'', 'ws@8.18.3']);
    const ws = root.children[1]!;
    expect(ws.children.filter((c) => c.tag === 'testcase').map((c) => c.attrib['name'])).toEqual(['1.1.1', '6.4.1', '7.1.6', '12.1.1']);
    expect(ws.attrib['timestamp']).toMatch(TIMESTAMP);
  });

  it('names classes by agent and category, times in seconds', () => {
    const ws = root.children[1]!.children.filter((c) => c.tag === 'testcase');
    expect(ws[0]!.attrib).toMatchObject({ classname: 'ws_8_18_3.1 Framing', time: (published('servers', '1.1.1').duration / 1000).toFixed(3) });
    expect(ws[3]!.attrib['classname']).toMatch(/^ws_8_18_3\.12/);
  });

  it('reports FAILED with the first divergence as the message and the replay command, reason text intact', () => {
    const b = root.children[0]!.children.filter((c) => c.tag === 'testcase');
    const failure = b.find((c) => c.attrib['name'] === '4.1.5')!.children[0]!;
    expect(failure.tag).toBe('failure');
    expect(failure.attrib['message']).toBe('expected Close frame with code 1002; observed text message "</td><script>alert(1)</script> ]]> \\u0000\\u0007 "q" \\ud800"');
    expect(failure.attrib['type']).toBe('behavior FAILED, close WRONG CODE');
    expect(failure.text).toContain('replay: npx wscheck server ws://127.0.0.1:9001 --cases 4.1.5');
    expect(failure.text).toContain('</td><script>alert(1)</script>');
    // A failure of the closing behaviour alone is a failure too.
    const unclean = b.find((c) => c.attrib['name'] === '1.1.1')!.children[0]!;
    expect(unclean.tag).toBe('failure');
    expect(unclean.attrib['type']).toBe('behavior OK, close UNCLEAN');
  });

  it('skips UNIMPLEMENTED and passes NON-STRICT and INFORMATIONAL with a note', () => {
    const ws = root.children[1]!.children.filter((c) => c.tag === 'testcase');
    expect(ws[3]!.children.map((c) => c.tag)).toEqual(['skipped']);
    expect(ws[3]!.children[0]!.attrib['message']).toBe('UNIMPLEMENTED: permessage-deflate was not negotiated');
    expect(ws[1]!.children.map((c) => [c.tag, c.text])).toEqual([['system-out', 'NON-STRICT: fails invalid UTF-8 at the end of the message']]);
    expect(ws[2]!.children[0]!.text).toMatch(/^INFORMATIONAL: /);
    expect(ws[0]!.children.map((c) => [c.tag, c.text])).toEqual([['system-out', 'lint mask-zero: zero mask <key>']]);
    expect(root.children[0]!.children.find((c) => c.attrib['name'] === '2.1')!.children).toEqual([]);
  });

  it('renders the published ws reports (517 cases per role)', () => {
    for (const role of ['servers', 'clients'] as const) {
      const folder = readReportFolder(path.join(sharedAutobahnDir(), 'published/percase/websockets_ws@aba4b70', role));
      const parsed = parseXml(junitXml(caseReports(folder), { suiteName: `ws ${role}` }));
      checkJunitSchema(parsed);
      expect(parsed.attrib).toMatchObject({ tests: '517', failures: '0', skipped: '0' });
    }
  });

  it('is empty but valid without reports', () => {
    const empty = parseXml(junitXml([], { suiteName: 'none' }));
    checkJunitSchema(empty);
    expect(empty.children).toEqual([]);
  });
});
