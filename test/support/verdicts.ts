/**
 * The verdict of every case of a CLI run, as `behavior/behaviorClose`: what
 * the tests that pin a library's verdicts (each argued in docs/findings.md)
 * compare with their tables.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readAutobahnIndex } from '../../src/report/autobahn-json.js';
import { runCli, tempDir } from './cli.js';

/** `behavior/behaviorClose` by case id, for the cases that are not OK/OK. */
export type Verdicts = Readonly<Record<string, string>>;

/** Run `cases` against `target` in `role` through the CLI, with a declared message limit; the verdicts by case id. */
export async function cliVerdicts(role: 'server' | 'client', target: string, cases: readonly string[], maxMessage: number): Promise<Record<string, string>> {
  const out = tempDir(`verdicts-${role}`);
  const cli = await runCli([role, target, '--cases', cases.join(','), '--max-message', String(maxMessage), '--out', out]);
  expect(cli.stderr).toBe('');
  const index = readAutobahnIndex(readFileSync(path.join(out, role === 'server' ? 'servers' : 'clients', 'index.json'), 'utf8'));
  if (!index.ok) throw new Error(index.error);
  const [results] = Object.values(index.value);
  const seen: Record<string, string> = {};
  for (const [id, e] of Object.entries(results!)) seen[id] = `${e.behavior}/${e.behaviorClose}`;
  return seen;
}

/** Every case of `ids` was run, and each has the verdict of `table` (OK/OK when not listed). */
export function expectVerdicts(seen: Readonly<Record<string, string>>, ids: readonly string[], table: Verdicts): void {
  expect(Object.keys(seen).sort()).toEqual([...ids].sort());
  expect(seen).toEqual(Object.fromEntries(ids.map((id) => [id, table[id] ?? 'OK/OK'])));
}
