/**
 * Exploration end to end against live peers: no false positives against the
 * real ws library in both roles; a broken server's bug found, shrunk to a few
 * frames, saved and replayed; a peer whose verdict changes between runs is
 * reported as flaky instead of being shrunk.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDefinition } from '../../src/cases/types.js';
import { parseCounterexample } from '../../src/harness/explore/counterexample.js';
import { explore } from '../../src/harness/explore/explore.js';
import { type LiveTarget, startLiveTarget } from '../../src/harness/explore/live-target.js';
import type { CaseResult } from '../../src/harness/result.js';
import { type RunningServer, startBrokenEchoServer } from '../fixtures/broken-echo-server.js';
import { runCli, tempDir } from '../support/cli.js';
import { expectNothingFound } from '../support/explore.js';

const replayCommand = (f: string) => `npx wscheck replay ${f}`;

describe('exploration', () => {
  for (const role of ['server', 'client'] as const) {
    it(`finds nothing in the ws ${role} (no false positives)`, async () => {
      const target = await startLiveTarget('builtin:ws', role);
      try {
        const outcome = await explore({ target, runs: 150, seed: 2024, replayCommand, counterexamplePath: 'unused.json' });
        expectNothingFound(outcome, 150);
        // Nothing was re-checked either: every run was one of the scenarios.
        expect(outcome.runs).toBe(150);
      } finally {
        await target.close();
      }
    }, 120_000);
  }

  // --deflate: compressed messages of every shape round-trip through ws (corruptions are left out: after a
  // failure ws may still deliver what was buffered while it inflated, docs/findings.md).
  for (const role of ['server', 'client'] as const) {
    it(`with permessage-deflate, valid scenarios find nothing in the ws ${role}`, async () => {
      const target = await startLiveTarget('builtin:ws', role);
      try {
        const outcome = await explore({ target, runs: 150, seed: 2024, concurrency: 4, constraints: { deflate: true, corruption: 'never' }, replayCommand, counterexamplePath: 'unused.json' });
        expectNothingFound(outcome, 150);
      } finally {
        await target.close();
      }
    }, 120_000);
  }

  it('with --deflate, a peer that declines the extension is a one-line error, not a pass', async () => {
    const target = await startLiveTarget('builtin:websocket', 'server');
    try {
      await expect(explore({ target, runs: 20, seed: 1, constraints: { deflate: true }, replayCommand, counterexamplePath: 'unused.json' })).rejects.toThrow(
        /^builtin:websocket declined permessage-deflate; .* or explore without --deflate$/,
      );
    } finally {
      await target.close();
    }
  }, 60_000);

  // --handshake: what ws gets wrong in the opening handshake (docs/findings.md) left out, nothing else.
  it.each([
    ['server', ['key', 'upgrade', 'connection', 'names', 'hostile-head']],
    ['client', ['accept', 'status-line', 'upgrade', 'connection', 'names']],
  ] as const)('with varied opening handshakes, the ws %s passes every field it gets right', async (role, fields) => {
    const target = await startLiveTarget('builtin:ws', role);
    try {
      const outcome = await explore({ target, runs: 150, seed: 2024, concurrency: 8, constraints: { opening: 'always', openingFields: fields }, replayCommand, counterexamplePath: 'unused.json' });
      expectNothingFound(outcome, 150);
    } finally {
      await target.close();
    }
  }, 180_000);

  describe('against a broken server', () => {
    let broken: RunningServer;
    beforeAll(async () => {
      broken = await startBrokenEchoServer('reserved-opcode-as-binary');
    });
    afterAll(() => broken.close());

    it('finds a counterexample, shrinks it to a few frames, saves it, and replay reproduces it', async () => {
      const out = tempDir('explore');
      const run = await runCli(['explore', broken.url, '--runs', '300', '--seed', '7', '--out', out]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('COUNTEREXAMPLE');
      const saved = /saved: (.*)\n/.exec(run.stdout)![1]!;
      expect(path.dirname(saved)).toBe(out);
      const file = parseCounterexample(readFileSync(saved, 'utf8'), saved);
      expect(file.behavior === 'FAILED' || file.behaviorClose !== 'OK').toBe(true);
      expect(file.frames.filter((f) => f.trimStart().startsWith('#')).length).toBeLessThanOrEqual(3);
      expect(run.stdout).toContain(`replay: npx wscheck replay ${saved}`);
      const again = await runCli(['replay', saved]);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/^FAILS against /);
      // The same scenario against a correct server passes.
      const fixed = await runCli(['replay', saved, 'builtin:ws']);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toMatch(/^passes against builtin:ws/);
    }, 120_000);
  });

  it('reports a verdict that changes between runs as flaky and does not shrink it', async () => {
    const real = await startLiveTarget('builtin:ws', 'server');
    let calls = 0;
    // Every first run of a scenario "fails", every re-check passes: the verdict is not reproducible.
    const flakyTarget: LiveTarget = {
      ...real,
      name: 'flaky',
      run: async (caseDef: CaseDefinition, replay: string): Promise<CaseResult> => {
        const r = await real.run(caseDef, replay);
        calls++;
        return calls % 3 === 1 ? { ...r, verdict: { ...r.verdict, behavior: 'FAILED' } } : r;
      },
    };
    try {
      const outcome = await explore({ target: flakyTarget, runs: 5, seed: 3, replayCommand, counterexamplePath: 'unused.json' });
      expect(outcome.counterexample).toBeNull();
      expect(outcome.flaky.length).toBeGreaterThan(0);
      expect(outcome.flaky[0]!.verdicts[0]).toBe('FAILED/OK');
    } finally {
      await real.close();
    }
  }, 60_000);
});
