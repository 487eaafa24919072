/**
 * The example project uses wscheck exactly as a user would: as a dependency,
 * through the package's public `wscheck/vitest` export. It passes against its
 * correct server and fails, with the counterexample in the message, against
 * the buggy one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const project = path.join(root, 'examples', 'vitest-project');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

function runExample(env: Record<string, string>): { code: number; output: string } {
  const r = spawnSync(process.execPath, [vitest, 'run'], { cwd: project, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

describe('examples/vitest-project', () => {
  beforeAll(() => {
    // What `npm install` does for its "wscheck": "file:../.." dependency: a link to this package.
    // (vitest and ws resolve from the repository's node_modules, further up.)
    const link = path.join(project, 'node_modules', 'wscheck');
    if (!existsSync(link)) {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
    }
    rmSync(path.join(project, 'counterexamples'), { recursive: true, force: true });
  });

  it('passes against the correct server', () => {
    const r = runExample({ EXAMPLE_BUG: '0' });
    expect(r.output).toContain('2 passed');
    expect(r.code).toBe(0);
  }, 150_000);

  it('fails against the buggy server, with the divergence, the counterexample and the replay command in the messages', () => {
    const r = runExample({ EXAMPLE_BUG: '1' });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/wscheck cases? failed/);
    expect(r.output).toContain('observed binary message');
    expect(r.output).toContain('wscheck found a counterexample');
    expect(r.output).toMatch(/saved: counterexamples\/subject-42\.json/);
    expect(r.output).toContain('replay:');
  }, 150_000);
});
