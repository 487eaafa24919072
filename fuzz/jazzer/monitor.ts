/**
 * Reads libFuzzer's and Jazzer.js's output line by line: keeps the latest
 * statistics (executions, exec/s, coverage, corpus), notices findings and
 * where their reproducers were written, and decides what the user sees.
 */

/** The latest numbers libFuzzer printed. */
export interface FuzzStats {
  runs: number;
  /** Edges covered (libFuzzer's `cov`). */
  coverage: number;
  /** Coverage features (`ft`). */
  features: number;
  corpusInputs: number;
  corpusOctets: number;
  execPerSecond: number;
  rssMb: number;
  /** Units added to the corpus in this run (NEW lines). */
  newUnits: number;
  /** From `-print_final_stats=1`: executions and average exec/s over the whole run. */
  finalRuns: number | null;
  finalExecPerSecond: number | null;
  /** From `Done N runs in S second(s)`. */
  seconds: number | null;
  /** Fork mode: crashes, timeouts, OOMs the workers reported. */
  forkCrashes: number;
}

export type FindingKind = 'crash' | 'timeout' | 'oom' | 'leak' | 'slow-unit' | 'other';

export interface Finding {
  readonly kind: FindingKind;
  /** The reproducer libFuzzer wrote. */
  readonly artifact: string;
  /** First line of the error, when one was printed. */
  readonly summary: string | null;
}

const STATUS = /^#(\d+)\s+(INITED|NEW|REDUCE|pulse|DONE|RELOAD|INIT)\s+(.*)$/;
const FORK_STATUS = /^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec\/s: (\d+) oom\/timeout\/crash: (\d+)\/(\d+)\/(\d+) time: (\d+)s/;

function size(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'Mb' ? n * 1024 * 1024 : unit === 'Kb' ? n * 1024 : n;
}

function artifactKind(file: string): FindingKind {
  const base = file.split('/').pop() ?? '';
  if (base.startsWith('crash-')) return 'crash';
  if (base.startsWith('timeout-')) return 'timeout';
  if (base.startsWith('oom-')) return 'oom';
  if (base.startsWith('leak-')) return 'leak';
  if (base.startsWith('slow-unit-')) return 'slow-unit';
  return 'other';
}

/** What to do with one line of output. */
export type LineAction =
  /** A status line, condensed. */
  | { readonly show: 'status'; readonly text: string }
  /** Something to pass through as it is (errors, a finding's report). */
  | { readonly show: 'raw'; readonly text: string }
  /** Noise unless --verbose. */
  | { readonly show: 'verbose'; readonly text: string };

export class LibFuzzerMonitor {
  readonly stats: FuzzStats = {
    runs: 0,
    coverage: 0,
    features: 0,
    corpusInputs: 0,
    corpusOctets: 0,
    execPerSecond: 0,
    rssMb: 0,
    newUnits: 0,
    finalRuns: null,
    finalExecPerSecond: null,
    seconds: null,
    forkCrashes: 0,
  };
  readonly findings: Finding[] = [];
  /** The line that described the last error (e.g. `==123== Uncaught Exception: …`). */
  private pendingSummary: string | null = null;
  /** Lines of the current finding report are passed through until its artifact line. */
  private inReport = false;
  /** Inside libFuzzer's "Recommended dictionary" block. */
  private inDictionary = false;
  /** Where we are in libFuzzer's dump of the input ("MS: …", hex octets, the same as text). */
  private dump: 'none' | 'after-ms' | 'after-hex' = 'none';

  constructor(private readonly label: string) {}

  /** Feed one line (without its newline). */
  line(text: string): LineAction {
    if (text.startsWith('###### Recommended dictionary')) this.inDictionary = true;
    if (this.inDictionary) {
      if (text.startsWith('###### End of recommended dictionary')) this.inDictionary = false;
      return { show: 'verbose', text };
    }
    const status = STATUS.exec(text);
    if (status !== null) {
      this.readStatus(Number(status[1]), status[3]!);
      if (status[2] === 'NEW') this.stats.newUnits++;
      const shown = status[2] === 'INITED' || status[2] === 'pulse' || status[2] === 'DONE' || status[2] === 'RELOAD';
      return shown ? { show: 'status', text: this.statusText(status[2]!) } : { show: 'verbose', text };
    }
    const fork = FORK_STATUS.exec(text);
    if (fork !== null) {
      const s = this.stats;
      s.runs = Number(fork[1]);
      s.coverage = Number(fork[2]);
      s.features = Number(fork[3]);
      s.corpusInputs = Number(fork[4]);
      s.execPerSecond = Number(fork[5]);
      s.forkCrashes = Number(fork[6]) + Number(fork[7]) + Number(fork[8]);
      s.seconds = Number(fork[9]);
      return { show: 'status', text: this.statusText('fork') };
    }
    const written = /Test unit written to (.+)$/.exec(text);
    if (written !== null) {
      const artifact = written[1]!.trim();
      this.findings.push({ kind: artifactKind(artifact), artifact, summary: this.pendingSummary });
      this.pendingSummary = null;
      this.inReport = false;
      return { show: 'verbose', text };
    }
    const stat = /^stat::(\w+):\s+(\d+)/.exec(text);
    if (stat !== null) {
      if (stat[1] === 'number_of_executed_units') this.stats.finalRuns = Number(stat[2]);
      if (stat[1] === 'average_exec_per_sec') this.stats.finalExecPerSecond = Number(stat[2]);
      return { show: 'verbose', text };
    }
    const done = /^Done (\d+) runs in (\d+) second/.exec(text);
    if (done !== null) {
      this.stats.runs = Math.max(this.stats.runs, Number(done[1]));
      this.stats.seconds = Number(done[2]);
      return { show: 'verbose', text };
    }
    // A finding: Jazzer.js's "==PID== Uncaught Exception: …", libFuzzer's "==PID== ERROR: libFuzzer: timeout …".
    const error = /^==\d+==\s*(.*)$/.exec(text);
    if (error !== null) {
      const what = error[1]!.replace(/^ERROR:\s*/, '');
      if (this.pendingSummary === null || /timeout|out-of-memory|deadly signal/.test(what)) this.pendingSummary = what;
      this.inReport = true;
      return { show: 'raw', text };
    }
    if (this.inReport) {
      // The finding's stack, then libFuzzer's dump of the input: keep the stack, hide the dump.
      if (this.dump === 'after-hex') {
        this.dump = 'none';
        return { show: 'verbose', text };
      }
      // The octets as hex ("0x8a,0x81,…", after an "MS:" line, or alone when a corpus input crashed), then as text.
      if (/^(0x[0-9a-f]{1,2},)+$/.test(text)) {
        this.dump = 'after-hex';
        return { show: 'verbose', text };
      }
      this.dump = 'none';
      if (/^MS: /.test(text)) {
        this.dump = 'after-ms';
        return { show: 'verbose', text };
      }
      if (/^(Base64:|artifact_prefix)/.test(text)) return { show: 'verbose', text };
      return { show: 'raw', text };
    }
    if (/^(INFO:|Dictionary:|Loaded \d+ modules|MS:|DEBUG:|Running:|Executed |\*\*\*|Base64:|Skip loading bug detector)/.test(text)) return { show: 'verbose', text };
    if (/^(WARNING|ERROR)/.test(text)) return { show: 'raw', text };
    return { show: 'raw', text };
  }

  private readStatus(runs: number, rest: string): void {
    const s = this.stats;
    s.runs = runs;
    const num = (re: RegExp) => {
      const m = re.exec(rest);
      return m === null ? null : m;
    };
    const cov = num(/cov: (\d+)/);
    if (cov) s.coverage = Number(cov[1]);
    const ft = num(/ft: (\d+)/);
    if (ft) s.features = Number(ft[1]);
    const corp = num(/corp: (\d+)\/(\d+)(b|Kb|Mb)/);
    if (corp) {
      s.corpusInputs = Number(corp[1]);
      s.corpusOctets = size(corp[2]!, corp[3]!);
    }
    const eps = num(/exec\/s: (\d+)/);
    if (eps) s.execPerSecond = Number(eps[1]);
    const rss = num(/rss: (\d+)Mb/);
    if (rss) s.rssMb = Number(rss[1]);
  }

  /** One condensed progress line. */
  statusText(event: string): string {
    const s = this.stats;
    const parts = [
      `${this.label}`,
      `${event.padEnd(6)}`,
      `runs ${s.runs}`,
      `exec/s ${s.execPerSecond}`,
      `cov ${s.coverage}`,
      `ft ${s.features}`,
      event === 'fork' ? `corpus ${s.corpusInputs}` : `corpus ${s.corpusInputs} (${formatOctets(s.corpusOctets)})`,
    ];
    if (s.rssMb > 0) parts.push(`rss ${s.rssMb} MB`);
    if (s.forkCrashes > 0) parts.push(`worker findings ${s.forkCrashes}`);
    return parts.join('  ');
  }
}

export function formatOctets(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
