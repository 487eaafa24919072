/**
 * The counterexamples kept in corpus/counterexamples (docs/findings.md,
 * "Exploration") stay readable, and those against built-in targets that
 * failed every re-run when saved still fail: a library upgrade that fixes one
 * shows up here, and the finding must be rewritten. Counterexamples against a
 * URL need that server running (the Python peer's are replayed by hand, as
 * docs/findings.md says), and flaky ones may pass, so neither is replayed here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeScenario, parseCounterexample } from '../../src/harness/explore/counterexample.js';
import { explorationCase, passes } from '../../src/harness/explore/explore.js';
import { startLiveTarget } from '../../src/harness/explore/live-target.js';

const dir = path.resolve(import.meta.dirname, '../../corpus/counterexamples');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => path.join(dir, f));

describe('corpus/counterexamples', () => {
  it('holds counterexamples', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files.map((f) => [path.basename(f), f] as const))('%s', (_name, file) => {
    const ce = parseCounterexample(readFileSync(file, 'utf8'), file);

    it('names its own path in its replay command', () => {
      expect(ce.replay).toContain(`corpus/counterexamples/${path.basename(file)}`);
      expect(ce.frames.length).toBeGreaterThan(0);
    });

    if (ce.target.startsWith('builtin:') && ce.flaky === undefined) {
      it(`still fails against ${ce.target} (a ${ce.role})`, async () => {
        const target = await startLiveTarget(ce.target, ce.role);
        try {
          const r = await target.run(explorationCase(decodeScenario(ce.scenario), ce.label), ce.replay);
          expect(passes(r), ce.frames.join('\n')).toBe(false);
          expect(r.verdict.firstDivergence).toBe(ce.firstDivergence);
        } finally {
          await target.close();
        }
      }, 30_000);
    }
  });
});
