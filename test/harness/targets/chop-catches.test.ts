/**
 * The chopped replay catches the broken peers whose bugs are about TCP read
 * boundaries in catalogue cases that the plain run passes (the whole table:
 * docs/broken-targets.md, from chop-catches.ts). Run through the CLI, as a
 * user runs it, with the peer in a worker thread.
 *
 * Which piece a peer reads alone depends on scheduling (pieces leave at least
 * 150 µs apart, and a busy peer may read two at once), so each bug gets a few
 * cases in which the cut that matters recurs, and the test asks that the
 * replay catches it in at least one of them; a pattern that puts everything
 * in one write cannot be read apart, so for `coalesce` every case must fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAutobahnIndex } from '../../../src/report/autobahn-json.js';
import { runCli, tempDir } from '../../support/cli.js';

interface Entry {
  readonly behavior: string;
  readonly behaviorClose: string;
}

const fails = (e: Entry): boolean => e.behavior === 'FAILED' || !['OK', 'INFORMATIONAL'].includes(e.behaviorClose);

async function replay(role: 'server' | 'client', bug: string, cases: readonly string[], pattern: string): Promise<{ plain: Record<string, Entry>; chopped: Record<string, Entry>; stdout: string }> {
  const out = tempDir(`chop-catches-${bug}`);
  // One case at a time: a peer busy with other cases may read two pieces at once and hide the cut.
  const argv = [role, `builtin:broken/${bug}`, '--cases', cases.join(','), '--chop', pattern, '--out', out, '--concurrency', '1'];
  const run = await runCli(argv);
  expect(run.stderr).toBe('');
  const index = readAutobahnIndex(readFileSync(path.join(out, role === 'server' ? 'servers' : 'clients', 'index.json'), 'utf8'));
  if (!index.ok) throw new Error(index.error);
  const agent = `broken/${bug}`;
  return { plain: index.value[agent] as Record<string, Entry>, chopped: index.value[`${agent} (chop ${pattern})`] as Record<string, Entry>, stdout: run.stdout };
}

/** Cases the plain run passes and the chopped replay fails. */
function caught(r: { plain: Record<string, Entry>; chopped: Record<string, Entry> }): string[] {
  return Object.keys(r.chopped).filter((id) => fails(r.chopped[id]!) && !fails(r.plain[id]!));
}

describe('the chopped replay catches read-boundary bugs the plain catalogue misses', () => {
  const robust: [role: 'server' | 'client', bug: string, cases: string[], pattern: string][] = [
    // A header cut after its first octet: the octet is thrown away.
    ['server', 'partial-header-discarded', ['1.1.1', '1.1.2', '2.1'], 'header'],
    // The 16-bit length cut in the middle: the missing octet is read as 0.
    ['server', 'extended-length-split', ['1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.2.3', '1.2.4'], 'header'],
    // The masking key cut between its octets: the missing ones are read as 0.
    ['server', 'mask-key-split', ['1.1.1', '1.1.2', '2.1'], 'mask'],
    // A payload over several reads: the first read is taken for all of it.
    ['server', 'payload-in-one-read', ['1.1.2', '1.1.3', '1.2.2'], '1'],
    ['client', 'payload-in-one-read', ['1.1.2', '1.1.3', '1.2.2'], '1'],
  ];
  for (const [role, bug, cases, pattern] of robust) {
    it(`${role} ${bug}: --chop ${pattern} of ${cases.join(', ')}`, async () => {
      const r = await replay(role, bug, cases, pattern);
      expect(caught(r), JSON.stringify(r)).not.toEqual([]);
      expect(r.stdout).toContain(`--chop ${pattern}`);
    }, 120_000);
  }

  it('server one-frame-per-read: --chop coalesce puts a message and the frame after it in one read, and every case fails', async () => {
    const cases = ['3.3', '3.4', '4.1.5', '4.2.5'];
    const r = await replay('server', 'one-frame-per-read', cases, 'coalesce');
    expect(cases.filter((id) => fails(r.chopped[id]!)), JSON.stringify(r.chopped)).toEqual(cases);
    // The plain run writes frame by frame; the peer may still read two at once, so only ask that it is not caught everywhere.
    expect(caught(r), JSON.stringify(r.plain)).not.toEqual([]);
  }, 120_000);
});
