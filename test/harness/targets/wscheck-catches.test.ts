/**
 * wscheck's own categories 14-17 catch the broken peers built for their bug
 * classes: for every bug that names the cases catching it (`caughtBy` in
 * broken/bugs.ts), each of those cases fails against the broken peer and
 * passes against ws. Run through the CLI, as a user runs it: the peer in a
 * worker thread, the selected cases concurrently (timed ones alone).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BrokenBug, clientBugs, serverBugs } from '../../../src/harness/targets/broken/index.js';
import type { DeclaredLimits } from '../../../src/model/limits.js';
import { readAutobahnIndex } from '../../../src/report/autobahn-json.js';
import { runCli, tempDir } from '../../support/cli.js';

interface Entry {
  readonly behavior: string;
  readonly behaviorClose: string;
}

/** The rule of wscheck's exit status: behavior FAILED, or a closing behaviour other than OK / INFORMATIONAL. */
const fails = (e: Entry): boolean => e.behavior === 'FAILED' || !['OK', 'INFORMATIONAL'].includes(e.behaviorClose);

function limitArgs(limits: DeclaredLimits | undefined): string[] {
  const out: string[] = [];
  if (limits?.maxMessage !== undefined) out.push('--max-message', String(limits.maxMessage));
  if (limits?.maxFrame !== undefined) out.push('--max-frame', String(limits.maxFrame));
  return out;
}

/** The verdicts of `cases` against `builtin:<target>` in `role`, by case id. */
async function verdicts(role: 'server' | 'client', target: string, cases: readonly string[], limits: DeclaredLimits | undefined): Promise<Record<string, Entry>> {
  const out = tempDir(`wscheck-catches-${target.replace(/\W/g, '-')}`);
  const run = await runCli([role, `builtin:${target}`, '--cases', cases.join(','), ...limitArgs(limits), '--out', out]);
  expect(run.stderr).toBe('');
  const index = readAutobahnIndex(readFileSync(path.join(out, role === 'server' ? 'servers' : 'clients', 'index.json'), 'utf8'));
  if (!index.ok) throw new Error(index.error);
  const agents = Object.values(index.value);
  expect(agents).toHaveLength(1);
  return agents[0] as Record<string, Entry>;
}

const caught = [...serverBugs, ...clientBugs].filter((b): b is BrokenBug & { caughtBy: NonNullable<BrokenBug['caughtBy']> } => b.caughtBy !== undefined);

describe('categories 14-17 catch the broken peers of their bug classes', () => {
  it('names cases of categories 14-17 only, for at least one bug per class', () => {
    for (const b of caught) for (const id of b.caughtBy.cases) expect(id, b.name).toMatch(/^1[4-7]\.\d+\.\d+$/);
    const classes = new Set(caught.map((b) => b.bugClass));
    for (const c of ['opening handshake', 'limits and resources', 'payload length', 'masking', 'closing handshake'] as const) expect(classes, c).toContain(c);
    expect(caught.some((b) => b.role === 'client')).toBe(true);
  });

  for (const bug of caught) {
    const { cases, limits } = bug.caughtBy;
    it(`${bug.role} ${bug.name}: ${cases.join(', ')} fail`, async () => {
      const v = await verdicts(bug.role, `broken/${bug.name}`, cases, limits);
      for (const id of cases) {
        expect(v[id], `${bug.name} ${id}: no verdict`).toBeDefined();
        expect(fails(v[id]!), `${bug.name} ${id}: ${JSON.stringify(v[id])}`).toBe(true);
      }
    }, 60_000);
  }

  // ws passes every one of those cases, with the same limits declared.
  const groups = new Map<string, { role: 'server' | 'client'; limits: DeclaredLimits | undefined; cases: Set<string> }>();
  for (const bug of caught) {
    const key = `${bug.role} ${JSON.stringify(bug.caughtBy.limits ?? {})}`;
    const g = groups.get(key) ?? { role: bug.role, limits: bug.caughtBy.limits, cases: new Set<string>() };
    for (const id of bug.caughtBy.cases) g.cases.add(id);
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    it(`ws passes the same cases (${key})`, async () => {
      const cases = [...g.cases];
      const v = await verdicts(g.role, 'ws', cases, g.limits);
      for (const id of cases) {
        expect(v[id], `ws ${id}: no verdict`).toBeDefined();
        expect(fails(v[id]!), `ws ${id}: ${JSON.stringify(v[id])}`).toBe(false);
      }
    }, 60_000);
  }
});
