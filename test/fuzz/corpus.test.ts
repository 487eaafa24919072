/**
 * Every corpus and regression input, replayed through its fuzz target in
 * plain Node (no native addon, no instrumentation): CI guards every past
 * finding. Also the seeds the current catalogue would give (so a new case's
 * octets are replayed before anyone regenerates corpus/).
 *
 * Naming rules for corpus/<target>/regressions/ (corpus/README.md):
 * - `known-<id>`: a divergence of another implementation the target knows
 *   and counts (docs/fuzzing.md); it must still be recognised as `<id>`, and
 *   reported when known divergences are not accepted (WSCHECK_FUZZ_STRICT=1);
 * - `open-<id>`: a finding in wscheck not fixed yet (fuzz/support/acknowledge.ts);
 *   it must still reproduce — once fixed, this test says so, and the input
 *   is renamed to a plain regression;
 * - anything else: a past finding, fixed; it must replay clean.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPEN_FINDINGS, resetAcknowledged } from '../../fuzz/support/acknowledge.js';
import { seedCorpora } from '../../fuzz/corpus/seeds.js';
import { TARGETS } from '../../fuzz/targets/index.js';
import { checkDriver } from '../../fuzz/targets/driver-diff.js';
import { checkWs } from '../../fuzz/targets/ws-diff.js';

const root = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

type Fuzz = (data: Buffer) => void;

async function target(name: string): Promise<Fuzz> {
  const info = TARGETS.find((t) => t.name === name)!;
  const mod = (await import(info.file)) as { fuzz: Fuzz };
  return mod.fuzz;
}

/** Run `fn` with the open findings acknowledged (they have their own test below). */
function acknowledgingOpenFindings<T>(fn: () => T): T {
  const previous = process.env.WSCHECK_FUZZ_ACKNOWLEDGE;
  process.env.WSCHECK_FUZZ_ACKNOWLEDGE = OPEN_FINDINGS.map((f) => f.id).join(',');
  resetAcknowledged();
  try {
    return fn();
  } finally {
    if (previous === undefined) delete process.env.WSCHECK_FUZZ_ACKNOWLEDGE;
    else process.env.WSCHECK_FUZZ_ACKNOWLEDGE = previous;
    resetAcknowledged();
  }
}

function replay(fuzz: Fuzz, inputs: readonly { name: string; data: Uint8Array }[]): string[] {
  const failures: string[] = [];
  for (const { name, data } of inputs) {
    try {
      fuzz(Buffer.from(data));
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failures;
}

afterEach(() => {
  delete process.env.WSCHECK_FUZZ_STRICT;
});

describe('corpus replay', () => {
  for (const t of TARGETS) {
    it(`${t.name}: every input in corpus/${t.name}/ replays without a finding`, async () => {
      const fuzz = await target(t.name);
      const inputs = files(path.join(root, 'corpus', t.name))
        .filter((f) => !path.basename(f).startsWith('open-'))
        .map((f) => ({ name: path.relative(root, f), data: readFileSync(f) }));
      expect(inputs.length).toBeGreaterThan(0);
      expect(acknowledgingOpenFindings(() => replay(fuzz, inputs))).toEqual([]);
    });
  }

  it('the seeds the current catalogue gives replay without a finding too', async () => {
    const failures: string[] = [];
    for (const [name, seeds] of seedCorpora()) {
      const fuzz = await target(name);
      failures.push(...acknowledgingOpenFindings(() => replay(fuzz, seeds.map((s) => ({ name: `${name}/${s.name}`, data: s.data })))));
    }
    expect(failures).toEqual([]);
  });
});

describe('regression inputs', () => {
  const checkers: Record<string, (data: Uint8Array) => string | null> = { 'ws-diff': checkWs, 'driver-diff': checkDriver };

  for (const [name, check] of Object.entries(checkers)) {
    const dir = path.join(root, 'corpus', name, 'regressions');
    for (const file of files(dir).filter((f) => path.basename(f).startsWith('known-'))) {
      const id = path.basename(file).slice('known-'.length);
      it(`${name}: ${path.basename(file)} is still recognised as ${id}, and reported when known divergences are not accepted`, () => {
        const data = readFileSync(file);
        expect(check(data)).toBe(id);
        if (!['timing-within-frame', 'check-order-within-frame', 'minimal-length-checked'].includes(id)) {
          process.env.WSCHECK_FUZZ_STRICT = '1';
          expect(() => check(data)).toThrow(/divergence/);
        }
      });
    }
  }

  for (const finding of OPEN_FINDINGS) {
    it(`open finding ${finding.id} still reproduces (fixed? rename its input, drop it from OPEN_FINDINGS and docs/fuzzing.md)`, async () => {
      const file = path.join(root, 'corpus', finding.target, 'regressions', `open-${finding.id}`);
      const fuzz = await target(finding.target);
      resetAcknowledged();
      expect(() => fuzz(readFileSync(file))).toThrow();
      expect(acknowledgingOpenFindings(() => replay(fuzz, [{ name: file, data: readFileSync(file) }]))).toEqual([]);
    });
  }
});
