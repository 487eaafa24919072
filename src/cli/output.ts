/**
 * Progress and summary output shared by the commands. With --json the human
 * lines go to stderr and stdout carries one JSON document at the end.
 */
import type { CaseSummary } from '../harness/result.js';
import { caseLine, isFailure, summary } from '../report/terminal.js';
import type { CommonOptions } from './args.js';

export class Output {
  private readonly started = performance.now();
  private done = 0;
  private failed = 0;

  constructor(
    private readonly o: CommonOptions,
    private readonly total: number,
  ) {}

  info(line: string): void {
    (this.o.json ? process.stderr : process.stdout).write(`${line}\n`);
  }

  result(r: CaseSummary): void {
    this.done++;
    if (isFailure(r)) this.failed++;
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = this.done < this.total ? ` eta ${Math.ceil((elapsed / this.done) * (this.total - this.done))} s` : '';
    this.info(`${caseLine(r, this.o)}   [${this.done}/${this.total}, ${this.failed} failed, ${elapsed.toFixed(1)} s${eta}]`);
  }

  finish(results: readonly CaseSummary[], reportDir: string, extra: Record<string, unknown> = {}): void {
    if (results.length > 0) this.info(`\n${summary(results, this.o)}`);
    this.info(`\nreports: ${reportDir}/index.json (${results.length} case${results.length === 1 ? '' : 's'}) in ${((performance.now() - this.started) / 1000).toFixed(1)} s`);
    if (this.o.json) {
      process.stdout.write(
        `${JSON.stringify({
          ...extra,
          reportDir,
          results: results.map((r) => ({
            agent: r.agent,
            id: r.caseDef.id,
            behavior: r.verdict.behavior,
            behaviorClose: r.verdict.behaviorClose,
            duration: r.durationMs,
            firstDivergence: r.verdict.firstDivergence,
            replay: r.replay,
          })),
        })}\n`,
      );
    }
  }
}

/** Quote for a POSIX shell when needed, so printed replay commands can be pasted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
