/**
 * docs/coverage.md against the code: the table of real bugs names cases,
 * exploration arbitraries and fuzz targets, and its summary states counts;
 * this keeps all of them true, and keeps every advisory a case claims in
 * the table (with the case named in its row), so that neither can drift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as arbitraries from '../../src/arbitraries/index.js';
import { corruptionKinds } from '../../src/arbitraries/corruption.js';
import { type CaseDefinition, catalogue, findCase, isAutobahnCase } from '../../src/cases/index.js';
import { appliesTo } from '../../src/cases/catalogue.js';
import { TARGETS } from '../../fuzz/targets/index.js';

const DOC = path.resolve(import.meta.dirname, '../../docs/coverage.md');
const COLUMNS = ['#', 'Project', 'Bug', 'What goes wrong', 'Rule', 'On the wire', 'Autobahn', 'wscheck case', 'Exploration, fuzzing'];
const NONE = '—';

/** What the wscheck-case cell says: a case catches the bug, a case probes it but cannot fail on it yet, nothing does, or category 18 is still to come. */
type Status = 'caught' | 'probed' | 'nothing' | 'pending';
type AutobahnVerdict = 'yes' | 'sometimes' | 'no';

interface Row {
  readonly n: number;
  readonly bug: string;
  readonly autobahn: string;
  readonly cases: string;
  readonly exploration: string;
  /** Every link target of the row. */
  readonly links: readonly string[];
}

/** Table cells, split on `|` except the escaped `\|`. */
function cellsOf(line: string): string[] {
  return line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

function parse(doc: string): { rows: Row[]; headers: string[][]; summary: Map<string, number> } {
  const lines = doc.split('\n');
  const headers = lines.filter((l) => l.startsWith('| # |')).map(cellsOf);
  const rows = lines
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l): Row => {
      const c = cellsOf(l);
      const at = (name: string): string => c[COLUMNS.indexOf(name)] ?? '';
      return {
        n: Number(at('#')),
        bug: at('Bug'),
        autobahn: at('Autobahn'),
        cases: at('wscheck case'),
        exploration: at('Exploration, fuzzing'),
        links: [...l.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]!),
      };
    });
  const start = lines.indexOf('## Summary');
  const end = lines.findIndex((l, k) => k > start && l.startsWith('## '));
  const summary = new Map<string, number>();
  for (const l of lines.slice(start, end)) {
    const c = cellsOf(l);
    if (c.length === 2 && /^\d+$/.test(c[1]!)) summary.set(c[0]!, Number(c[1]));
  }
  return { rows, headers, summary };
}

/** Case ids written in backticks, a range `a`–`b` standing for every id between (same prefix, last number counted). */
function caseIds(cell: string): { ids: string[]; problems: string[] } {
  const ids: string[] = [];
  const problems: string[] = [];
  for (const m of cell.matchAll(/`(\d+(?:\.\d+)+)`(?:\s*–\s*`(\d+(?:\.\d+)+)`)?/g)) {
    const [from, to] = [m[1]!, m[2]];
    if (to === undefined) {
      ids.push(from);
      continue;
    }
    const a = from.split('.');
    const b = to.split('.');
    const last = (p: string[]): number => Number(p.at(-1));
    if (a.length !== b.length || a.slice(0, -1).join('.') !== b.slice(0, -1).join('.') || last(a) >= last(b)) {
      problems.push(`the range ${from}–${to} must count up the last number of one prefix`);
      continue;
    }
    const prefix = a.slice(0, -1).join('.');
    for (let k = last(a); k <= last(b); k++) ids.push(`${prefix}.${k}`);
  }
  return { ids, problems };
}

function statusOf(cell: string): Status | undefined {
  if (cell.startsWith('category 18 (pending)')) return 'pending';
  if (cell.startsWith('probed, not judged:')) return 'probed';
  if (cell.startsWith('nothing yet:')) return 'nothing';
  if (cell.startsWith('`') && caseIds(cell).ids.length > 0) return 'caught';
  return undefined;
}

function autobahnOf(cell: string): AutobahnVerdict | undefined {
  if (/^yes\b/.test(cell)) return 'yes';
  if (/^(sometimes|not reliably)\b/.test(cell)) return 'sometimes';
  if (/^no\b/.test(cell)) return 'no';
  return undefined;
}

/** Names that the exploration column may use: exported arbitraries, corruption kinds, fuzz targets. */
const EXPLORATION_NAMES = new Set<string>([...Object.keys(arbitraries), ...corruptionKinds('server'), ...corruptionKinds('client'), ...TARGETS.map((t) => t.name)]);

function explorationNames(cell: string): string[] {
  return cell === NONE ? [] : [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** A case the peer's declared limits must be given for (`--max-message`): without them it is UNIMPLEMENTED. */
function needsLimit(c: CaseDefinition): boolean {
  return c.scenario().unimplemented !== undefined;
}

/** Everything wrong with the table, one line each (empty: the table is honest). */
function problemsOf(rows: readonly Row[], headers: readonly string[][]): string[] {
  const out: string[] = [];
  for (const h of headers) if (h.join('|') !== COLUMNS.join('|')) out.push(`a table has the columns ${h.join(', ')}; expected ${COLUMNS.join(', ')}`);
  const numbers = rows.map((r) => r.n).sort((a, b) => a - b);
  if (numbers.some((n, k) => n !== k + 1)) out.push(`the rows are numbered ${numbers.join(', ')}: number them 1 to ${rows.length}, each once`);
  rows.forEach((r) => {
    const where = `row ${r.n}`;
    if (autobahnOf(r.autobahn) === undefined) out.push(`${where}: the Autobahn cell must start with yes, no, sometimes or not reliably`);
    if (statusOf(r.cases) === undefined) out.push(`${where}: the wscheck case cell must start with a case id in backticks, "probed, not judged:", "nothing yet:" or "category 18 (pending)"`);
    const { ids, problems } = caseIds(r.cases);
    out.push(...problems.map((p) => `${where}: ${p}`));
    for (const id of ids) if (findCase(id) === undefined) out.push(`${where} names case ${id}, which is not in the catalogue`);
    for (const role of ['server', 'client'] as const) {
      if (!r.cases.includes(`${role} role`)) continue;
      for (const id of ids) {
        const c = findCase(id);
        if (c !== undefined && !appliesTo(c, role)) out.push(`${where} speaks of the ${role} role but names ${id}, which does not apply to a ${role}`);
      }
    }
    const names = explorationNames(r.exploration);
    if (r.exploration !== NONE && names.length === 0) out.push(`${where}: the exploration cell names nothing in backticks; write ${NONE} when nothing catches it`);
    for (const name of names) if (!EXPLORATION_NAMES.has(name)) out.push(`${where} names \`${name}\`, which is neither an exported arbitrary, a corruption kind nor a fuzz target`);
    if (!r.links.some((u) => r.bug.includes(u))) out.push(`${where}: the Bug cell links to no report`);
    for (const u of r.links) {
      let url: URL | undefined;
      try {
        url = new URL(u);
      } catch {
        url = undefined;
      }
      if (url === undefined || url.protocol !== 'https:' || url.hostname === '' || /\s/.test(u)) out.push(`${where}: the link "${u}" is not a well-formed https URL`);
    }
  });
  return out;
}

/** Links compare with their percent-escapes undone (a link's parentheses must be escaped in Markdown). */
function sameUrl(a: string, b: string): boolean {
  const plain = (u: string): string => {
    try {
      return decodeURI(u);
    } catch {
      return u;
    }
  };
  return plain(a) === plain(b);
}

/** Each advisory of each case is documented by a row that names the case. */
function advisoryProblems(rows: readonly Row[], cases: readonly CaseDefinition[]): string[] {
  const out: string[] = [];
  for (const c of cases) {
    for (const a of c.advisories ?? []) {
      const documenting = rows.filter((r) => r.bug.includes(a.id) || r.links.some((u) => sameUrl(u, a.url)));
      if (documenting.length === 0) out.push(`case ${c.id} names ${a.id} (${a.url}), which no row of docs/coverage.md documents: add the row`);
      else if (!documenting.some((r) => caseIds(r.cases).ids.includes(c.id))) out.push(`case ${c.id} names ${a.id}, but row ${documenting.map((r) => r.n).join(', ')} does not name ${c.id}`);
    }
  }
  return out;
}

/** The summary's counts, computed from the table. */
function computedSummary(rows: readonly Row[]): Map<string, number> {
  const count = (p: (r: Row) => boolean): number => rows.filter(p).length;
  const status = (r: Row): Status | undefined => statusOf(r.cases);
  const named = (r: Row): CaseDefinition[] => caseIds(r.cases).ids.map((id) => findCase(id)!);
  const caught = (r: Row): boolean => status(r) === 'caught';
  const explored = (r: Row): boolean => explorationNames(r.exploration).length > 0;
  return new Map([
    ['bugs documented', rows.length],
    ["caught by a case of wscheck's own categories 14–18", count((r) => caught(r) && named(r).some((c) => !isAutobahnCase(c)))],
    ["caught by a case of Autobahn's catalogue, which wscheck runs too", count((r) => caught(r) && named(r).some(isAutobahnCase))],
    ["caught by wscheck's catalogue (either)", count(caught)],
    ['… only once the target\'s limits are declared (`--max-message`)', count((r) => caught(r) && named(r).every(needsLimit))],
    ['probed by a case that cannot fail on it yet', count((r) => status(r) === 'probed')],
    ['caught by exploration or fuzzing', count(explored)],
    ['caught by exploration or fuzzing and by no case', count((r) => explored(r) && !caught(r))],
    ['caught by nothing in wscheck yet', count((r) => !caught(r) && !explored(r))],
    ['the Autobahn testsuite catches it', count((r) => autobahnOf(r.autobahn) === 'yes')],
    ['the Autobahn testsuite catches it only sometimes', count((r) => autobahnOf(r.autobahn) === 'sometimes')],
    ['the Autobahn testsuite misses it', count((r) => autobahnOf(r.autobahn) === 'no')],
    ["the Autobahn testsuite misses it, wscheck's catalogue catches it", count((r) => autobahnOf(r.autobahn) === 'no' && caught(r))],
  ]);
}

describe('docs/coverage.md', () => {
  const { rows, headers, summary } = parse(readFileSync(DOC, 'utf8'));

  it('documents at least 30 bugs, each with a well-formed https link, and names only cases, arbitraries and fuzz targets that exist', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(headers.length).toBeGreaterThan(0);
    expect(problemsOf(rows, headers)).toEqual([]);
  });

  it('documents every advisory a case names, in a row that names that case', () => {
    const withAdvisories = catalogue.filter((c) => (c.advisories ?? []).length > 0);
    expect(withAdvisories.length).toBeGreaterThan(0);
    expect(advisoryProblems(rows, catalogue)).toEqual([]);
  });

  it('states in its summary the counts the table gives', () => {
    expect(Object.fromEntries(summary)).toEqual(Object.fromEntries(computedSummary(rows)));
  });

  it('the checks reject a table that names a missing case, a bad link, or a row that leaves out a case its advisory is claimed by', () => {
    const first = rows.find((r) => statusOf(r.cases) === 'caught' && r.links.length > 0)!;
    const broken: Row = { ...first, cases: `\`99.1.1\`, ${first.cases}`, links: [...first.links, 'http://example.com/x'] };
    const problems = problemsOf(rows.map((r) => (r === first ? broken : r)), headers);
    expect(problems.some((p) => p.includes('99.1.1'))).toBe(true);
    expect(problems.some((p) => p.includes('http://example.com/x'))).toBe(true);
    const tagged = catalogue.find((c) => (c.advisories ?? []).length > 0)!;
    const stripped = rows.map((r) => ({ ...r, cases: r.cases.split(`\`${tagged.id}\``).join('') }));
    expect(advisoryProblems(stripped, [tagged]).length).toBeGreaterThan(0);
  });
});
