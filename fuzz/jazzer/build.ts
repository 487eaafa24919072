/**
 * Turn a fuzz target written in TypeScript (or ESM JavaScript) into the
 * CommonJS files Jazzer.js loads and instruments.
 *
 * A target is split in bundles (esbuild): the code under test — the modules
 * under the `underTest` folders, for wscheck's own targets `src/…` — goes
 * into `sut.cjs`, which Jazzer.js instruments; files of those folders left
 * out on purpose (`notUnderTest`) into `lib.cjs`; the harness (oracles,
 * comparison, input decoding) into `target.cjs`. The last two run at full
 * speed. Bundling keeps calls inside each bundle direct (module-per-file
 * CommonJS would turn every use of an imported binding into a getter call).
 * Packages from node_modules stay where they are installed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { type Plugin, build } from 'esbuild';

export interface BuildOptions {
  /** The target module (exports `fuzz(data: Buffer)`). */
  readonly file: string;
  /** Name for the build folder. */
  readonly name: string;
  /** Cache folder (`.fuzz-cache`). */
  readonly cacheDir: string;
  /**
   * Folders (absolute) whose modules are the code under test. Empty: the
   * whole target is one bundle (`target.cjs`), instrumented as a whole.
   */
  readonly underTest?: readonly string[];
  /** Files (absolute) inside `underTest` that belong to the harness all the same. */
  readonly notUnderTest?: readonly string[];
  /** Where the build goes; default `<cacheDir>/build/<name>-<hash>`. */
  readonly outDir?: string;
  /**
   * Require installed packages by bare name (resolved at run time, e.g. with
   * NODE_PATH, as in an OSS-Fuzz $OUT) instead of by their absolute path
   * here (the default: the build then runs from any folder).
   */
  readonly barePackages?: boolean;
}

export interface BuiltTarget {
  /** The CommonJS module to hand to Jazzer.js. */
  readonly entry: string;
  /** The bundle of the code under test, or null when the target is one bundle. */
  readonly sut: string | null;
  readonly outDir: string;
  /** Local source files the target pulls in (absolute). */
  readonly sources: readonly string[];
}

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

const SUT_NAMESPACE = 'wscheck-sut';

/** Packages stay outside the bundles, required by the absolute path they resolve to from the importing file. */
const absolutePackages: Plugin = {
  name: 'wscheck-absolute-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path) || args.resolveDir === '') return undefined;
      try {
        return { path: createRequire(path.join(args.resolveDir, 'index.js')).resolve(args.path), external: true };
      } catch {
        return undefined;
      }
    });
  },
};

function inside(file: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => file.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
}

function failure(file: string, e: unknown): BuildError {
  return new BuildError(`cannot compile ${file}: ${e instanceof Error ? e.message : String(e)}`);
}

/** Compile `options.file` and the local modules it imports. */
export async function buildTarget(options: BuildOptions): Promise<BuiltTarget> {
  const file = path.resolve(options.file);
  if (!existsSync(file)) throw new BuildError(`no such fuzz target file: ${file}`);
  const cwd = path.dirname(file);
  const underTest = (options.underTest ?? []).map((d) => path.resolve(d));
  const notUnderTest = new Set((options.notUnderTest ?? []).map((f) => path.resolve(f)));
  const hash = createHash('sha256').update(file).digest('hex').slice(0, 8);
  const outDir = path.resolve(options.outDir ?? path.join(options.cacheDir, 'build', `${options.name}-${hash}`));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const common = {
    absWorkingDir: cwd,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  } as const;
  const packagePlugins = options.barePackages ? [] : [absolutePackages];

  // Which local files does the target pull in, and which of them does the harness import directly from the code under test?
  let sources: string[];
  try {
    const probe = await build({ ...common, entryPoints: [file], write: false, metafile: true, format: 'esm', sourcemap: false });
    sources = Object.keys(probe.metafile.inputs)
      .map((p) => path.resolve(cwd, p))
      .filter((p) => !p.split(path.sep).includes('node_modules'))
      .sort();
  } catch (e) {
    throw failure(file, e);
  }
  const entry = path.join(outDir, 'target.cjs');
  if (underTest.length === 0) {
    try {
      await build({ ...common, entryPoints: [file], outfile: entry, plugins: packagePlugins });
    } catch (e) {
      throw failure(file, e);
    }
    return { entry, sut: null, outDir, sources };
  }

  // Three bundles: sut.cjs (the code under test, instrumented), lib.cjs (files of the code under test's folders
  // that are left uninstrumented: hot per-octet loops, helpers only the harness uses), target.cjs (the harness).
  // An import that lands in another bundle becomes a property of that bundle's exports.
  const groups = { sut: [] as string[], lib: [] as string[] };
  const sut = path.join(outDir, 'sut.cjs');
  const lib = path.join(outDir, 'lib.cjs');
  const groupOf = (p: string): 'sut' | 'lib' | null => (notUnderTest.has(p) ? 'lib' : inside(p, underTest) ? 'sut' : null);
  const redirect = (self: 'target' | 'sut' | 'lib'): Plugin => ({
    name: 'wscheck-split',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.namespace === SUT_NAMESPACE || args.pluginData === SUT_NAMESPACE) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: SUT_NAMESPACE });
        if (r.errors.length > 0) return undefined;
        const group = groupOf(r.path);
        // lib.cjs is self-contained; sut.cjs bundles its own modules and takes lib's from lib.cjs.
        if (group === null || group === self || self === 'lib') return undefined;
        const list = groups[group];
        let k = list.indexOf(r.path);
        if (k < 0) k = list.push(r.path) - 1;
        return { path: `${group}:m${k}`, namespace: SUT_NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: SUT_NAMESPACE }, (args) => {
        const [group, name] = args.path.split(':');
        return { contents: `module.exports = require(${JSON.stringify(`./${group}.cjs`)}).${name};`, loader: 'js' };
      });
    },
  });
  const external = ['./sut.cjs', './lib.cjs'];
  const barrel = (list: readonly string[], name: string) => ({
    contents: list.map((m, k) => `export * as m${k} from ${JSON.stringify(m)};`).join('\n'),
    resolveDir: cwd,
    sourcefile: name,
    loader: 'js' as const,
  });
  try {
    await build({ ...common, entryPoints: [file], outfile: entry, plugins: [redirect('target'), ...packagePlugins], external });
    // sut.cjs may add lib modules of its own; lib.cjs is built last, with every module anyone asked for.
    if (groups.sut.length > 0) await build({ ...common, stdin: barrel(groups.sut, 'wscheck-code-under-test.js'), outfile: sut, plugins: [redirect('sut'), ...packagePlugins], external });
    if (groups.lib.length > 0) await build({ ...common, stdin: barrel(groups.lib, 'wscheck-uninstrumented.js'), outfile: lib, plugins: [redirect('lib'), ...packagePlugins], external });
  } catch (e) {
    throw failure(file, e);
  }
  return { entry, sut: groups.sut.length > 0 ? sut : null, outDir, sources };
}
