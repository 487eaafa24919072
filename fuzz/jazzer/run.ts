/**
 * Starting Jazzer.js: the command line, the environment (with the
 * compatibility step's additions), and reading its output.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LibFuzzerMonitor } from './monitor.js';

export interface JazzerCommand {
  /** Directory whose node_modules holds @jazzer.js/core. */
  readonly projectRoot: string;
  /** The CommonJS module exporting `fuzz`. */
  readonly entry: string;
  /** Corpus folders; libFuzzer adds new inputs to the first. */
  readonly corpus: readonly string[];
  /** Substrings of the paths Jazzer.js instruments (empty: its default, everything outside node_modules). */
  readonly includes: readonly string[];
  /** Jazzer.js options (`--name value`), placed before libFuzzer's. */
  readonly jazzerOptions: readonly string[];
  /** libFuzzer flags and input files. */
  readonly libFuzzer: readonly string[];
}

/** The Jazzer.js CLI script. */
export function jazzerCli(projectRoot: string): string {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  return require.resolve('@jazzer.js/core/dist/cli.js');
}

/** argv (after `node`) for Jazzer.js. */
export function jazzerArgv(c: JazzerCommand): string[] {
  const argv = [jazzerCli(c.projectRoot), c.entry, ...c.corpus, '--sync', '--fuzzEntryPoint', 'fuzz'];
  for (const i of c.includes) argv.push('--includes', i);
  // Jazzer.js's bug detectors (command injection, path traversal, prototype pollution) hook Node APIs these
  // targets do not use; they cost speed and add noise to the dictionary.
  argv.push('--disable_bug_detectors', '.*');
  argv.push(...c.jazzerOptions, '--', ...c.libFuzzer);
  return argv;
}

/**
 * Split what the user (or a fuzzing engine) passes through: `--name value`
 * options for Jazzer.js, everything else (libFuzzer's `-flag=value`, corpus
 * folders, inputs) for libFuzzer. A libFuzzer `-timeout=N` becomes Jazzer.js's
 * `--timeout N000`: Jazzer.js derives libFuzzer's -timeout from its own
 * option (default 5 s) and puts it last, where it would win.
 */
export function splitEngineArgs(args: readonly string[]): { jazzer: string[]; libFuzzer: string[] } {
  const jazzer: string[] = [];
  const libFuzzer: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      jazzer.push(a);
      if (!a.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) jazzer.push(args[++i]!);
    } else {
      libFuzzer.push(a);
    }
  }
  const timeout = libFuzzer.filter((f) => /^-timeout=\d+$/.test(f)).at(-1);
  if (timeout !== undefined && !jazzer.some((j) => j.startsWith('--timeout'))) {
    jazzer.push('--timeout', String(Number(timeout.slice('-timeout='.length)) * 1000));
  }
  return { jazzer, libFuzzer: libFuzzer.filter((f) => !/^-timeout=\d+$/.test(f)) };
}

export interface RunResult {
  /** Jazzer.js's exit status (null when killed by a signal). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly monitor: LibFuzzerMonitor;
  readonly interrupted: boolean;
  /** Wall-clock duration of the run. */
  readonly elapsedMs: number;
}

export interface RunOptions {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly label: string;
  /** Every line of output, as it is (else a condensed view). */
  readonly verbose: boolean;
  readonly out: (line: string) => void;
  /** Print a status line at most this often while new coverage keeps arriving (ms). */
  readonly statusEveryMs?: number;
}

/** Run Jazzer.js, show its progress, and collect what it found. */
export function runJazzer(o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, o.argv, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const monitor = new LibFuzzerMonitor(o.label);
    let interrupted = false;
    let lastStatus = 0;
    const every = o.statusEveryMs ?? 10_000;
    const onLine = (line: string) => {
      const action = monitor.line(line);
      if (o.verbose) {
        o.out(line);
        return;
      }
      if (action.show === 'raw') o.out(action.text);
      else if (action.show === 'status') {
        o.out(action.text);
        lastStatus = Date.now();
      } else if (/^#\d+\s+(NEW|REDUCE)/.test(line) && Date.now() - lastStatus >= every) {
        o.out(monitor.statusText('new'));
        lastStatus = Date.now();
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    const onSigint = () => {
      interrupted = true;
      // A terminal's Ctrl-C reaches Jazzer.js too; a SIGINT sent to this process alone is passed on.
      setTimeout(() => {
        if (child.exitCode === null) child.kill('SIGINT');
      }, 500).unref();
    };
    process.on('SIGINT', onSigint);
    child.on('error', (e) => {
      process.off('SIGINT', onSigint);
      reject(e);
    });
    child.on('close', (status, signal) => {
      process.off('SIGINT', onSigint);
      resolve({ status, signal, monitor, interrupted, elapsedMs: Date.now() - started });
    });
  });
}
