/**
 * The output folder, written as cases finish so that nothing already measured
 * is lost if the run stops: each case's JSON at once, `index.json` rewritten
 * (atomically) after every case.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CaseResult, type CaseSummary, summarize } from '../harness/result.js';
import { compareCaseIds } from '../cases/catalogue.js';
import { serializeAutobahnJson } from './autobahn-json.js';
import { caseReportFileName } from './autobahn-file-names.js';
import type { AutobahnIndexEntry } from './autobahn-types.js';
import { caseReport, indexEntry } from './case-report.js';

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export class ReportDirectory {
  private readonly index = new Map<string, Map<string, AutobahnIndexEntry>>();
  readonly results: CaseSummary[] = [];

  /** `dir` is the role folder, e.g. `reports/servers`. */
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  add(result: CaseResult): void {
    this.results.push(summarize(result));
    writeFileSync(path.join(this.dir, caseReportFileName(result.agent, result.caseDef.id)), serializeAutobahnJson(caseReport(result)));
    let cases = this.index.get(result.agent);
    if (cases === undefined) this.index.set(result.agent, (cases = new Map()));
    cases.set(result.caseDef.id, indexEntry(result));
    this.writeIndex();
  }

  private writeIndex(): void {
    const out: Record<string, Record<string, AutobahnIndexEntry>> = {};
    for (const [agent, cases] of this.index) {
      out[agent] = Object.fromEntries([...cases].sort(([a], [b]) => compareCaseIds(a, b)));
    }
    writeAtomically(path.join(this.dir, 'index.json'), serializeAutobahnJson(out));
  }
}
