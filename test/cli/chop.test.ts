/**
 * `--chop`: the chopped replay of the selected cases, end to end. ws handles
 * any segmentation, so every pattern gives the plain run's verdicts case for
 * case; the frames are the plain run's frames, only cut differently; each
 * pattern is an agent of its own, with the pattern in every replay command.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChopOption } from '../../src/cli/chop-option.js';
import { UsageError } from '../../src/cli/errors.js';
import { readAutobahnIndex } from '../../src/report/autobahn-json.js';
import { caseReportFileName } from '../../src/report/autobahn-file-names.js';
import { runCli, tempDir } from '../support/cli.js';

const AGENT = 'ws@8.18.3';
const PATTERNS = ['1', 'header', 'mask', 'coalesce', 'random:1'];

function index(file: string): Record<string, Record<string, { behavior: string; behaviorClose: string }>> {
  const r = readAutobahnIndex(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.value as Record<string, Record<string, { behavior: string; behaviorClose: string }>>;
}

function verdicts(byCase: Record<string, { behavior: string; behaviorClose: string }>): Record<string, string> {
  return Object.fromEntries(Object.entries(byCase).map(([id, e]) => [id, `${e.behavior}/${e.behaviorClose}`]));
}

interface CaseFile {
  readonly closedByMe: boolean;
  readonly wirelog: readonly (readonly unknown[])[];
  readonly txOctetStats: Record<string, number>;
  readonly wscheck: { readonly replay: string };
}

function caseFile(dir: string, agent: string, id: string): CaseFile {
  return JSON.parse(readFileSync(path.join(dir, caseReportFileName(agent, id)), 'utf8')) as CaseFile;
}

/** The frames the tester sent, as the wire log lists them (opcode, FIN, RSV, length), masking keys aside. */
function framesSent(c: CaseFile): string[] {
  return c.wirelog.filter((e) => e[0] === 'TF').map((e) => `${e[2]}/${e[3]}/${e[4]}/${(e[1] as [number])[0]}`);
}

function octetsWritten(c: CaseFile): number {
  return Object.entries(c.txOctetStats).reduce((n, [size, count]) => n + Number(size) * count, 0);
}

describe('--chop PATTERNS', () => {
  it('names patterns, expands all, keeps each once, and refuses others with one line', () => {
    expect(parseChopOption(undefined)).toEqual([]);
    expect(parseChopOption('all').map((s) => s.kind)).toEqual(['octets', 'header', 'mask', 'coalesce', 'random']);
    expect(parseChopOption('header, 1,header,random:7')).toEqual([{ kind: 'header' }, { kind: 'octets' }, { kind: 'random', seed: 7 }]);
    expect(() => parseChopOption('bytes')).toThrow(new UsageError('unknown --chop pattern "bytes"; use 1, header, mask, coalesce, random:SEED or all'));
    expect(() => parseChopOption('random')).toThrow(/random needs a seed from 0 to 4294967295, e.g. random:7/);
    expect(() => parseChopOption(',')).toThrow(/empty --chop list/);
  });

  it('refuses a bad pattern on the command line with exit status 2', async () => {
    const run = await runCli(['server', 'builtin:ws', '--cases', '1.1.1', '--chop', 'headers', '--out', tempDir('chop-bad')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('wscheck: unknown --chop pattern "headers"; use 1, header, mask, coalesce, random:SEED or all');
  });

  it('server builtin:ws --cases 1.*,5.*,6.2.* --chop all: every pattern gives the plain verdicts, with the same frames', async () => {
    const out = tempDir('chop-server');
    const run = await runCli(['server', 'builtin:ws', '--cases', '1.*,5.*,6.2.*', '--chop', 'all', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dir = path.join(out, 'servers');
    const all = index(path.join(dir, 'index.json'));
    expect(Object.keys(all).sort()).toEqual([AGENT, ...PATTERNS.map((p) => `${AGENT} (chop ${p})`)].sort());
    const plain = verdicts(all[AGENT]!);
    expect(Object.keys(plain)).toHaveLength(40);
    for (const p of PATTERNS) {
      const agent = `${AGENT} (chop ${p})`;
      expect(verdicts(all[agent]!), agent).toEqual(plain);
      for (const id of Object.keys(plain)) {
        const a = caseFile(dir, AGENT, id);
        const b = caseFile(dir, agent, id);
        expect(framesSent(b), `${agent} ${id}`).toEqual(framesSent(a));
        // When the peer fails the connection, the pieces still queued are dropped (as in the plain run),
        // and how many left before depends on timing; otherwise every octet of the plain run left.
        if (a.closedByMe && b.closedByMe) expect(octetsWritten(b), `${agent} ${id}`).toBe(octetsWritten(a));
        expect(b.wscheck.replay).toBe(`npx wscheck server builtin:ws --cases ${id} --chop ${p}`);
      }
    }
    // Cut at every octet, nearly every write is one octet long; the plain run writes whole frames.
    expect(caseFile(dir, `${AGENT} (chop 1)`, '1.1.2').txOctetStats['1']).toBeGreaterThan(128);
    expect(caseFile(dir, AGENT, '1.1.2').txOctetStats['1']).toBeUndefined();
    expect(run.stdout).toContain('as ws@8.18.3 (chop header): 40 cases');
  }, 180_000);

  it('client builtin:ws --chop all: the replays follow the plain cases, each pattern an agent; mask cuts nothing a server sends', async () => {
    const out = tempDir('chop-client');
    const run = await runCli(['client', 'builtin:ws', '--cases', '1.1.*,5.*,6.2.*', '--chop', 'all', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--chop mask skipped: frames a server sends have no masking key to cut');
    const dir = path.join(out, 'clients');
    const all = index(path.join(dir, 'index.json'));
    expect(Object.keys(all).sort()).toEqual([AGENT, ...PATTERNS.filter((p) => p !== 'mask').map((p) => `${AGENT} (chop ${p})`)].sort());
    const plain = verdicts(all[AGENT]!);
    expect(Object.keys(plain)).toHaveLength(32);
    for (const p of PATTERNS.filter((x) => x !== 'mask')) {
      const agent = `${AGENT} (chop ${p})`;
      expect(verdicts(all[agent]!), agent).toEqual(plain);
      expect(caseFile(dir, agent, '5.1').wscheck.replay).toBe(`npx wscheck client --exec builtin:ws --cases 5.1 --chop ${p}`);
    }
  }, 180_000);
});
