/**
 * builtin:ws in both roles gives, case for case, the verdicts the Autobahn
 * testsuite published for ws 8.18.3: every case of categories 1-10, and a
 * sample of categories 12-13 (the five smallest message sizes of every
 * sub-category, which cover every negotiation and every payload kind). The
 * whole of 12-13 moves 11 GB each way and takes about five minutes per role;
 * set WSCHECK_FULL_CATALOGUE=1 to check all 517 cases.
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

const FULL = process.env['WSCHECK_FULL_CATALOGUE'] === '1';
const CATEGORIES_1_TO_10 = ['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '9.*', '10.*'];
// Exact ids: Autobahn's wildcards match by prefix, so 12.*.1 would also pull in 12.1.10-12.1.18.
const COMPRESSION_SAMPLE = [
  ...[1, 2, 3, 4, 5].flatMap((sub) => [1, 2, 3, 4, 5].map((k) => `12.${sub}.${k}`)),
  ...[1, 2, 3, 4, 5, 6, 7].flatMap((sub) => [1, 2, 3, 4, 5].map((k) => `13.${sub}.${k}`)),
];

async function compare(role: 'servers' | 'clients', patterns: readonly string[], expectedCount: number): Promise<void> {
  const out = tempDir(`published-${role}`);
  const argv =
    role === 'servers'
      ? ['server', 'builtin:ws', '--cases', patterns.join(','), '--out', out]
      : ['client', '--exec', 'builtin:ws', '--cases', patterns.join(','), '--out', out];
  const run = await runCli(argv);
  expect(run.stderr).toBe('');
  const ours = verdicts(path.join(out, role, 'index.json'), 'ws@8.18.3');
  const theirs = verdicts(requireShared(`published/percase/websockets_ws@aba4b70/${role}/index.json`), 'ws@8.18.3');
  expect(ours.size).toBe(expectedCount);
  const ids = [...ours.keys()];
  expect(Object.fromEntries(ids.map((id) => [id, ours.get(id)]))).toEqual(Object.fromEntries(ids.map((id) => [id, theirs.get(id)])));
  expect(run.code).toBe(0);
}

for (const role of ['servers', 'clients'] as const) {
  describe(`ws 8.18.3 as ${role === 'servers' ? 'server' : 'client'}`, () => {
    it('matches the published verdicts of categories 1-10 case for case (301 cases)', () => compare(role, CATEGORIES_1_TO_10, 301), 120_000);

    if (FULL) {
      it('matches the published verdicts of categories 12 and 13 case for case (216 cases)', () => compare(role, ['12.*', '13.*'], 216), 1_800_000);
    } else {
      it('matches the published verdicts of the five smallest sizes of every compression sub-category (60 cases)', () => compare(role, COMPRESSION_SAMPLE, COMPRESSION_SAMPLE.length), 300_000);
    }
  });
}
