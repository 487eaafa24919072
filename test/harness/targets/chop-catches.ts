/**
 * What the chopped replay (`--chop all`) catches in the broken peers whose
 * bugs are about TCP read boundaries: the catalogue but category 9 against
 * each, through the CLI as a user runs it (the peer in a worker thread), and
 * for every pattern the cases that fail chopped although the plain run of the
 * same case passes. Prints the table of docs/broken-targets.md. Not a test
 * (minutes of run time); run it with
 *
 *   npx tsx test/harness/targets/chop-catches.ts [bug-name-substring] [--cases GLOBS]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../../src/cli/main.js';
import { compareCaseIds } from '../../../src/cases/catalogue.js';
import { readAutobahnIndex } from '../../../src/report/autobahn-json.js';
import { type BrokenBug, clientBugs, serverBugs } from '../../../src/harness/targets/broken/index.js';
import { ALL_SEGMENTATIONS, segmentationName } from '../../../src/model/segmentation.js';
import { tempDir } from '../../support/cli.js';

const args = process.argv.slice(2);
const casesAt = args.indexOf('--cases');
const cases = casesAt >= 0 ? args[casesAt + 1]! : '*';
const only = args.find((a, k) => !a.startsWith('--') && k !== casesAt + 1);

/** The rule of wscheck's exit status: behavior FAILED, or a closing behaviour other than OK / INFORMATIONAL. */
function failed(e: { behavior: string; behaviorClose: string }): boolean {
  return e.behavior === 'FAILED' || !['OK', 'INFORMATIONAL'].includes(e.behaviorClose);
}

function ids(list: readonly string[], shown = 6): string {
  const sorted = [...list].sort(compareCaseIds);
  return sorted.length === 0 ? '—' : `${sorted.length}: ${sorted.slice(0, shown).join(', ')}${sorted.length > shown ? ', …' : ''}`;
}

const PATTERNS = ALL_SEGMENTATIONS.map(segmentationName);

async function run(bug: BrokenBug): Promise<void> {
  const out = tempDir(`chop-${bug.name}`);
  const role = bug.role === 'server' ? 'servers' : 'clients';
  const argv =
    bug.role === 'server'
      ? ['server', `builtin:broken/${bug.name}`, '--cases', cases, '--exclude', '9.*', '--chop', 'all', '--out', out]
      : ['client', `builtin:broken/${bug.name}`, '--cases', cases, '--exclude', '9.*', '--chop', 'all', '--out', out];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    await main(argv);
  } finally {
    process.stdout.write = write;
  }
  const index = readAutobahnIndex(readFileSync(path.join(out, role, 'index.json'), 'utf8'));
  if (!index.ok) throw new Error(index.error);
  const plainAgent = `broken/${bug.name}`;
  const plain = index.value[plainAgent]!;
  const plainFailed = Object.keys(plain).filter((id) => failed(plain[id]!));
  const cells = [`\`${bug.name}\``, bug.role, ids(plainFailed, 4)];
  for (const pattern of PATTERNS) {
    const chopped = index.value[`${plainAgent} (chop ${pattern})`];
    if (chopped === undefined) {
      cells.push('n/a');
      continue;
    }
    cells.push(ids(Object.keys(chopped).filter((id) => failed(chopped[id]!) && !failed(plain[id]!)), 8));
  }
  console.log(`| ${cells.join(' | ')} |`);
}

const bugs = [...serverBugs, ...clientBugs].filter((b) => b.bugClass === 'TCP read boundaries' && (only === undefined || b.name.includes(only)));
console.log(`| bug | role | plain run fails | ${PATTERNS.map((p) => `--chop ${p}`).join(' | ')} |`);
console.log(`|---|---|---|${PATTERNS.map(() => '---').join('|')}|`);
for (const bug of bugs) await run(bug);
