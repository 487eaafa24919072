/**
 * Category 18 catches the broken peers built for permessage-deflate: each
 * fails exactly the cases of its bug and passes the rest of the category
 * (the deflate support of the broken base is otherwise right: declines, bombs,
 * corrupt data, empty blocks), while ws passes the cases that catch them.
 * Run through the CLI, as a user runs it: the peer in a worker thread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientBugs, serverBugs } from '../../../src/harness/targets/broken/index.js';
import { readAutobahnIndex } from '../../../src/report/autobahn-json.js';
import { runCli, tempDir } from '../../support/cli.js';

/** `behavior/behaviorClose` by case id. */
async function verdicts(role: 'server' | 'client', target: string, cases: string): Promise<Record<string, string>> {
  const out = tempDir(`deflate-catches-${target.replace(/\W/g, '-')}`);
  const run = await runCli([role, `builtin:${target}`, '--cases', cases, '--max-message', '1048576', '--out', out]);
  expect(run.stderr).toBe('');
  const index = readAutobahnIndex(readFileSync(path.join(out, role === 'server' ? 'servers' : 'clients', 'index.json'), 'utf8'));
  if (!index.ok) throw new Error(index.error);
  const [results] = Object.values(index.value);
  return Object.fromEntries(Object.entries(results!).map(([id, e]) => [id, `${e.behavior}/${e.behaviorClose}`]));
}

const failing = (v: Record<string, string>): string[] =>
  Object.entries(v)
    .filter(([, b]) => b.startsWith('FAILED') || !/\/(OK|INFORMATIONAL)$/.test(b))
    .map(([id]) => id)
    .sort();

const CATCHES = [
  { role: 'server', name: 'deflate-rsv1-continuation-accepted', cases: ['18.3.2', '18.3.3'] },
  { role: 'client', name: 'deflate-window-bits-not-checked', cases: ['18.2.1', '18.2.2', '18.2.3', '18.2.4', '18.2.6'] },
] as const;

describe('category 18 catches the permessage-deflate broken peers', () => {
  it('lists both in bugs.ts, in the permessage-deflate class', () => {
    for (const c of CATCHES) {
      const bug = (c.role === 'server' ? serverBugs : clientBugs).find((b) => b.name === c.name);
      expect(bug?.bugClass, c.name).toBe('permessage-deflate');
    }
  });

  for (const c of CATCHES) {
    it(`${c.role} ${c.name}: fails ${c.cases.join(', ')} and nothing else of category 18`, async () => {
      expect(failing(await verdicts(c.role, `broken/${c.name}`, '18.*'))).toEqual([...c.cases].sort());
    }, 60_000);

    it(`ws passes the cases that catch ${c.name} (18.2.4 aside, argued in docs/findings.md)`, async () => {
      const cases = c.cases.filter((id) => id !== '18.2.4');
      expect(failing(await verdicts(c.role, 'ws', cases.join(',')))).toEqual([]);
    }, 60_000);
  }
});
