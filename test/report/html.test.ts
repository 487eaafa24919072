/**
 * The HTML report at the string level: the sections of a case page, the
 * grid of the index, the escaping of every peer-controlled string, and the
 * published Autobahn folders rendering without error.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readAutobahnCaseReport } from '../../src/report/autobahn-read.js';
import { CASE_SCRIPT, casePage } from '../../src/report/html/case-page.js';
import { escapeHtml } from '../../src/report/html/escape-html.js';
import { safeFragment } from '../../src/report/html/html-fragment.js';
import { indexPage } from '../../src/report/html/index-page.js';
import { casePageFileName, reportFolder, type AnyCaseReport } from '../../src/report/html/report-folder.js';
import { closeBodyText } from '../../src/report/html/wire-log.js';
import { ReportFolderError, findReportFolders, readReportFolder, writeHtmlReport } from '../../src/report/html/write-html-report.js';
import { tempDir } from '../support/cli.js';
import { publishedPerCaseFolders, sharedAutobahnDir } from './published-fixtures.js';

const HOSTILE_REASON = '</td><script>alert(1)</script>';
const HOSTILE_AGENT = 'evil"onmouseover=alert(1) x=\'<b>';

/** A published Autobahn case report of ws (4.1.5: events, close codes, a wire log with frames). */
function publishedReport(role: 'servers' | 'clients', id: string): AnyCaseReport {
  const file = path.join(sharedAutobahnDir(), 'published/percase/websockets_ws@aba4b70', role, `ws_8_18_3_case_${id.replace(/\./g, '_')}.json`);
  const read = readAutobahnCaseReport(readFileSync(file, 'utf8'), { source: file });
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

/** A FAILED report with hostile text in every peer-controlled field and wscheck's findings. */
function hostileReport(): AnyCaseReport {
  const base = publishedReport('servers', '4.1.5');
  return {
    ...base,
    agent: HOSTILE_AGENT,
    behavior: 'FAILED',
    behaviorClose: 'WRONG CODE',
    remoteCloseCode: 1000,
    remoteCloseReason: HOSTILE_REASON,
    localCloseReason: '<img src=x onerror=alert(2)>',
    description: 'Send <b>three</b> frames<br>then <script>alert(3)</script> &amp; wait',
    expectation: 'Echo <i>then</i> close <a href="javascript:alert(4)">x</a>',
    httpResponse: 'HTTP/1.1 101 Switching Protocols\r\nX-Evil: </pre><script>alert(5)</script>\r\n\r\n',
    received: [['message', '<svg onload=alert(6)>', false], ['pong', '"\'><script>alert(7)</script>']],
    result: 'Actual events differ <script>alert(8)</script>',
    wirelog: [
      ...base.wirelog,
      ['RF', [40, '</td></tr><script>alert(9)</script>'], 1, true, 0, false, null],
      ['RF', [41, `0x03e8${Buffer.from(HOSTILE_REASON).toString('hex')}`], 8, true, 0, false, null],
    ],
    wscheck: {
      version: '0.1.0',
      firstDivergence: 'expected close 1002 after frame 2; observed text message "<script>alert(10)</script>"',
      policyMatched: null,
      lints: [{ id: 'close-reason-nul', message: 'reason padded with \u0000 octets <b>', rule: 'RFC 6455 §5.5.1' }],
      replay: 'npx wscheck server ws://127.0.0.1:9001 --cases 4.1.5 --agent "</pre><script>alert(11)</script>"',
      notes: ['a note <script>alert(12)</script>'],
      observations: ['text message "</li><script>alert(13)</script>"'],
      wirelogTimes: [...base.wirelog, 0, 0].map((_, i) => i * 1.5),
      acceptableTraces: { strict: 2, nonStrict: 1 },
      liveness: { ok: false, detail: 'a new connection was refused its opening handshake (<script>alert(14)</script>)' },
    },
  };
}

/** The page's tags, in order, without their text: what a peer must never be able to change. */
function tagSkeleton(html: string): string[] {
  return [...html.matchAll(/<\/?[a-zA-Z][^>]*>/g)].map((m) => m[0].replace(/="[^"]*"/g, '=""'));
}

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('escapeHtml', () => {
  it('escapes the five markup characters for text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('shows control characters as Unicode control pictures', () => {
    expect(escapeHtml('a\u0000b\u001b\u007f\tc\n')).toBe('a\u2400b\u241b\u2421\tc\n');
  });

  it('leaves no markup character in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
      }),
      { seed: 6455, numRuns: 300 },
    );
  });
});

describe('safeFragment (descriptions and expectations)', () => {
  it('keeps <br> and balanced bare formatting tags', () => {
    expect(safeFragment('a<br>b <b>bold</b> <i>x')).toBe('a<br>b <b>bold</b> <i>x</i>');
  });

  it('shows any other markup as text', () => {
    expect(safeFragment('<script>alert(1)</script><b onclick="x">y</b>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=&quot;x&quot;&gt;y',
    );
  });

  it('decodes character references, then escapes again (no double escaping, no smuggling)', () => {
    expect(safeFragment('echo&#39;ed &amp; &lt;script&gt;')).toBe('echo&#39;ed &amp; &lt;script&gt;');
  });
});

describe('case page', () => {
  const html = casePage(hostileReport());

  it('has the sections of an Autobahn case page and wscheck’s additions', () => {
    for (const id of ['description', 'expectation', 'outcome', 'closing', 'handshake', 'statistics', 'wirelog', 'divergence', 'replay', 'lints', 'notes']) {
      expect(html, id).toContain(`id="${id}"`);
    }
    for (const field of ['isServer', 'closedByMe', 'failedByMe', 'droppedByMe', 'wasClean', 'wasNotCleanReason', 'wasServerConnectionDropTimeout', 'wasOpenHandshakeTimeout', 'wasCloseHandshakeTimeout', 'localCloseCode', 'localCloseReason', 'remoteCloseCode', 'remoteCloseReason']) {
      expect(html).toContain(`<tr><td>${field}</td>`);
    }
    expect(html).toContain('First divergence');
    expect(html).toContain('Octets received');
    expect(html).toContain('Frames transmitted');
    expect(html).toContain('reserved opcode 7');
    expect(html).toContain('<th class="num">ms</th>');
  });

  it('escapes the hostile close reason, agent name and every other peer string', () => {
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('evil&quot;onmouseover=alert(1) x=&#39;&lt;b&gt;');
    expect(html).not.toContain('"onmouseover=');
    expect(html).not.toMatch(/<script>alert|<img|<svg|<a href="javascript/);
    // The only script is the page's own copy button.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script>${CASE_SCRIPT}</script>`);
  });

  it('decodes a Close frame body in the wire log, escaped', () => {
    expect(closeBodyText('0x03e8')).toBe('code 1000');
    expect(closeBodyText(`0x03ea${Buffer.from('bye').toString('hex')}`)).toBe('code 1002, reason \u201cbye\u201d');
    expect(closeBodyText('0x03e8 ...')).toBeNull();
    expect(html).toContain('= code 1000, reason \u201c&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u201d');
  });

  it('keeps the same tag skeleton whatever the peer sends as a close reason', () => {
    const benign = tagSkeleton(casePage({ ...hostileReport(), remoteCloseReason: 'bye' }));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 123 }), (reason) => {
        const page = casePage({ ...hostileReport(), remoteCloseReason: reason });
        expect(page).toContain(escapeHtml(reason));
        expect(tagSkeleton(page)).toEqual(benign);
      }),
      { seed: 6455, numRuns: 100 },
    );
  });

  it('shows the liveness probe after an abusive case, and none when the case did not probe', () => {
    expect(html).toContain('<h2>Liveness probe</h2>');
    expect(html).toContain('the peer is no longer serving');
    const probed = hostileReport() as AnyCaseReport & { wscheck: Record<string, unknown> };
    const alive = casePage({ ...probed, wscheck: { ...probed.wscheck, liveness: { ok: true, detail: 'echoed in 3 ms' } } } as AnyCaseReport);
    expect(alive).toContain('the peer is still serving. echoed in 3 ms');
    const { liveness: _, ...unprobed } = probed.wscheck;
    expect(casePage({ ...probed, wscheck: unprobed } as AnyCaseReport)).not.toContain('Liveness probe');
  });

  it('renders an Autobahn report (no wscheck object) without findings and without a script', () => {
    const page = casePage(publishedReport('clients', '6.4.1'));
    expect(page).toContain('no wscheck findings');
    expect(page).not.toContain('<script');
    expect(page).toContain('script-src &#39;none&#39;');
    expect(page).toContain('Also accepted (NON-STRICT)');
    expect(page).toContain('The tester sent the first Close frame');
  });
});

describe('index page', () => {
  const ok = publishedReport('servers', '1.1.1');
  const nonStrict = publishedReport('servers', '6.4.1');
  const timed = publishedReport('servers', '9.1.1');
  const hostile = { ...hostileReport(), id: '4.1.5' };
  const other = { ...ok, agent: 'other@1' };
  const folder = reportFolder(null, [ok, nonStrict, timed, hostile, other, { ...publishedReport('servers', '12.1.1'), agent: 'other@1', behavior: 'UNIMPLEMENTED' }]);
  const html = indexPage(folder);

  it('orders the cases as the catalogue does and groups them by category and sub-category', () => {
    const ids = [...html.matchAll(/<tr(?: class="[fn ]*")?><th>([0-9.]+)<\/th>/g)].map((m) => m[1]);
    expect(ids).toEqual(['1.1.1', '4.1.5', '6.4.1', '9.1.1', '12.1.1']);
    expect(html).toMatch(/<tr class="c[^"]*"><th colspan="7"><span>1 Framing<\/span>/);
    expect(html).toMatch(/<tr class="s[^"]*"><th colspan="7"><span>1.1 Text Messages<\/span>/);
    expect(html).toMatch(/<tr class="c[^"]*"><th colspan="7"><span>12 WebSocket Compression \(different payloads\)<\/span>/);
  });

  it('colours cells by verdict, links the case pages, shows close codes, durations and Missing', () => {
    expect(html).toContain(`<td class="ok"><a href="${casePageFileName('ws@8.18.3', '1.1.1')}">OK</a></td><td class="cl ok">1000</td>`);
    expect(html).toContain('<td class="ns"><a href="ws_8_18_3_case_6_4_1.html">NON-STRICT</a></td><td class="cl ok">1007</td>');
    expect(html).toMatch(/<td class="ok"><a href="ws_8_18_3_case_9_1_1.html">OK<\/a><small>\d+ ms<\/small><\/td>/);
    expect(html).toContain('<td class="fa"><a href="evil_onmouseover_alert_1__x___b_case_4_1_5.html">FAILED</a><small>lint</small></td><td class="cl fa" title="closing behaviour: WRONG CODE">1000</td>');
    expect(html).toContain('<td class="mi" colspan="2">Missing</td>');
    expect(html).toMatch(/<td class="un" colspan="2"><a href="other_1_case_12_1_1.html">UNIMPLEMENTED<\/a><small>\d+ ms<\/small><small>0.292\/0.985<\/small><\/td>/);
  });

  it('flags rows for the filters and counts them', () => {
    expect(html).toMatch(/<tr class="f"><th>4.1.5<\/th>/);
    expect(html).toMatch(/<tr class="n"><th>6.4.1<\/th>/);
    expect(html).toMatch(/<tr><th>1.1.1<\/th>/);
    expect(html).toContain('Only FAILED (1)');
    expect(html).toContain('Only NON-STRICT (1)');
    expect(html).toContain('id="show-failed"');
  });

  it('escapes agent names everywhere and has no script at all', () => {
    expect(html).not.toContain('"onmouseover=');
    expect(html).toContain('evil&quot;onmouseover=alert(1) x=&#39;&lt;b&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('summarises per agent', () => {
    expect(html).toMatch(/<tr><th>ws@8.18.3<\/th><td class="num"><span class="chip ok">2<\/span><\/td><td class="num"><span class="chip ns">1<\/span><\/td>/);
  });
});

describe('writeHtmlReport', () => {
  it.each(publishedPerCaseFolders().map((d) => [path.relative(sharedAutobahnDir(), d), d]))('renders the published folder %s', (_name, src) => {
    const dir = tempDir('html-published');
    tmpDirs.push(dir);
    cpSync(src, dir, { recursive: true });
    writeHtmlReport(dir);
    const jsons = readdirSync(dir).filter((n) => /_case_[0-9_]+\.json$/.test(n));
    const pages = readdirSync(dir).filter((n) => /_case_[0-9_]+\.html$/.test(n));
    expect(pages.sort()).toEqual(jsons.map((n) => n.replace(/\.json$/, '.html')).sort());
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).not.toContain('Files not shown');
    // Light: the 517-case grid of a full Autobahn run stays well under 150 kB.
    expect(index.length).toBeLessThan(150_000);
    for (const page of pages.slice(0, 3)) expect(readFileSync(path.join(dir, page), 'utf8')).toContain('id="wirelog"');
  });

  it('lists unreadable files on the index instead of failing', () => {
    const dir = tempDir('html-junk');
    tmpDirs.push(dir);
    writeFileSync(path.join(dir, 'junk_case_1_1_1.json'), '{"agent": "<script>"}');
    writeFileSync(path.join(dir, 'index.json'), 'not json');
    writeHtmlReport(dir);
    const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).toContain('Files not shown');
    expect(index).toContain('junk_case_1_1_1.json');
    expect(index).toContain('index.json: not JSON');
    expect(readReportFolder(dir).problems).toHaveLength(2);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => writeHtmlReport('/nonexistent/wscheck/reports')).toThrow(ReportFolderError);
  });

  it('finds the role folders of an output folder', () => {
    const out = tempDir('html-out');
    tmpDirs.push(out);
    mkdirSync(path.join(out, 'servers'));
    mkdirSync(path.join(out, 'clients'));
    writeFileSync(path.join(out, 'servers', 'index.json'), '{}');
    expect(findReportFolders(out)).toEqual([path.join(out, 'servers')]);
    expect(findReportFolders(path.join(out, 'servers'))).toEqual([path.join(out, 'servers')]);
    expect(existsSync(path.join(out, 'clients', 'index.html'))).toBe(false);
  });
});
