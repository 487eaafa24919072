/**
 * Categories 1-4 against builtin:ws in both roles give, case for case, the
 * verdicts the Autobahn testsuite published for ws 8.18.3.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAutobahnIndex } from '../../src/report/autobahn-json.js';
import { requireShared } from '../support/autobahn-data.js';
import { runCli, tempDir } from '../support/cli.js';

function verdicts(file: string, agent: string): Map<string, string> {
  const r = readAutobahnIndex(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const cases = r.value[agent];
  if (cases === undefined) throw new Error(`${file} has no agent ${agent}`);
  return new Map(Object.entries(cases).map(([id, e]) => [id, `${e.behavior}/${e.behaviorClose}`]));
}

const CATEGORIES = ['1.*', '2.*', '3.*', '4.*'];

for (const role of ['servers', 'clients'] as const) {
  describe(`ws 8.18.3 as ${role === 'servers' ? 'server' : 'client'}`, () => {
    it('matches the published verdicts of categories 1-4 case for case', async () => {
      const out = tempDir(`published-${role}`);
      const argv =
        role === 'servers'
          ? ['server', 'builtin:ws', '--cases', CATEGORIES.join(','), '--out', out]
          : ['client', '--exec', 'builtin:ws', '--cases', CATEGORIES.join(','), '--out', out];
      const run = await runCli(argv);
      expect(run.stderr).toBe('');
      const ours = verdicts(path.join(out, role, 'index.json'), 'ws@8.18.3');
      const theirs = verdicts(requireShared(`published/percase/websockets_ws@aba4b70/${role}/index.json`), 'ws@8.18.3');
      const ids = [...theirs.keys()].filter((id) => Number(id.split('.')[0]) <= 4);
      expect(ids.length).toBe(44);
      expect(Object.fromEntries(ids.map((id) => [id, ours.get(id)]))).toEqual(Object.fromEntries(ids.map((id) => [id, theirs.get(id)])));
      expect(run.code).toBe(0);
    }, 60_000);
  });
}
