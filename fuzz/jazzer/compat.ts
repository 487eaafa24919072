/**
 * Make @jazzer.js/fuzzer's prebuilt native addon load on systems whose C and
 * C++ runtimes are older than the ones it was linked against (Debian 12,
 * Ubuntu 22.04: glibc 2.36 / 2.35 and libstdc++ GLIBCXX_3.4.30, while the
 * 4.0.0 Linux prebuild asks for GLIBC_2.38 and GLIBCXX_3.4.32).
 *
 * What it does, only when the stock addon fails to load (DEVELOPERS.md has
 * the facts behind each step):
 *
 * 1. reads the addon's ELF version needs and the system libraries' version
 *    definitions, and lists the versions the system lacks and the symbols
 *    bound to them;
 * 2. if every such symbol is one it knows how to provide (`SHIMS`), writes a
 *    tiny C file defining them and compiles it with the system C compiler
 *    into the cache folder;
 * 3. writes a copy of the addon whose needs on the missing versions are
 *    marked weak (VER_FLG_WEAK), so the dynamic linker accepts the shim's
 *    unversioned definitions — the stock file in node_modules is never
 *    touched;
 * 4. writes a `--require` hook that makes `process.dlopen` load that copy,
 *    and returns the environment (LD_PRELOAD of the shim, NODE_OPTIONS with
 *    the hook) under which Jazzer.js — and every worker libFuzzer's fork and
 *    jobs modes start — loads it;
 * 5. checks that the addon now loads, and caches the result by the addon's
 *    hash.
 *
 * Where the stock addon loads, nothing happens and the environment is empty.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ElfFile, ElfError, markVersionsWeak } from './elf.js';

export class CompatError extends Error {
  override readonly name = 'CompatError';
}

/** Symbols the shim can define, with their C definition. */
export const SHIMS: Readonly<Record<string, string>> = {
  // C23 (glibc 2.38) strto* differ from the classic ones only in accepting a 0b/0B binary prefix for base 0 and 2.
  __isoc23_strtol: 'long __isoc23_strtol(const char *s, char **end, int base) { return strtol(s, end, base); }',
  __isoc23_strtoul: 'unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return strtoul(s, end, base); }',
  __isoc23_strtoll: 'long long __isoc23_strtoll(const char *s, char **end, int base) { return strtoll(s, end, base); }',
  __isoc23_strtoull: 'unsigned long long __isoc23_strtoull(const char *s, char **end, int base) { return strtoull(s, end, base); }',
  // std::ios_base_library_init() (GCC 13): <iostream> only references it so that the program needs a libstdc++
  // that initialises the standard streams itself; it is never called. Older libstdc++ initialises them through
  // the static ios_base::Init objects of the program (Node has them).
  _ZSt21ios_base_library_initv: 'void _ZSt21ios_base_library_initv(void) {}',
};

/** How Jazzer.js's addon is to be loaded. */
export interface JazzerRuntime {
  /** The addon Jazzer.js loads. */
  readonly addon: string;
  /** Variables to add to the environment of every process that loads the addon; empty when the stock addon loads. */
  readonly env: Readonly<Record<string, string>>;
  /** One line saying the compatibility copy is in use, or null. */
  readonly note: string | null;
  /** The full explanation, only on the run that built the compatibility copy. */
  readonly explanation: string | null;
}

export interface PrepareOptions {
  /** Directory whose node_modules holds @jazzer.js/fuzzer. */
  readonly projectRoot: string;
  /** Where to build and cache the shim and the patched copy. */
  readonly cacheDir: string;
  /** C compiler to use; default $CC, then cc, gcc, clang. */
  readonly cc?: string;
  /** Environment to start from (default process.env). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/** Path of the prebuilt addon @jazzer.js/fuzzer loads on this platform. */
export function stockAddonPath(projectRoot: string): string {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  let pkg: string;
  try {
    pkg = require.resolve('@jazzer.js/fuzzer/package.json');
  } catch {
    throw new CompatError('@jazzer.js/fuzzer is not installed (it comes with @jazzer.js/core): run npm install');
  }
  return path.join(path.dirname(pkg), 'prebuilds', `fuzzer-${process.platform}-${process.arch}.node`);
}

/** Try to load `addon` in a fresh Node process; null when it loads, else the loader's error. */
export function probeAddon(addon: string, env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return null;
  const text = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  const line = text.split('\n').find((l) => /^Error:/.test(l.trim())) ?? text.trim().split('\n').at(-1) ?? `exit status ${r.status}`;
  return line.trim();
}

/** Multiarch directories the dynamic linker searches by default, for this machine. */
function libraryDirs(): string[] {
  const triplet = process.arch === 'arm64' ? 'aarch64-linux-gnu' : process.arch === 'x64' ? 'x86_64-linux-gnu' : `${process.arch}-linux-gnu`;
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
}

/** The file the dynamic linker would load for `soname`: first one mapped into this process, else the default directories. */
export function findSystemLibrary(soname: string): string | null {
  try {
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const file = line.slice(line.indexOf('/'));
      if (line.includes('/') && path.basename(file) === soname && existsSync(file)) return file;
    }
  } catch {
    // No /proc: fall back to the directories.
  }
  for (const dir of libraryDirs()) {
    const file = path.join(dir, soname);
    if (existsSync(file)) return file;
  }
  return null;
}

export interface MissingVersions {
  /** Needed versions the system libraries do not define (and that are not already weak). */
  readonly versions: readonly { file: string; name: string }[];
  /** Symbols bound to those versions. */
  readonly symbols: readonly string[];
}

/** Which needed versions of `addon` the libraries on this system lack. */
export function missingVersions(addonBytes: Uint8Array, findLibrary: (soname: string) => string | null = findSystemLibrary): MissingVersions {
  const elf = new ElfFile(addonBytes);
  const defined = new Map<string, Set<string> | null>();
  const versions: { file: string; name: string }[] = [];
  for (const need of elf.versionNeeds()) {
    if ((need.flags & 2) !== 0) continue;
    if (!defined.has(need.file)) {
      const lib = findLibrary(need.file);
      defined.set(need.file, lib === null ? null : new Set(new ElfFile(readFileSync(lib)).versionDefinitions()));
    }
    const defs = defined.get(need.file);
    if (defs === null) throw new CompatError(`the addon needs ${need.file}, which is not installed`);
    if (!defs!.has(need.name)) versions.push({ file: need.file, name: need.name });
  }
  const names = new Set(versions.map((v) => `${v.file} ${v.name}`));
  const symbols = [...new Set(elf.versionedImports().filter((i) => names.has(`${i.file} ${i.version}`)).map((i) => i.symbol))].sort();
  return { versions, symbols };
}

/**
 * The C source of a shim defining `symbols` (all of them in SHIMS). It
 * declares what it calls instead of including <stdlib.h>, and is linked
 * without the C library (`-nostdlib`): its calls resolve at load time to the
 * libc the process already has, so a bare compiler is enough — no libc
 * headers or development files.
 */
export function shimSource(symbols: readonly string[]): string {
  const lines = [
    '/* Written by wscheck (fuzz/jazzer/compat.ts): definitions of the symbols Jazzer.js\'s prebuilt addon',
    ' * needs from a newer C or C++ runtime than this system has. See DEVELOPERS.md. */',
    'long strtol(const char *, char **, int);',
    'unsigned long strtoul(const char *, char **, int);',
    'long long strtoll(const char *, char **, int);',
    'unsigned long long strtoull(const char *, char **, int);',
    '',
  ];
  for (const s of symbols) lines.push(SHIMS[s]!);
  return `${lines.join('\n')}\n`;
}

/**
 * The `--require` hook that makes Node load the patched copy (beside the hook)
 * whenever Jazzer.js asks for its stock addon. It matches the stock file by
 * its place in the package, not by an absolute path, so the cache folder can
 * move (OSS-Fuzz and ClusterFuzzLite run builds from another directory than
 * the one they were made in).
 */
export function hookSource(addonFile: string): string {
  const suffix = ['', '@jazzer.js', 'fuzzer', 'prebuilds', addonFile].join('/');
  return `// Written by wscheck (fuzz/jazzer/compat.ts); see DEVELOPERS.md.
// Loads wscheck's compatibility copy of Jazzer.js's native addon instead of the stock file.
'use strict';
const path = require('path');
const patched = path.join(__dirname, ${JSON.stringify(addonFile)});
const suffix = ${JSON.stringify(suffix)};
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  const wanted = String(filename).split(path.sep).join('/');
  return dlopen.call(this, module, wanted.endsWith(suffix) ? patched : filename, ...rest);
};
`;
}

/** First working C compiler: `cc` option, $CC, cc, gcc, clang. */
export function findCompiler(preferred: string | undefined, env: NodeJS.ProcessEnv): string | null {
  const candidates = [preferred, env.CC, 'cc', 'gcc', 'clang'].filter((c): c is string => c !== undefined && c !== '');
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { env, encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

/** The one command that installs a C compiler here. */
export function installHint(): string {
  let id = '';
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    id = `${/^ID=(.*)$/m.exec(release)?.[1] ?? ''} ${/^ID_LIKE=(.*)$/m.exec(release)?.[1] ?? ''}`.replace(/"/g, '');
  } catch {
    // Unknown distribution.
  }
  if (/\b(debian|ubuntu)\b/.test(id)) return 'apt-get install gcc';
  if (/\b(fedora|rhel|centos)\b/.test(id)) return 'dnf install gcc';
  if (/\b(arch)\b/.test(id)) return 'pacman -S gcc';
  if (/\b(suse|opensuse)\b/.test(id)) return 'zypper install gcc';
  return 'install gcc or clang (or point CC at a C compiler)';
}

/** `p` relative to the working directory when inside it, else absolute. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

function glibcVersion(): string {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ?? 'unknown';
}

function withPreload(env: NodeJS.ProcessEnv, shim: string, hook: string): Record<string, string> {
  const preload = env.LD_PRELOAD ? `${shim}:${env.LD_PRELOAD}` : shim;
  const require = `--require ${JSON.stringify(hook)}`;
  const nodeOptions = env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ${require}` : require;
  return { LD_PRELOAD: preload, NODE_OPTIONS: nodeOptions };
}

/**
 * Decide how Jazzer.js's addon loads here, building the compatibility copy if
 * it must. Throws CompatError with a one-line reason (and what to install)
 * when the addon cannot be made to load.
 */
export function prepareJazzerRuntime(options: PrepareOptions): JazzerRuntime {
  const baseEnv = options.baseEnv ?? process.env;
  const addon = stockAddonPath(options.projectRoot);
  if (!existsSync(addon)) throw new CompatError(`Jazzer.js has no prebuilt addon for ${process.platform}-${process.arch} (${addon})`);
  const failure = probeAddon(addon, baseEnv);
  if (failure === null) return { addon, env: {}, note: null, explanation: null };
  if (process.platform !== 'linux') throw new CompatError(`Jazzer.js's native addon does not load: ${failure}`);

  const bytes = readFileSync(addon);
  let missing: MissingVersions;
  try {
    missing = missingVersions(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new CompatError(`Jazzer.js's native addon does not load (${failure}) and cannot be read as ELF: ${e.message}`);
    throw e;
  }
  if (missing.versions.length === 0) throw new CompatError(`Jazzer.js's native addon does not load: ${failure}`);
  const unknown = missing.symbols.filter((s) => SHIMS[s] === undefined);
  const versionList = missing.versions.map((v) => `${v.name} (${v.file})`).join(', ');
  if (unknown.length > 0) {
    throw new CompatError(
      `Jazzer.js's native addon needs ${versionList}, newer than this system's libraries, for ${unknown.join(', ')}; ` +
        `wscheck's compatibility step can stand in only for ${Object.keys(SHIMS).join(', ')}. Fuzz on a newer system (glibc 2.38 or later, e.g. Ubuntu 24.04 or Debian 13).`,
    );
  }

  const source = shimSource(missing.symbols);
  const key = createHash('sha256').update(bytes).update(source).update(process.arch).digest('hex').slice(0, 16);
  let base = path.resolve(options.cacheDir, 'compat');
  // LD_PRELOAD splits on spaces and colons.
  if (/[\s:]/.test(base)) base = path.join(os.tmpdir(), `wscheck-jazzer-compat-${os.userInfo().uid}`);
  const dir = path.join(base, key);
  const shim = path.join(dir, 'jazzer-compat-shim.so');
  const hook = path.join(dir, 'load-compat-addon.cjs');
  const env = withPreload(baseEnv, shim, hook);
  const note = `Jazzer.js addon: using wscheck's compatibility copy (${displayPath(dir)}; see DEVELOPERS.md)`;

  if (existsSync(path.join(dir, 'ready.json'))) {
    const again = probeAddon(addon, { ...baseEnv, ...env });
    if (again === null) return { addon, env, note, explanation: null };
    rmSync(dir, { recursive: true, force: true });
  }

  const cc = findCompiler(options.cc, baseEnv);
  if (cc === null) {
    throw new CompatError(
      `Jazzer.js's native addon needs ${versionList}; wscheck can make it load on this system, but needs a C compiler for that: ${installHint()}`,
    );
  }
  mkdirSync(base, { recursive: true });
  const tmp = mkdtempSync(path.join(base, `${key}.tmp-`));
  try {
    writeFileSync(path.join(tmp, 'jazzer-compat-shim.c'), source);
    const build = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-nostdlib', '-o', path.join(tmp, 'jazzer-compat-shim.so'), path.join(tmp, 'jazzer-compat-shim.c')], {
      env: baseEnv,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new CompatError(`compiling the compatibility shim with ${cc} failed: ${(build.stderr || String(build.error)).trim()}`);
    writeFileSync(path.join(tmp, path.basename(addon)), markVersionsWeak(bytes, [...new Set(missing.versions.map((v) => v.name))]));
    writeFileSync(path.join(tmp, 'load-compat-addon.cjs'), hookSource(path.basename(addon)));
    writeFileSync(
      path.join(tmp, 'ready.json'),
      `${JSON.stringify({ addon, sha256: createHash('sha256').update(bytes).digest('hex'), weakVersions: missing.versions, shimmed: missing.symbols, cc, glibc: glibcVersion() }, null, 2)}\n`,
    );
    try {
      renameSync(tmp, dir);
    } catch {
      // Another run finished first: use its copy.
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const check = probeAddon(addon, { ...baseEnv, ...env });
  if (check !== null) throw new CompatError(`the compatibility copy of Jazzer.js's addon still does not load: ${check}`);
  const explanation = [
    `Jazzer.js's prebuilt native addon was linked against newer system libraries than this machine has`,
    `(it needs ${versionList}; this system has glibc ${glibcVersion()}), so Node refused to load it:`,
    `  ${failure}`,
    `The only symbols it needs from those versions are ${missing.symbols.join(', ')}. wscheck compiled a small shim`,
    `defining them (${cc}), wrote a copy of the addon that marks those version needs weak, and loads that copy with`,
    `the shim preloaded. node_modules is unchanged. Cached in ${displayPath(dir)}; details in DEVELOPERS.md.`,
  ].join('\n');
  return { addon, env, note, explanation };
}

/** Remove stale temporary build folders (after a crash mid-build). */
export function cleanCompatCache(cacheDir: string): void {
  const base = path.resolve(cacheDir, 'compat');
  if (!existsSync(base)) return;
  for (const entry of readdirSync(base)) if (entry.includes('.tmp-')) rmSync(path.join(base, entry), { recursive: true, force: true });
}
