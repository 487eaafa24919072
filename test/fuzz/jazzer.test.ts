/**
 * Jazzer.js for real (the native addon, with the compatibility step where
 * this system needs it): a short decoder run reports its numbers and exits
 * 0, a planted decoder bug is found and its reproducer replays, libFuzzer's
 * fork mode works, and the OSS-Fuzz / ClusterFuzzLite build produces targets
 * the runners can start.
 *
 * Deterministic: fixed -seed, run counts rather than durations (fork mode
 * needs a duration; only its exit status and output are checked). Skipped,
 * with the reason, where Jazzer.js's addon cannot be made to load (e.g. no C
 * compiler for the compatibility step: the reason says what to install).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompatError, prepareJazzerRuntime } from '../../fuzz/jazzer/compat.js';
import { buildOssFuzz } from '../../fuzz/jazzer/oss-fuzz.js';
import { FuzzFinding } from '../../fuzz/support/input.js';
import { fuzz as planted } from './fixtures/planted-decoder-bug.js';
import { fuzzCli as runFuzz, tempFolders } from './support/fuzz-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const cache = mkdtempSync(path.join(tmpdir(), 'wscheck-jazzer-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const unavailable = (() => {
  try {
    prepareJazzerRuntime({ projectRoot: root, cacheDir: cache });
    return null;
  } catch (e) {
    if (e instanceof CompatError) return e.message;
    throw e;
  }
})();
if (unavailable !== null) console.warn(`skipping the Jazzer.js tests: ${unavailable}`);

const temp = tempFolders();

/** The fuzz command with this file's cache (the compatibility step done once). */
const fuzzCli = (argv: string[], env: Record<string, string> = {}) => runFuzz(argv, { WSCHECK_FUZZ_CACHE: cache, ...env });

describe.skipIf(unavailable !== null)('Jazzer.js', () => {
  it('npx tsx fuzz decoder --runs N: runs for real, reports exec/s, coverage and corpus, exits 0', async () => {
    const r = await fuzzCli(['decoder', '--runs', '20000', '--corpus', temp('corpus'), '--', '-seed=1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/decoder: 20000 runs( in \d+ s)?, \d+ exec\/s, coverage \d+ edges \(\d+ features\), corpus \d+ inputs/);
    expect(r.out).toMatch(/decoder {2}INITED/);
    expect(r.out).toContain('no finding');
  }, 180_000);

  it('finds a planted decoder bug; its reproducer replays in plain Node and through the command', async () => {
    const fixture = path.join(root, 'test/fuzz/fixtures/planted-decoder-bug.ts');
    const r = await fuzzCli([fixture, '--runs', '500000', '--corpus', temp('planted'), '--', '-seed=1']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/FINDING \(crash\): Uncaught Exception: FuzzFinding: /);
    const file = /reproducer: (\S+)/.exec(r.err)?.[1];
    expect(file).toBeDefined();
    const reproducer = path.resolve(file!);
    expect(existsSync(reproducer)).toBe(true);
    expect(r.err).toContain(`replay:     npx tsx fuzz ${fixture} --replay`);

    // Plain Node, no addon: the same finding.
    expect(() => planted(readFileSync(reproducer))).toThrow(FuzzFinding);
    const replayed = await fuzzCli([fixture, '--replay', reproducer]);
    expect(replayed.code).toBe(1);
    expect(replayed.err).toContain('FuzzFinding');
  }, 180_000);

  it('libFuzzer fork mode (-fork=2) runs workers through the same compatibility step', async () => {
    const r = await fuzzCli(['ws-diff', '--corpus', temp('fork'), '--', '-fork=2', '-max_total_time=8', '-seed=3']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ws-diff {2}fork/);
  }, 180_000);

  it('the OSS-Fuzz / ClusterFuzzLite build writes runnable targets, with dictionaries, options and seed corpora', async () => {
    const out = temp('oss-fuzz');
    mkdirSync(path.join(out, 'wscheck'));
    symlinkSync(path.join(root, 'node_modules'), path.join(out, 'wscheck', 'node_modules'));
    const log: string[] = [];
    expect(await buildOssFuzz({ out, projectRoot: root, log: (l) => log.push(l), targets: ['ws-diff', 'driver-diff'] })).toBe(0);
    for (const t of ['ws-diff', 'driver-diff']) {
      for (const f of [t, `${t}.dict`, `${t}.options`, `${t}_seed_corpus.zip`]) expect(existsSync(path.join(out, f))).toBe(true);
      expect(readFileSync(path.join(out, t), 'utf8')).toContain('LLVMFuzzerTestOneInput');
    }
    // As the runner fuzzes: libFuzzer flags and a corpus folder.
    const corpus = temp('oss-corpus');
    const run = spawnSync(path.join(out, 'ws-diff'), ['-runs=2000', '-seed=5', `-dict=${path.join(out, 'ws-diff.dict')}`, corpus], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toMatch(/Done 2000 runs/);
    expect(run.status).toBe(0);
    // As the runner reproduces: a testcase file. A known divergence is a crash when known ones are not accepted.
    const testcase = path.join(root, 'corpus/driver-diff/regressions/known-driver-client-accepts-masked-frames');
    const repro = spawnSync(path.join(out, 'driver-diff'), ['-runs=10', testcase], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, WSCHECK_FUZZ_STRICT: '1' } });
    expect(repro.stderr).toContain('websocket-driver-divergence');
    expect(repro.status).not.toBe(0);
    const clean = spawnSync(path.join(out, 'driver-diff'), ['-runs=10', testcase], { encoding: 'utf8', timeout: 120_000 });
    expect(clean.status).toBe(0);
  }, 180_000);
});
