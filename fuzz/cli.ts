/**
 * `npx tsx fuzz …` and `wscheck fuzz …`: list the targets, fuzz one with
 * Jazzer.js, replay inputs in plain Node, minimize a reproducer, regenerate
 * the seed corpora, build OSS-Fuzz / ClusterFuzzLite targets.
 *
 * Exit status: 0 no finding, 1 a finding (crash, divergence, timeout, out of
 * memory), 2 bad usage or the fuzzer could not run (one line on stderr saying
 * why and what to do), 130 interrupted.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OPEN_FINDINGS } from './support/acknowledge.js';
import { CompatError, displayPath, prepareJazzerRuntime } from './jazzer/compat.js';
import { formatOctets } from './jazzer/monitor.js';
import type { BuiltTarget } from './jazzer/build.js';
import { type JazzerCommand, jazzerArgv, runJazzer, splitEngineArgs } from './jazzer/run.js';
import { DICTIONARY_DIR, TARGETS, type TargetInfo, findTarget } from './targets/index.js';

/** wscheck's repository (or installed package) root: fuzz/ lives in it. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export const USAGE = `usage: npx tsx fuzz [list]                         list the fuzz targets
       npx tsx fuzz TARGET [options] [-- flags]       fuzz TARGET (a name from the list, or a file exporting fuzz(data))
       npx tsx fuzz TARGET --replay FILE…            run inputs through TARGET in plain Node (no native addon)
       npx tsx fuzz TARGET --minimize FILE           shrink a reproducer with libFuzzer
       npx tsx fuzz seeds                            regenerate corpus/<target>/ seeds from the catalogue
       npx tsx fuzz oss-fuzz --out DIR               build OSS-Fuzz / ClusterFuzzLite fuzz targets into DIR
(wscheck fuzz … is the same command.)

options:
  --runs N            stop after N executions (libFuzzer -runs=N)
  --time SEC          stop after SEC seconds (libFuzzer -max_total_time=SEC)
  --corpus DIR        corpus folder (repeatable; the first one receives new inputs)
                      default: .fuzz-cache/corpus/TARGET, then corpus/TARGET (seeds and regressions)
  --dict FILE         another dictionary (repeatable; the target's own are always used)
  --acknowledge ID    keep fuzzing past a known open finding (listed in docs/fuzzing.md)
  --verbose           show every line libFuzzer and Jazzer.js print
  -- FLAGS            passed through: -flag=value to libFuzzer (-max_total_time=60 -fork=2 -jobs=4 …),
                      --option value to Jazzer.js (--coverage, --timeout 2000 …), other words as inputs`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Command =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'seeds' }
  | { kind: 'oss-fuzz'; out: string }
  | {
      kind: 'fuzz';
      target: string;
      runs: number | null;
      time: number | null;
      corpus: string[];
      dicts: string[];
      acknowledge: string[];
      verbose: boolean;
      replay: string[];
      minimize: string | null;
      passthrough: string[];
    };

function positiveInteger(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`${flag} needs a positive whole number, got ${value ?? 'nothing'}`);
  return Number(value);
}

export function parseFuzzArgs(argv: readonly string[]): Command {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? [...argv] : argv.slice(0, dash);
  const passthrough = dash < 0 ? [] : argv.slice(dash + 1);
  if (own.length === 0 || own[0] === 'list') {
    if (own.length > 1) throw new UsageError(`list takes no arguments (got ${own.slice(1).join(' ')})`);
    return { kind: 'list' };
  }
  if (own[0] === 'help' || own[0] === '--help' || own[0] === '-h') return { kind: 'help' };
  if (own[0] === 'seeds') {
    if (own.length > 1) throw new UsageError('seeds takes no arguments');
    return { kind: 'seeds' };
  }
  if (own[0] === 'oss-fuzz') {
    if (own[1] !== '--out' || own[2] === undefined || own.length !== 3) throw new UsageError('usage: npx tsx fuzz oss-fuzz --out DIR');
    return { kind: 'oss-fuzz', out: own[2] };
  }
  const target = own[0]!;
  if (target.startsWith('-')) throw new UsageError(`name a target first (npx tsx fuzz list shows them), got ${target}`);
  const c: Extract<Command, { kind: 'fuzz' }> = {
    kind: 'fuzz',
    target,
    runs: null,
    time: null,
    corpus: [],
    dicts: [],
    acknowledge: [],
    verbose: false,
    replay: [],
    minimize: null,
    passthrough,
  };
  for (let i = 1; i < own.length; i++) {
    const a = own[i]!;
    const value = () => {
      const v = own[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--runs':
        c.runs = positiveInteger(a, own[++i]);
        break;
      case '--time':
        c.time = positiveInteger(a, own[++i]);
        break;
      case '--corpus':
        c.corpus.push(value());
        break;
      case '--dict':
        c.dicts.push(value());
        break;
      case '--acknowledge':
        c.acknowledge.push(value());
        break;
      case '--verbose':
        c.verbose = true;
        break;
      case '--replay':
        while (own[i + 1] !== undefined && !own[i + 1]!.startsWith('--')) c.replay.push(own[++i]!);
        if (c.replay.length === 0) throw new UsageError('--replay needs at least one input file or folder');
        break;
      case '--minimize':
        c.minimize = value();
        break;
      default:
        throw new UsageError(`unknown option ${a} (flags for libFuzzer and Jazzer.js go after --)`);
    }
  }
  if (c.replay.length > 0 && c.minimize !== null) throw new UsageError('--replay and --minimize do not go together');
  for (const id of c.acknowledge) {
    if (!OPEN_FINDINGS.some((f) => f.id === id)) throw new UsageError(`no open finding ${id}; known: ${OPEN_FINDINGS.map((f) => f.id).join(', ') || 'none'}`);
  }
  return c;
}

/** The cache folder: $WSCHECK_FUZZ_CACHE or .fuzz-cache in the working directory. */
export function cacheDir(): string {
  return path.resolve(process.env.WSCHECK_FUZZ_CACHE ?? path.join(process.cwd(), '.fuzz-cache'));
}

interface ResolvedTarget {
  readonly name: string;
  readonly file: string;
  readonly info: TargetInfo | null;
}

function resolveTarget(name: string): ResolvedTarget {
  const info = findTarget(name);
  if (info !== undefined) return { name, file: info.file, info };
  const file = path.resolve(name);
  if (/\.(c|m)?[jt]s$/.test(name) && existsSync(file)) return { name: path.basename(file).replace(/\.(c|m)?[jt]s$/, ''), file, info: null };
  throw new UsageError(`no fuzz target ${name}; the targets are ${TARGETS.map((t) => t.name).join(', ')} (or give a .ts/.js file that exports fuzz(data))`);
}

/** Folders of wscheck's own code a built-in target tests (bundled apart and instrumented). */
function underTest(target: ResolvedTarget): { include: string[]; exclude: string[] } {
  const own = (target.info?.instrument ?? []).filter((s) => !s.startsWith('pkg:'));
  return {
    include: own.filter((s) => !s.startsWith('!')).map((s) => path.join(PROJECT_ROOT, s)),
    exclude: own.filter((s) => s.startsWith('!')).map((s) => path.join(PROJECT_ROOT, s.slice(1))),
  };
}

function underTestOptions(target: ResolvedTarget): { underTest: string[]; notUnderTest: string[] } {
  const u = underTest(target);
  return { underTest: u.include, notUnderTest: u.exclude };
}

/** Instrumentation filters for a built target: its code under test and the packages it compares with. */
function includesFor(target: ResolvedTarget, built: BuiltTarget): string[] {
  if (target.info === null) return [];
  const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
  const includes = built.sut === null ? [] : [built.sut];
  for (const spec of target.info.instrument) {
    if (!spec.startsWith('pkg:')) continue;
    const [pkg, ...rest] = spec.slice(4).split('/');
    const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), ...rest.filter((r) => r !== ''));
    includes.push(dir + path.sep);
  }
  return includes;
}

function hasFlag(flags: readonly string[], name: string): boolean {
  return flags.some((f) => f.startsWith(`-${name}=`));
}

type Out = (line: string) => void;

function listTargets(out: Out): number {
  out('fuzz targets (npx tsx fuzz TARGET [-- libFuzzer flags]):');
  const width = Math.max(...TARGETS.map((t) => t.name.length));
  for (const t of TARGETS) {
    const dir = path.join(PROJECT_ROOT, 'corpus', t.name);
    const seeds = existsSync(dir) ? countFiles(dir) : 0;
    out(`  ${t.name.padEnd(width)}  ${t.summary} [${seeds} corpus inputs]`);
  }
  out('any file that exports fuzz(data: Buffer) is a target too: npx tsx fuzz ./my-target.ts');
  return 0;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}

function inputFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p, { recursive: true, withFileTypes: true })) if (e.isFile()) files.push(path.join(e.parentPath, e.name));
    } else files.push(p);
  }
  return files.sort();
}

/** Plain-Node replay: no native addon, no instrumentation. */
async function replay(target: ResolvedTarget, paths: readonly string[], verbose: boolean, out: Out, err: Out): Promise<number> {
  const { buildTarget } = await import('./jazzer/build.js');
  const built = await buildTarget({ file: target.file, name: target.name, cacheDir: cacheDir(), ...underTestOptions(target) });
  const require = createRequire(import.meta.filename);
  // A fresh load: an earlier replay in this process may have loaded an older build from the same folder.
  for (const key of Object.keys(require.cache)) if (key.startsWith(built.outDir + path.sep)) delete require.cache[key];
  const mod = require(built.entry) as { fuzz?: (data: Buffer) => unknown };
  if (typeof mod.fuzz !== 'function') throw new UsageError(`${target.file} does not export a function fuzz(data)`);
  let failures = 0;
  const files = inputFiles(paths);
  for (const file of files) {
    const data = readFileSync(file);
    try {
      mod.fuzz(data);
      if (verbose || files.length <= 20) out(`ok       ${displayPath(file)} (${data.length} octets)`);
    } catch (e) {
      failures++;
      err(`FINDING  ${displayPath(file)} (${data.length} octets)`);
      err(`  ${e instanceof Error ? (e.stack ?? e.message).split('\n').join('\n  ') : String(e)}`);
    }
  }
  out(failures === 0 ? `${files.length} input(s), no finding` : `${failures} of ${files.length} input(s) reproduce a finding`);
  return failures === 0 ? 0 : 1;
}

async function fuzzTarget(c: Extract<Command, { kind: 'fuzz' }>, out: Out, err: Out): Promise<number> {
  const target = resolveTarget(c.target);
  for (const id of c.acknowledge) {
    const f = OPEN_FINDINGS.find((o) => o.id === id)!;
    out(`acknowledged open finding ${f.id}: ${f.summary} (docs/fuzzing.md); not checked in this run`);
  }
  const acknowledged = [...new Set([...(process.env.WSCHECK_FUZZ_ACKNOWLEDGE ?? '').split(',').filter((s) => s !== ''), ...c.acknowledge])];
  if (c.replay.length > 0) {
    const previous = process.env.WSCHECK_FUZZ_ACKNOWLEDGE;
    process.env.WSCHECK_FUZZ_ACKNOWLEDGE = acknowledged.join(',');
    try {
      return await replay(target, c.replay, c.verbose, out, err);
    } finally {
      if (previous === undefined) delete process.env.WSCHECK_FUZZ_ACKNOWLEDGE;
      else process.env.WSCHECK_FUZZ_ACKNOWLEDGE = previous;
    }
  }

  const cache = cacheDir();
  let runtime;
  try {
    runtime = prepareJazzerRuntime({ projectRoot: PROJECT_ROOT, cacheDir: cache });
  } catch (e) {
    if (e instanceof CompatError) {
      err(`wscheck fuzz: ${e.message}`);
      err(`(inputs still replay without the native addon: npx tsx fuzz ${c.target} --replay FILE)`);
      return 2;
    }
    throw e;
  }
  if (runtime.explanation !== null) out(runtime.explanation);
  else if (runtime.note !== null) out(runtime.note);

  const { buildTarget } = await import('./jazzer/build.js');
  const built = await buildTarget({ file: target.file, name: target.name, cacheDir: cache, ...underTestOptions(target) });
  const { jazzer, libFuzzer: libFuzzerUser } = splitEngineArgs(c.passthrough);

  const findings = path.join(cache, 'findings', target.name);
  const work = path.join(cache, 'work', target.name);
  mkdirSync(findings, { recursive: true });
  mkdirSync(work, { recursive: true });
  const libFuzzer: string[] = ['-print_final_stats=1', `-artifact_prefix=${findings}${path.sep}`];
  if (target.info !== null && !hasFlag(libFuzzerUser, 'max_len')) libFuzzer.push(`-max_len=${target.info.maxLen}`);
  for (const d of target.info?.dictionaries ?? []) libFuzzer.push(`-dict=${path.join(DICTIONARY_DIR, d)}`);
  for (const d of c.dicts) libFuzzer.push(`-dict=${path.resolve(d)}`);
  if (c.runs !== null) libFuzzer.push(`-runs=${c.runs}`);
  if (c.time !== null) libFuzzer.push(`-max_total_time=${c.time}`);

  let corpus: string[];
  let inputs: string[] = [];
  if (c.minimize !== null) {
    const file = path.resolve(c.minimize);
    if (!existsSync(file)) throw new UsageError(`no such file: ${c.minimize}`);
    corpus = [];
    inputs = [file];
    if (!hasFlag(libFuzzerUser, 'runs') && c.runs === null) libFuzzer.push('-runs=20000');
    libFuzzer.push('-minimize_crash=1', `-exact_artifact_path=${file}.min`);
  } else {
    if (c.corpus.length > 0) corpus = c.corpus.map((d) => path.resolve(d));
    else {
      // New inputs go to the cache; the committed seeds and regressions are read too.
      const seeds = path.join(target.info !== null ? PROJECT_ROOT : process.cwd(), 'corpus', target.name);
      corpus = [path.join(cache, 'corpus', target.name), ...(existsSync(seeds) ? [seeds] : [])];
    }
    mkdirSync(corpus[0]!, { recursive: true });
  }
  libFuzzer.push(...libFuzzerUser, ...inputs);

  const command: JazzerCommand = {
    projectRoot: PROJECT_ROOT,
    entry: built.entry,
    corpus,
    includes: includesFor(target, built),
    jazzerOptions: jazzer,
    libFuzzer,
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...runtime.env, WS_NO_BUFFER_UTIL: '1', WS_NO_UTF_8_VALIDATE: '1' };
  if (acknowledged.length > 0) env.WSCHECK_FUZZ_ACKNOWLEDGE = acknowledged.join(',');
  const argv = jazzerArgv(command);
  if (c.verbose) out(`$ node ${argv.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  out(`fuzzing ${target.name}: corpus ${corpus.map(displayPath).join(', ') || '(none)'}; reproducers go to ${displayPath(findings)}`);

  const artifactsBefore = new Set(readdirSync(findings));
  const result = await runJazzer({ argv, env, cwd: work, label: target.name, verbose: c.verbose, out });
  const m = result.monitor;
  // Fork mode with -ignore_crashes=1 (and -jobs) leave workers' reproducers without a word in the parent's output.
  for (const name of readdirSync(findings)) {
    const file = path.join(findings, name);
    if (artifactsBefore.has(name) || !/^(crash|timeout|oom|leak|slow-unit)-/.test(name)) continue;
    if (m.findings.some((f) => path.resolve(work, f.artifact) === file)) continue;
    m.findings.push({ kind: name.startsWith('crash') ? 'crash' : name.startsWith('timeout') ? 'timeout' : name.startsWith('oom') ? 'oom' : name.startsWith('leak') ? 'leak' : 'slow-unit', artifact: file, summary: null });
  }
  const s = m.stats;
  const runs = s.finalRuns ?? s.runs;
  const eps = s.finalExecPerSecond ?? s.execPerSecond;
  const seconds = s.seconds ?? Math.round(result.elapsedMs / 1000);
  if (c.minimize === null) {
    out(`${target.name}: ${runs} runs in ${seconds} s, ${eps} exec/s, coverage ${s.coverage} edges (${s.features} features), corpus ${s.corpusInputs} inputs (${formatOctets(s.corpusOctets)})${corpus.length > 0 ? ` in ${displayPath(corpus[0]!)}` : ''}`);
  }

  if (c.minimize !== null) {
    const min = `${path.resolve(c.minimize)}.min`;
    if (existsSync(min)) {
      out(`minimized reproducer: ${displayPath(min)} (${statSync(min).size} octets, from ${statSync(c.minimize).size})`);
      if (target.info !== null) out(`keep it as a regression input: cp ${displayPath(min)} corpus/${target.name}/regressions/NAME`);
      return 0;
    }
    err('wscheck fuzz: libFuzzer did not write a minimized reproducer (does the input still reproduce? try --replay)');
    return 1;
  }
  if (m.findings.length > 0) {
    for (const f of m.findings.slice(0, 5)) {
      const file = path.isAbsolute(f.artifact) ? f.artifact : path.resolve(work, f.artifact);
      err(`FINDING (${f.kind})${f.summary !== null ? `: ${f.summary}` : ''}`);
      err(`  reproducer: ${displayPath(file)}${existsSync(file) ? ` (${statSync(file).size} octets)` : ''}`);
      err(`  replay:     npx tsx fuzz ${c.target} --replay ${displayPath(file)}`);
      err(`  minimize:   npx tsx fuzz ${c.target} --minimize ${displayPath(file)}`);
      if (target.info !== null) err(`  keep it:    cp ${displayPath(file)} corpus/${target.name}/regressions/NAME   (npm test replays it)`);
    }
    if (m.findings.length > 5) err(`… and ${m.findings.length - 5} more reproducers in ${displayPath(findings)}`);
    return 1;
  }
  if (result.interrupted) return 130;
  if (result.status !== 0) {
    err(`wscheck fuzz: Jazzer.js exited with ${result.status ?? result.signal} without reporting a finding (run again with --verbose)`);
    return 2;
  }
  out('no finding');
  return 0;
}

/** Entry point for `npx tsx fuzz` and `wscheck fuzz`. */
export async function runFuzzCli(argv: readonly string[], io: { out?: Out; err?: Out } = {}): Promise<number> {
  const out = io.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = io.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  try {
    const c = parseFuzzArgs(argv);
    switch (c.kind) {
      case 'help':
        out(USAGE);
        return 0;
      case 'list':
        return listTargets(out);
      case 'seeds': {
        const { writeSeedCorpora } = await import('./corpus/seeds.js');
        return writeSeedCorpora(path.join(PROJECT_ROOT, 'corpus'), out);
      }
      case 'oss-fuzz': {
        const { buildOssFuzz } = await import('./jazzer/oss-fuzz.js');
        return await buildOssFuzz({ out: path.resolve(c.out), projectRoot: PROJECT_ROOT, log: out });
      }
      case 'fuzz':
        return await fuzzTarget(c, out, err);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`wscheck fuzz: ${e.message}`);
      return 2;
    }
    const { BuildError } = await import('./jazzer/build.js');
    if (e instanceof BuildError) {
      err(`wscheck fuzz: ${e.message}`);
      return 2;
    }
    err(`wscheck fuzz: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}
