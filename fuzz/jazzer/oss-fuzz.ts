/**
 * `npx tsx fuzz oss-fuzz --out DIR`: the fuzz targets as OSS-Fuzz and
 * ClusterFuzzLite expect them in `$OUT` (their build script, build.sh, runs
 * this), so that continuous fuzzing needs no other glue:
 *
 * ```
 * $OUT/<target>                 executable: the fuzz target (a shell wrapper; it names
 *                               LLVMFuzzerTestOneInput, the marker the runners look for)
 * $OUT/<target>.dict            libFuzzer dictionary
 * $OUT/<target>.options         [libfuzzer] max_len
 * $OUT/<target>_seed_corpus.zip corpus/<target>/ (seeds and regression inputs)
 * $OUT/wscheck-fuzz/            launcher, compiled targets, compatibility cache
 * $OUT/wscheck/node_modules/    Jazzer.js, ws, websocket-driver (copied)
 * ```
 *
 * The wrapper runs `node wscheck-fuzz/launch.cjs` with the engine's
 * arguments: libFuzzer flags and a corpus folder when fuzzing, a testcase
 * file when reproducing. Targets are named as in `npx tsx fuzz list`.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { TARGETS, DICTIONARY_DIR } from '../targets/index.js';
import { buildTarget } from './build.js';
import { CompatError, prepareJazzerRuntime } from './compat.js';
import { zip } from './zip.js';

export interface OssFuzzOptions {
  /** $OUT */
  readonly out: string;
  /** wscheck's root (its node_modules and corpus/). */
  readonly projectRoot: string;
  readonly log: (line: string) => void;
  /** Only these targets (default all). */
  readonly targets?: readonly string[];
}

function wrapper(name: string, includes: readonly string[]): string {
  const inc = includes.map((i) => ` --includes "${i}"`).join('');
  return `#!/bin/sh
# wscheck fuzz target "${name}" for OSS-Fuzz and ClusterFuzzLite, written by npx tsx fuzz oss-fuzz.
# (LLVMFuzzerTestOneInput: the name the runners look for to recognise a fuzz target.)
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/wscheck-fuzz/launch.cjs" --project "$here/wscheck" --target "$here/wscheck-fuzz/${name}/target.cjs"${inc} -- "$@"
`;
}

function corpusEntries(dir: string): { name: string; data: Uint8Array }[] {
  if (!existsSync(dir)) return [];
  const out: { name: string; data: Uint8Array }[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.push({ name: path.relative(dir, file).split(path.sep).join('-'), data: readFileSync(file) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export async function buildOssFuzz(o: OssFuzzOptions): Promise<number> {
  const out = path.resolve(o.out);
  const home = path.join(out, 'wscheck-fuzz');
  mkdirSync(home, { recursive: true });

  // Jazzer.js and the packages the targets compare with, beside the targets.
  const modules = path.join(out, 'wscheck', 'node_modules');
  if (!existsSync(modules)) {
    o.log(`copying node_modules to ${modules}`);
    mkdirSync(path.dirname(modules), { recursive: true });
    cpSync(path.join(o.projectRoot, 'node_modules'), modules, { recursive: true });
  }
  if (!existsSync(path.join(out, 'wscheck', 'package.json'))) writeFileSync(path.join(out, 'wscheck', 'package.json'), '{ "private": true }\n');

  await build({
    stdin: {
      contents: `import { launch } from ${JSON.stringify(path.join(import.meta.dirname, 'launch.ts'))};\nlaunch(process.argv.slice(2)).then((code) => process.exit(code));\n`,
      resolveDir: import.meta.dirname,
      sourcefile: 'wscheck-launch.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: path.join(home, 'launch.cjs'),
    logLevel: 'silent',
  });

  const selected = TARGETS.filter((t) => o.targets === undefined || o.targets.includes(t.name));
  for (const t of selected) {
    const own = t.instrument.filter((s) => !s.startsWith('pkg:'));
    const built = await buildTarget({
      file: t.file,
      name: t.name,
      cacheDir: home,
      outDir: path.join(home, t.name),
      barePackages: true,
      underTest: own.filter((s) => !s.startsWith('!')).map((s) => path.join(o.projectRoot, s)),
      notUnderTest: own.filter((s) => s.startsWith('!')).map((s) => path.join(o.projectRoot, s.slice(1))),
    });
    const includes = [
      ...(built.sut === null ? [] : [`$here/wscheck-fuzz/${t.name}/sut.cjs`]),
      ...t.instrument.filter((s) => s.startsWith('pkg:')),
    ];
    const exe = path.join(out, t.name);
    writeFileSync(exe, wrapper(t.name, includes));
    chmodSync(exe, 0o755);
    writeFileSync(path.join(out, `${t.name}.dict`), t.dictionaries.map((d) => readFileSync(path.join(DICTIONARY_DIR, d), 'utf8')).join('\n'));
    writeFileSync(path.join(out, `${t.name}.options`), `[libfuzzer]\nmax_len = ${t.maxLen}\n`);
    const seeds = corpusEntries(path.join(o.projectRoot, 'corpus', t.name));
    writeFileSync(path.join(out, `${t.name}_seed_corpus.zip`), zip(seeds));
    o.log(`${t.name}: ${path.relative(process.cwd(), exe) || exe}, ${seeds.length} seed inputs`);
  }

  // Prepare the Jazzer.js compatibility copy now, where a compiler is at hand, for runners that lack one.
  try {
    const runtime = prepareJazzerRuntime({ projectRoot: path.join(out, 'wscheck'), cacheDir: path.join(home, 'cache') });
    o.log(runtime.note === null ? 'Jazzer.js addon: the stock prebuild loads here' : runtime.note);
  } catch (e) {
    if (!(e instanceof CompatError)) throw e;
    o.log(`warning: ${e.message}`);
  }
  rmSync(path.join(home, 'build'), { recursive: true, force: true });
  return 0;
}
