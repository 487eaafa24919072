/**
 * The page of one (agent, case): a banner with the verdict, wscheck's
 * findings first (the first divergence, the non-strict choice, the replay
 * command, lints, notes, observations), then the sections of an Autobahn case
 * page: description, expectation, outcome, closing behaviour, opening
 * handshake, wire statistics and wire log.
 */
import type { AutobahnCaseReport, AutobahnExpectedClose } from '../autobahn-types.js';
import { closingFieldsTable } from './closing-fields.js';
import { escapeHtml } from './escape-html.js';
import { eventList } from './event-list.js';
import { safeFragment } from './html-fragment.js';
import { readableTime } from './readable-time.js';
import { htmlPage } from './page.js';
import { CASE_CSS } from './stylesheet.js';
import { VERDICT_CLASS, VERDICT_LABEL, closeClass, overallVerdict } from './verdict.js';
import { wireLog } from './wire-log.js';
import { wireStatistics } from './wire-statistics.js';
import { wscheckFindings, type WscheckFindings } from './wscheck-fields.js';

export interface CasePageOptions {
  /** Link back to the grid. Default `index.html`. */
  readonly indexHref?: string;
}

/**
 * The copy button of the replay command: reads the command's text and puts it
 * on the clipboard (falls back to selecting it). The button is hidden unless
 * this runs. No report data in the script; it sets only `textContent`.
 */
export const CASE_SCRIPT =
  "document.querySelectorAll('button[data-copy]').forEach(function(b){" +
  'var src=document.getElementById(b.getAttribute(\'data-copy\'));if(!src)return;b.hidden=false;' +
  "b.addEventListener('click',function(){var t=src.textContent||'';" +
  "function sel(){var r=document.createRange();r.selectNodeContents(src);var s=window.getSelection();if(s){s.removeAllRanges();s.addRange(r);}b.textContent='Selected';}" +
  "if(navigator.clipboard){navigator.clipboard.writeText(t).then(function(){b.textContent='Copied';},sel);}else{sel();}" +
  "setTimeout(function(){b.textContent='Copy';},2000);});});";

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function banner(r: AutobahnCaseReport): string {
  const verdict = overallVerdict(r.behavior, r.behaviorClose);
  const who = r.isServer ? 'client under test' : 'server under test';
  const facts = [
    `behaviour <span class="chip ${VERDICT_CLASS[r.behavior]}">${VERDICT_LABEL[r.behavior]}</span>`,
    `closing <span class="chip ${closeClass(r.behaviorClose)}">${escapeHtml(r.behaviorClose)}</span>`,
    `${r.duration} ms`,
    escapeHtml(`started ${readableTime(r.started)}`),
    who,
  ];
  const peerClose =
    r.remoteCloseCode === null
      ? '<p>The peer sent no close code.</p>'
      : `<p>The peer closed with <b>${r.remoteCloseCode}</b>${r.remoteCloseReason === null ? '' : `, reason <q class="reason">${escapeHtml(r.remoteCloseReason)}</q>`}.</p>`;
  return (
    `<header class="banner"><span class="chip big ${VERDICT_CLASS[verdict]}">${VERDICT_LABEL[verdict]}</span>` +
    `<div><h1>Case ${escapeHtml(r.id)} <span>· ${escapeHtml(r.agent)}</span></h1><p>${facts.join(' · ')}</p>${peerClose}</div></header>`
  );
}

function findingsBlocks(r: AutobahnCaseReport, w: WscheckFindings | null): string {
  if (w === null) {
    return '<div class="callout plain"><p class="muted">This report has no wscheck findings (it was written by another tool): the sections below are all it holds.</p></div>';
  }
  const out: string[] = [];
  if (w.firstDivergence !== null) {
    out.push(`<div class="callout fa" id="divergence"><h2>First divergence</h2><p class="big">${escapeHtml(w.firstDivergence)}</p>` +
      '<p class="muted">The first observation where the peer left every behaviour the RFC allows.</p></div>');
  } else if (overallVerdict(r.behavior, r.behaviorClose) === 'FAILED') {
    out.push(`<div class="callout fa" id="divergence"><h2>Failed</h2><p class="big">${escapeHtml(`${r.result} ${r.resultClose}`)}</p></div>`);
  }
  if (w.policyMatched !== null) {
    out.push(`<div class="callout ns" id="policy"><h2>Non-strict choice</h2><p>${escapeHtml(w.policyMatched)}</p></div>`);
  }
  if (w.replay !== null) {
    out.push(
      '<div class="callout plain" id="replay"><h2>Run this case again</h2><div class="replay">' +
        `<pre id="replay-command">${escapeHtml(w.replay)}</pre><button type="button" data-copy="replay-command" hidden>Copy</button></div></div>`,
    );
  }
  if (w.lints.length > 0) {
    const items = w.lints.map((l) => `<li><code>${escapeHtml(l.id)}</code> ${escapeHtml(l.message)} <span class="muted">(${escapeHtml(l.rule)})</span></li>`);
    out.push(`<div class="callout ns" id="lints"><h2>Lints</h2><p class="muted">Allowed by the RFC but a sign of a bug; they never change the verdict.</p><ul class="plain">${items.join('')}</ul></div>`);
  }
  if (w.liveness !== null) {
    const verdict = w.liveness.ok ? 'still serving' : 'no longer serving';
    out.push(`<div class="callout plain" id="liveness"><h2>Liveness probe</h2><p>After the case, on a new connection: the peer is ${verdict}. ${escapeHtml(w.liveness.detail)}</p></div>`);
  }
  if (w.notes.length > 0) {
    out.push(`<div class="callout plain" id="notes"><h2>Notes</h2><ul class="plain">${w.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></div>`);
  }
  return out.join('');
}

function expectedCloseText(e: AutobahnExpectedClose, tester: string): string {
  const codes = e.closeCode.length === 0 ? 'any' : e.closeCode.join(', ');
  const starter = e.closedByMe ? tester.replace(/^./, (c) => c.toUpperCase()) : 'The peer';
  return (
    `${starter} should start the closing handshake; acceptable close codes from the peer: ${codes} (or none); ` +
    `${e.requireClean ? 'a clean close is required' : 'an unclean close is acceptable'}.`
  );
}

function outcome(r: AutobahnCaseReport, w: WscheckFindings | null): string {
  const lists: string[] = [];
  const ok = r.expected.OK;
  const nonStrict = r.expected['NON-STRICT'];
  if (ok === undefined && nonStrict === undefined) {
    lists.push('<div class="box"><h3>Expected</h3><p class="none">No event list: this case judges the echo by its own rule (see the result above).</p></div>');
  }
  if (ok !== undefined) lists.push(`<div class="box"><h3>Expected (OK)</h3>${eventList(ok)}</div>`);
  if (nonStrict !== undefined) lists.push(`<div class="box"><h3>Also accepted (NON-STRICT)</h3>${eventList(nonStrict)}</div>`);
  lists.push(`<div class="box"><h3>Observed</h3>${eventList(r.received)}</div>`);
  const observations =
    w === null || w.observations.length === 0
      ? ''
      : `<h3>What wscheck saw</h3><ol class="events">${w.observations.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ol>`;
  const traces =
    w?.acceptableTraces == null
      ? ''
      : `<p class="muted">The reference model accepts ${w.acceptableTraces.strict} strict and ${w.acceptableTraces.nonStrict} non-strict traces for this case.</p>`;
  return `<p><span class="chip ${VERDICT_CLASS[r.behavior]}">${VERDICT_LABEL[r.behavior]}</span> ${escapeHtml(r.result)}</p>${traces}<div class="cols">${lists.join('')}</div>${observations}`;
}

function closing(r: AutobahnCaseReport, tester: string): string {
  return (
    `<p><span class="chip ${closeClass(r.behaviorClose)}">${escapeHtml(r.behaviorClose)}</span> ${escapeHtml(r.resultClose)}</p>` +
    `<p class="muted">${escapeHtml(expectedCloseText(r.expectedClose, tester))}</p>${closingFieldsTable(r, tester)}`
  );
}

function handshake(r: AutobahnCaseReport): string {
  return (
    `<div class="heads"><div><h3>Request</h3><pre>${escapeHtml(r.httpRequest)}</pre></div>` +
    `<div><h3>Response</h3><pre>${escapeHtml(r.httpResponse)}</pre></div></div>`
  );
}

function trafficStatistics(r: AutobahnCaseReport): string {
  if (r.trafficStats === null) return '';
  const rows = Object.entries(r.trafficStats).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="num">${escapeHtml(v === null ? 'null' : String(v))}</td></tr>`);
  return section('traffic', 'Traffic statistics', `<table class="data"><tbody>${rows.join('')}</tbody></table>`);
}

const TOC: readonly (readonly [string, string])[] = [
  ['description', 'Description'],
  ['outcome', 'Outcome'],
  ['closing', 'Closing behaviour'],
  ['handshake', 'Opening handshake'],
  ['statistics', 'Wire statistics'],
  ['wirelog', 'Wire log'],
];

/** The whole HTML page of one case report (wscheck's or Autobahn's). */
export function casePage(report: AutobahnCaseReport, options: CasePageOptions = {}): string {
  const w = wscheckFindings(report);
  const index = options.indexHref ?? 'index.html';
  const tester = w === null ? 'the tester' : 'wscheck';
  const body = [
    `<nav class="crumbs"><a href="${escapeHtml(index)}">← All cases</a></nav>`,
    banner(report),
    `<ul class="toc">${TOC.map(([id, title]) => `<li><a href="#${id}">${title}</a></li>`).join('')}</ul>`,
    findingsBlocks(report, w),
    section('description', 'Description', `<p class="prose">${safeFragment(report.description)}</p>`),
    section('expectation', 'Expectation', `<p class="prose">${safeFragment(report.expectation)}</p>`),
    section('outcome', 'Outcome', outcome(report, w)),
    section('closing', 'Closing behaviour', closing(report, tester)),
    section('handshake', 'Opening handshake', handshake(report)),
    section('statistics', 'Wire statistics', wireStatistics(report)),
    trafficStatistics(report),
    section('wirelog', 'Wire log', wireLog(report, w?.wirelogTimes ?? null, tester)),
    `<footer>${escapeHtml(w?.version == null ? 'Report written by another tool; page by wscheck.' : `Report and page by wscheck ${w.version}.`)}</footer>`,
  ];
  return htmlPage({
    title: `${report.id} ${report.agent}: ${overallVerdict(report.behavior, report.behaviorClose)}`,
    css: CASE_CSS,
    body: body.join('\n'),
    script: w?.replay == null ? undefined : CASE_SCRIPT,
  });
}
