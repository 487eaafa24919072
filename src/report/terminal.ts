/**
 * What a person sees in the terminal: a line per finished case while running,
 * then a summary per category and, for every failure, what went wrong and the
 * command that replays it.
 */
import type { CaseSummary } from '../harness/result.js';
import { chopOf } from '../cases/chopped.js';
import { segmentationName } from '../model/segmentation.js';

const COLOURS: Record<string, string> = {
  OK: '\x1b[32m',
  'NON-STRICT': '\x1b[36m',
  INFORMATIONAL: '\x1b[34m',
  UNIMPLEMENTED: '\x1b[90m',
  FAILED: '\x1b[31m',
};
const RESET = '\x1b[0m';

export interface TerminalOptions {
  readonly colour: boolean;
}

function paint(text: string, verdict: string, o: TerminalOptions): string {
  return o.colour ? `${COLOURS[verdict] ?? ''}${text}${RESET}` : text;
}

/** Is this case a failure for the exit status? (Any FAILED behaviour or closing behaviour other than OK/INFORMATIONAL.) */
export function isFailure(r: CaseSummary): boolean {
  return r.verdict.behavior === 'FAILED' || (r.verdict.behaviorClose !== 'OK' && r.verdict.behaviorClose !== 'INFORMATIONAL');
}

/** The case id, and the pattern of a chopped replay (`4.1.5 chop header`). */
function caseName(r: CaseSummary): string {
  const chop = chopOf(r.caseDef);
  return chop === null ? r.caseDef.id : `${r.caseDef.id} chop ${segmentationName(chop)}`;
}

export function caseLine(r: CaseSummary, o: TerminalOptions): string {
  const verdict = isFailure(r) ? 'FAILED' : r.verdict.behavior;
  const close = r.verdict.behaviorClose === 'OK' ? '' : ` / close ${r.verdict.behaviorClose}`;
  return `${caseName(r).padEnd(8)} ${paint(r.verdict.behavior.padEnd(13), verdict, o)}${close}  ${r.durationMs} ms`;
}

export function summary(results: readonly CaseSummary[], o: TerminalOptions): string {
  const lines: string[] = [];
  const categories = new Map<string, { title: string; counts: Map<string, number> }>();
  for (const r of results) {
    let c = categories.get(r.caseDef.category);
    if (c === undefined) categories.set(r.caseDef.category, (c = { title: r.caseDef.categoryTitle, counts: new Map() }));
    const key = isFailure(r) ? 'FAILED' : r.verdict.behavior;
    c.counts.set(key, (c.counts.get(key) ?? 0) + 1);
  }
  const columns = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'FAILED'];
  lines.push(`${'category'.padEnd(28)}${columns.map((c) => c.padStart(14)).join('')}`);
  for (const [id, c] of [...categories].sort(([a], [b]) => Number(a) - Number(b))) {
    const cells = columns.map((k) => {
      const n = c.counts.get(k) ?? 0;
      return n === 0 ? '-'.padStart(14) : paint(String(n).padStart(14), k, o);
    });
    lines.push(`${`${id} ${c.title}`.slice(0, 27).padEnd(28)}${cells.join('')}`);
  }
  const failures = results.filter(isFailure);
  if (failures.length > 0) {
    lines.push('', `${failures.length} case${failures.length === 1 ? '' : 's'} FAILED:`);
    for (const r of failures) {
      lines.push(`  ${caseName(r)}  behavior ${r.verdict.behavior}, close ${r.verdict.behaviorClose}: ${r.verdict.firstDivergence ?? r.verdict.resultClose}`);
      lines.push(`         replay: ${r.replay}`);
    }
  }
  return lines.join('\n');
}
