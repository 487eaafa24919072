/** `wscheck targets` lists what builtin:NAME can start, in each role. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('wscheck targets', () => {
  it('lists the real libraries first, then the broken ones, by role', async () => {
    const run = await runCli(['targets']);
    expect(run.code).toBe(0);
    const sections = run.stdout.split('\n\n');
    expect(sections[0]).toMatch(/^servers /);
    expect(sections[0]).toMatch(/builtin:ws +ws \d+\.\d+\.\d+ \(npm\) echo server/);
    expect(sections[0]).not.toContain('broken/');
    expect(sections[1]).toMatch(/^clients /);
    expect(sections[1]).toMatch(/builtin:ws +ws \d+\.\d+\.\d+ \(npm\) client/);
  });
});
