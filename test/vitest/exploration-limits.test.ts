/**
 * wscheck/vitest's exploration with the limits a subject declares: a server
 * that enforces them passes; one that reads a length past them wrong is caught, with the
 * counterexample in the failure's message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverTarget } from '../../src/harness/targets/registry.js';
import { WscheckFailure, exploration } from '../../src/vitest/index.js';
import { expectNothingFound } from '../support/explore.js';

const limits = { maxMessage: 65536 };
const out = mkdtempSync(path.join(tmpdir(), 'wscheck-vitest-limits-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('exploration with declared limits', () => {
  it('passes ws started with the same limit', async () => {
    const outcome = await exploration({ server: () => serverTarget('ws')!.start({ limits }), limits, runs: 200, seed: 9, out });
    expectNothingFound(outcome, 200);
  }, 120_000);

  it('catches a server that reads a 64-bit length past its limit wrong', async () => {
    const run = exploration({ server: () => serverTarget('broken/length64-low-word-only')!.start({ limits }), limits, runs: 300, seed: 9, out });
    await expect(run).rejects.toThrow(WscheckFailure);
    await expect(run).rejects.toThrow(/1009/);
  }, 300_000);
});
