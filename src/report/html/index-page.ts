/**
 * `index.html`: every case of a role folder in catalogue order, grouped by
 * category and sub-category, one column pair per agent (behaviour, closing
 * code), coloured by verdict; a summary per agent, a legend, and filters that
 * show only the FAILED or only the NON-STRICT rows.
 *
 * The filters are radio buttons placed before the grid and CSS sibling
 * selectors: they work with scripts disabled, and the page has no script.
 * A cell is a `<td>` with a class and at most a link and a `<small>`, so a
 * 517-case grid stays a few dozen kilobytes.
 */
import { WSCHECK_VERSION } from '../case-report.js';
import { escapeHtml } from './escape-html.js';
import { htmlPage } from './page.js';
import { readableTime } from './readable-time.js';
import type { CasePlace, FolderResult, ReportFolder } from './report-folder.js';
import { INDEX_CSS } from './stylesheet.js';
import { wscheckFindings } from './wscheck-fields.js';
import { CELL_VERDICTS, VERDICT_CLASS, VERDICT_LABEL, VERDICT_MEANING, closeClass, isCloseAcceptable, type CellVerdict } from './verdict.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts of cell verdicts per agent (MISSING for cases the agent lacks). */
function countsByAgent(folder: ReportFolder): Map<string, Map<CellVerdict, number>> {
  const counts = new Map<string, Map<CellVerdict, number>>();
  for (const agent of folder.agents) counts.set(agent, new Map());
  for (const place of folder.cases) {
    const byAgent = folder.results.get(place.id);
    for (const agent of folder.agents) {
      const v: CellVerdict = byAgent?.get(agent)?.verdict ?? 'MISSING';
      const c = counts.get(agent)!;
      c.set(v, (c.get(v) ?? 0) + 1);
    }
  }
  return counts;
}

function summaryTable(folder: ReportFolder): string {
  const counts = countsByAgent(folder);
  const head = CELL_VERDICTS.map((v) => `<th class="num">${VERDICT_LABEL[v]}</th>`).join('');
  const rows = folder.agents.map((agent) => {
    const c = counts.get(agent)!;
    const cells = CELL_VERDICTS.map((v) => {
      const n = c.get(v) ?? 0;
      return n === 0 ? '<td class="num z">0</td>' : `<td class="num"><span class="chip ${VERDICT_CLASS[v]}">${n}</span></td>`;
    }).join('');
    return `<tr><th>${escapeHtml(agent)}</th>${cells}<td class="num">${folder.cases.length}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>Agent</th>${head}<th class="num">Cases</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function legend(): string {
  const items = CELL_VERDICTS.map((v) => `<div><span class="chip ${VERDICT_CLASS[v]}">${VERDICT_LABEL[v]}</span><span>${escapeHtml(VERDICT_MEANING[v])}</span></div>`);
  return (
    `<div class="legend">${items.join('')}</div>` +
    '<details class="howto"><summary>How to read the grid</summary><p>Each agent has two columns: the behaviour verdict, a link to the case page ' +
    '(with the duration for timed cases, and “lint” when wscheck noted something the RFC allows but that signals a bug), and the close code the peer sent, coloured by the closing-behaviour verdict: red when the connection ' +
    'did not end as required (hover for that verdict). A case counts as FAILED in the summary and the filter when either part failed.</p></details>'
  );
}

function resultCells(r: FolderResult | undefined): string {
  if (r === undefined) return `<td class="mi" colspan="2">${VERDICT_LABEL.MISSING}</td>`;
  const label = VERDICT_LABEL[r.behavior];
  const link = r.page === null ? label : `<a href="${escapeHtml(r.page)}">${label}</a>`;
  let extra = '';
  const report = r.report;
  if (report?.reportTime === true && r.duration !== null) extra += `<small>${r.duration} ms</small>`;
  if (report?.reportCompressionRatio === true && report.trafficStats !== null) {
    const ratio = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
    extra += `<small>${ratio(report.trafficStats.incomingCompressionRatio)}/${ratio(report.trafficStats.outgoingCompressionRatio)}</small>`;
  }
  if (report !== null && (wscheckFindings(report)?.lints.length ?? 0) > 0) extra += '<small>lint</small>';
  if (r.behavior === 'UNIMPLEMENTED' && isCloseAcceptable(r.behaviorClose)) {
    return `<td class="un" colspan="2">${link}${extra}</td>`;
  }
  const code = r.remoteCloseCode === null ? '—' : String(r.remoteCloseCode);
  const title = r.behaviorClose === 'OK' ? '' : ` title="${escapeHtml(`closing behaviour: ${r.behaviorClose}`)}"`;
  return `<td class="${VERDICT_CLASS[r.behavior]}">${link}${extra}</td><td class="cl ${closeClass(r.behaviorClose)}"${title}>${code}</td>`;
}

interface Flags {
  failed: boolean;
  nonStrict: boolean;
}

/** The class attribute of a grid row: its kind (`c` category, `s` sub-category, none for a case) and filter flags. */
function rowClass(kind: string | null, f: Flags): string {
  const names = [...(kind === null ? [] : [kind]), ...(f.failed ? ['f'] : []), ...(f.nonStrict ? ['n'] : [])];
  return names.length === 0 ? '' : ` class="${names.join(' ')}"`;
}

function rowFlags(folder: ReportFolder, id: string): Flags {
  const results = [...(folder.results.get(id)?.values() ?? [])];
  // FAILED: some cell of the row is red (behaviour or closing); NON-STRICT: some behaviour cell says so.
  return { failed: results.some((r) => r.verdict === 'FAILED'), nonStrict: results.some((r) => r.behavior === 'NON-STRICT') };
}

/** A category or sub-category title; the span lets a long title run past a narrow grid without widening it. */
function groupTitle(id: string, title: string | null): string {
  return `<span>${title === null ? escapeHtml(id) : `${escapeHtml(id)} ${escapeHtml(title)}`}</span>`;
}

/** The grid's rows: a header row per category and sub-category (carrying the flags of their cases), a row per case. */
function gridBody(folder: ReportFolder): string {
  const width = 1 + 2 * folder.agents.length;
  const groups: { place: CasePlace; flags: Flags; rows: string[]; subs: { place: CasePlace; flags: Flags; rows: string[] }[] }[] = [];
  for (const place of folder.cases) {
    let cat = groups[groups.length - 1];
    if (cat === undefined || cat.place.category !== place.category) {
      cat = { place, flags: { failed: false, nonStrict: false }, rows: [], subs: [] };
      groups.push(cat);
    }
    let sub = cat.subs[cat.subs.length - 1];
    if (sub === undefined || sub.place.subcategory !== place.subcategory) {
      sub = { place, flags: { failed: false, nonStrict: false }, rows: [] };
      cat.subs.push(sub);
    }
    const flags = rowFlags(folder, place.id);
    for (const f of [cat.flags, sub.flags]) {
      f.failed ||= flags.failed;
      f.nonStrict ||= flags.nonStrict;
    }
    const byAgent = folder.results.get(place.id);
    const cells = folder.agents.map((agent) => resultCells(byAgent?.get(agent))).join('');
    sub.rows.push(`<tr${rowClass(null, flags)}><th>${escapeHtml(place.id)}</th>${cells}</tr>`);
  }
  const out: string[] = [];
  for (const cat of groups) {
    out.push(`<tr${rowClass('c', cat.flags)}><th colspan="${width}">${groupTitle(cat.place.category, cat.place.categoryTitle)}</th></tr>`);
    for (const sub of cat.subs) {
      if (sub.place.subcategory !== sub.place.id) {
        out.push(`<tr${rowClass('s', sub.flags)}><th colspan="${width}">${groupTitle(sub.place.subcategory, sub.place.subcategoryTitle)}</th></tr>`);
      }
      out.push(...sub.rows);
    }
  }
  return out.join('\n');
}

/** What the page is about, from who was tested. */
function subject(folder: ReportFolder): string {
  if (folder.tested === 'servers') return 'servers under test';
  if (folder.tested === 'clients') return 'clients under test';
  return 'implementations under test';
}

/** The whole `index.html` of a role folder. */
export function indexPage(folder: ReportFolder): string {
  let failedRows = 0;
  let nonStrictRows = 0;
  for (const place of folder.cases) {
    const f = rowFlags(folder, place.id);
    if (f.failed) failedRows++;
    if (f.nonStrict) nonStrictRows++;
  }
  const when =
    folder.period === null
      ? ''
      : ` · ${readableTime(folder.period.first)}${folder.period.last.slice(0, 10) === folder.period.first.slice(0, 10) ? ` – ${readableTime(folder.period.last).slice(11)}` : ` – ${readableTime(folder.period.last)}`}`;
  const header =
    `<header><h1>WebSocket conformance: ${subject(folder)}</h1>` +
    `<p>${plural(folder.cases.length, 'case')} · ${plural(folder.agents.length, 'agent')}${escapeHtml(when)}</p></header>`;
  const top = `<section><h2>Summary</h2>${summaryTable(folder)}</section><section><h2>Legend</h2>${legend()}</section>`;
  const filters =
    '<input type="radio" name="filter" id="show-all" class="filter" checked>' +
    '<input type="radio" name="filter" id="show-failed" class="filter">' +
    '<input type="radio" name="filter" id="show-nonstrict" class="filter">' +
    '<div class="filters"><span>Show</span>' +
    `<label for="show-all">All cases (${folder.cases.length})</label>` +
    `<label for="show-failed">Only FAILED (${failedRows})</label>` +
    `<label for="show-nonstrict">Only NON-STRICT (${nonStrictRows})</label></div>` +
    (failedRows === 0 ? '<p class="empty f">No case FAILED.</p>' : '') +
    (nonStrictRows === 0 ? '<p class="empty n">No case is NON-STRICT.</p>' : '');
  const agentHeads = folder.agents.map((a) => `<th colspan="2"><span>${escapeHtml(a)}</span></th>`).join('');
  const grid = `<table class="grid"><thead><tr><th>Case</th>${agentHeads}</tr></thead><tbody>\n${gridBody(folder)}\n</tbody></table>`;
  const problems =
    folder.problems.length === 0
      ? ''
      : `<section class="problems"><h2>Files not shown</h2><ul>${folder.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul></section>`;
  const footer = `<footer>Written by wscheck ${escapeHtml(WSCHECK_VERSION)} from the report files in this folder. Case pages sit next to their JSON files.</footer>`;
  return htmlPage({
    title: `wscheck: ${subject(folder)}`,
    css: INDEX_CSS,
    body: `${header}<main>${top}${filters}${grid}${problems}</main>${footer}`,
  });
}
