/**
 * The fuzzing tooling without running the fuzzer: the ELF reader and writer,
 * the compatibility step's pieces, libFuzzer output parsing, the command
 * line, plain-Node replay, seed corpora and the ZIP writer.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFuzzArgs } from '../../fuzz/cli.js';
import { findSystemLibrary, hookSource, installHint, missingVersions, shimSource, SHIMS, stockAddonPath } from '../../fuzz/jazzer/compat.js';
import { seedCorpora } from '../../fuzz/corpus/seeds.js';
import { ElfError, ElfFile, VER_FLG_WEAK, markVersionsWeak } from '../../fuzz/jazzer/elf.js';
import { LibFuzzerMonitor } from '../../fuzz/jazzer/monitor.js';
import { splitEngineArgs } from '../../fuzz/jazzer/run.js';
import { crc32, zip } from '../../fuzz/jazzer/zip.js';
import { fuzzCli as cli, tempFolders } from './support/fuzz-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

const temp = tempFolders();


describe.runIf(linuxX64)('ELF reader and writer, on Jazzer.js 4.0.0\'s Linux prebuild', () => {
  const addon = readFileSync(stockAddonPath(root));

  it('reads the needed libraries, the version needs and the symbols bound to them', () => {
    const elf = new ElfFile(addon);
    expect(elf.machine).toBe(62);
    expect(elf.needed()).toEqual(expect.arrayContaining(['libc.so.6', 'libstdc++.so.6']));
    const needs = elf.versionNeeds().map((n) => `${n.file} ${n.name}`);
    expect(needs).toEqual(expect.arrayContaining(['libc.so.6 GLIBC_2.38', 'libstdc++.so.6 GLIBCXX_3.4.32']));
    const newest = elf.versionedImports().filter((i) => i.version === 'GLIBC_2.38' || i.version === 'GLIBCXX_3.4.32').map((i) => i.symbol).sort();
    expect(newest).toEqual(['_ZSt21ios_base_library_initv', '__isoc23_strtol', '__isoc23_strtoul']);
  });

  it('marks versions weak in a copy: two flag words change, nothing else', () => {
    const patched = markVersionsWeak(addon, ['GLIBC_2.38', 'GLIBCXX_3.4.32']);
    expect(patched.length).toBe(addon.length);
    const changed: number[] = [];
    for (let i = 0; i < addon.length; i++) if (addon[i] !== patched[i]) changed.push(i);
    expect(changed).toHaveLength(2);
    const weak = new ElfFile(patched).versionNeeds().filter((n) => (n.flags & VER_FLG_WEAK) !== 0).map((n) => n.name).sort();
    expect(weak).toEqual(['GLIBCXX_3.4.32', 'GLIBC_2.38']);
    expect(() => markVersionsWeak(addon, ['GLIBC_9.99'])).toThrow(ElfError);
  });

  it('knows which needed versions this system lacks, and the symbols bound to them', () => {
    const libc = findSystemLibrary('libc.so.6');
    expect(libc).not.toBeNull();
    const has238 = new ElfFile(readFileSync(libc!)).versionDefinitions().includes('GLIBC_2.38');
    const found = missingVersions(addon);
    expect(found.versions.some((v) => v.name === 'GLIBC_2.38')).toBe(!has238);
    if (!has238) expect(found.symbols).toEqual(expect.arrayContaining(['__isoc23_strtol', '__isoc23_strtoul']));
    // A library that defines nothing: every need on it is missing.
    expect(() => missingVersions(addon, () => null)).toThrow(/not installed/);
  });

  it('rejects what is not a 64-bit little-endian ELF object', () => {
    expect(() => new ElfFile(new Uint8Array(100))).toThrow(ElfError);
    const big = new Uint8Array(addon.subarray(0, 64));
    big[5] = 2;
    expect(() => new ElfFile(big)).toThrow(/little-endian/);
  });
});

describe('compatibility step pieces', () => {
  it('the shim defines exactly the symbols asked for, with the right C++ mangled name', () => {
    const src = shimSource(['__isoc23_strtol', '_ZSt21ios_base_library_initv']);
    expect(src).toContain('long __isoc23_strtol(const char *s, char **end, int base) { return strtol(s, end, base); }');
    expect(src).toContain('void _ZSt21ios_base_library_initv(void) {}');
    expect(src).not.toContain('__isoc23_strtoul');
    expect(src).not.toContain('#include');
    expect(Object.keys(SHIMS)).toContain('__isoc23_strtoul');
  });

  it('the --require hook redirects the stock addon (by its place in the package) and nothing else', () => {
    const dir = temp('hook');
    writeFileSync(path.join(dir, 'hook.cjs'), hookSource('fuzzer-linux-x64.node'));
    const probe = `
      const calls = [];
      process.dlopen = (m, f) => calls.push(f);
      require(${JSON.stringify(path.join(dir, 'hook.cjs'))});
      process.dlopen({}, '/x/node_modules/@jazzer.js/fuzzer/prebuilds/fuzzer-linux-x64.node');
      process.dlopen({}, '/x/other.node');
      console.log(JSON.stringify(calls));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual([path.join(dir, 'fuzzer-linux-x64.node'), '/x/other.node']);
  });

  it('says what to install for a compiler on this kind of system', () => {
    expect(installHint()).toMatch(/gcc|clang/);
  });
});

describe('libFuzzer output', () => {
  it('status lines, a finding and its reproducer, the final statistics', () => {
    const m = new LibFuzzerMonitor('decoder');
    const lines = [
      'INFO: Seed: 1',
      '#2\tINITED cov: 71 ft: 71 corp: 1/1b exec/s: 0 rss: 163Mb',
      '#65536\tpulse  cov: 720 ft: 3227 corp: 385/11495b lim: 142 exec/s: 21845 rss: 206Mb',
      '#70000\tNEW    cov: 721 ft: 3230 corp: 386/11Kb lim: 142 exec/s: 21000 rss: 206Mb L: 3/3 MS: 1 ChangeBit-',
      '==123== Uncaught Exception: FuzzFinding: chop-invariance: reads cut at [3]: …',
      '    at check (/work/main/fuzz/support/input.ts:147:25)',
      'MS: 1 ChangeBit-; base unit: 0000',
      '0x81,0x81,',
      '\\201\\201',
      "artifact_prefix='/tmp/f/'; Test unit written to /tmp/f/crash-abc",
      'Base64: gYE=',
      'stat::number_of_executed_units: 70001',
      'stat::average_exec_per_sec:     20000',
    ];
    const shown = lines.map((l) => m.line(l)).filter((a) => a.show !== 'verbose').map((a) => a.text);
    expect(shown).toEqual([
      expect.stringMatching(/^decoder  INITED  runs 2/),
      expect.stringMatching(/^decoder  pulse   runs 65536  exec\/s 21845  cov 720/),
      lines[4],
      lines[5],
    ]);
    expect(m.findings).toEqual([{ kind: 'crash', artifact: '/tmp/f/crash-abc', summary: 'Uncaught Exception: FuzzFinding: chop-invariance: reads cut at [3]: …' }]);
    expect(m.stats).toMatchObject({ finalRuns: 70001, finalExecPerSecond: 20000, coverage: 721, corpusInputs: 386, corpusOctets: 11 * 1024, newUnits: 1 });
  });

  it('a corpus input that crashes while loading: its octets are not shown', () => {
    const m = new LibFuzzerMonitor('decoder');
    const shown = ['==9== Uncaught Exception: FuzzFinding: input-unchanged: …', '    at fuzz (x.ts:1:1)', '0x0,0x0,0x8a,0x81,', '\\000\\000\\212\\201', "artifact_prefix='/f/'; Test unit written to /f/crash-1"]
      .map((l) => m.line(l))
      .filter((a) => a.show !== 'verbose')
      .map((a) => a.text);
    expect(shown).toEqual(['==9== Uncaught Exception: FuzzFinding: input-unchanged: …', '    at fuzz (x.ts:1:1)']);
  });

  it('fork mode status and timeouts', () => {
    const m = new LibFuzzerMonitor('ws-diff');
    expect(m.line('#40533: cov: 1122 ft: 1206 corp: 154 exec/s: 9915 oom/timeout/crash: 0/1/0 time: 9s job: 3 dft_time: 0').show).toBe('status');
    m.line('==77== ERROR: libFuzzer: timeout after 5 seconds');
    m.line('artifact_prefix=\'./\'; Test unit written to ./timeout-99');
    expect(m.stats).toMatchObject({ runs: 40533, execPerSecond: 9915, forkCrashes: 1 });
    expect(m.findings[0]).toEqual({ kind: 'timeout', artifact: './timeout-99', summary: 'libFuzzer: timeout after 5 seconds' });
  });

  it('passes Jazzer.js options and libFuzzer flags through, turning -timeout into Jazzer.js\'s', () => {
    expect(splitEngineArgs(['-max_total_time=60', '--coverage', '-fork=2', '--timeout', '2000', 'dir'])).toEqual({
      jazzer: ['--coverage', '--timeout', '2000'],
      libFuzzer: ['-max_total_time=60', '-fork=2', 'dir'],
    });
    expect(splitEngineArgs(['-timeout=25', '-runs=9'])).toEqual({ jazzer: ['--timeout', '25000'], libFuzzer: ['-runs=9'] });
  });
});

describe('npx tsx fuzz (without the native addon)', () => {
  it('lists the targets', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    for (const t of ['decoder', 'handshake', 'model', 'utf8', 'ws-diff', 'driver-diff']) expect(r.out).toContain(`  ${t} `);
    expect(r.out).toContain('permessage-deflate');
  });

  it('bad usage: one line naming the problem, exit status 2', async () => {
    for (const argv of [['nope'], ['decoder', '--runs', 'x'], ['decoder', '--frobnicate'], ['decoder', '--acknowledge', 'no-such-finding'], ['oss-fuzz']]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^wscheck fuzz: /);
    }
    expect(() => parseFuzzArgs(['decoder', '--replay'])).toThrow(/--replay needs/);
    expect(parseFuzzArgs(['decoder', '--time', '60', '--', '-fork=2'])).toMatchObject({ kind: 'fuzz', time: 60, passthrough: ['-fork=2'] });
  });

  it('--replay runs inputs through the target in plain Node: clean ones pass, a finding exits 1', async () => {
    const cache = temp('replay');
    const env = { WSCHECK_FUZZ_CACHE: cache };
    const clean = await cli(['ws-diff', '--replay', path.join(root, 'corpus/ws-diff/regressions')], env);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('3 input(s), no finding');
    const regressions = await cli(['decoder', '--replay', path.join(root, 'corpus/decoder/regressions')], env);
    expect(regressions.code).toBe(0);
    // A finding: known divergences reported as such.
    const strict = await cli(['driver-diff', '--replay', path.join(root, 'corpus/driver-diff/regressions/known-driver-client-accepts-masked-frames')], { ...env, WSCHECK_FUZZ_STRICT: '1' });
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('websocket-driver-divergence');
    expect(strict.out).toContain('1 of 1 input(s) reproduce a finding');
  });
});

describe('seed corpora and the ZIP writer', () => {
  it('the committed hand-picked seeds are what `npx tsx fuzz seeds` writes', () => {
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const corpora = seedCorpora();
    for (const target of ['decoder', 'ws-diff', 'handshake']) {
      const seeds = corpora.get(target)!.filter((s) => !s.name.startsWith('catalogue-'));
      expect(seeds.length).toBeGreaterThan(10);
      for (const s of seeds) expect([s.name, digest(readFileSync(path.join(root, 'corpus', target, s.name)))]).toEqual([s.name, digest(s.data)]);
    }
  });

  it('writes archives unzip reads back', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const dir = temp('zip');
    const file = path.join(dir, 'a.zip');
    writeFileSync(file, zip([{ name: 'one', data: Uint8Array.of(1, 2, 3) }, { name: 'regressions-two', data: new Uint8Array(0) }]));
    const r = spawnSync('unzip', ['-l', file], { encoding: 'utf8' });
    if (r.error) return; // no unzip here
    expect(r.stdout).toMatch(/3\s+.*one/);
    expect(r.stdout).toContain('regressions-two');
  });
});
