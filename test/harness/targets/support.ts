/**
 * Running one scenario, or a few catalogue cases, against a built-in target
 * in either role, for the target tests.
 */
import type { CaseDefinition } from '../../../src/cases/types.js';
import { parseTargetUrl } from '../../../src/harness/client-handshake.js';
import { FuzzingServer } from '../../../src/harness/fuzzing-server.js';
import type { CaseResult } from '../../../src/harness/result.js';
import { runServerCase } from '../../../src/harness/server-target.js';
import type { ClientUnderTest } from '../../../src/harness/targets/target.js';
import type { Scenario } from '../../../src/model/scenario.js';

/** A case around a hand-written scenario. */
export function scenarioCase(name: string, scenario: () => Scenario): CaseDefinition {
  return {
    id: 'x.1',
    category: 'x',
    categoryTitle: 'hand-written',
    subcategory: 'x',
    subcategoryTitle: null,
    description: name,
    expectation: '',
    scenario,
  };
}

export function runAgainstServer(caseDef: CaseDefinition, url: string, agent: string): Promise<CaseResult> {
  return runServerCase(caseDef, { target: parseTargetUrl(url), agent, cases: [], concurrency: 1, replayCommand: () => '' });
}

/**
 * Run `cases` against a client under test, one connection each (runCase N),
 * through the fuzzing server; the results by case id once every case is judged.
 */
export async function runAgainstClient(cases: readonly CaseDefinition[], client: ClientUnderTest, agent: string): Promise<Map<string, CaseResult>> {
  const results = new Map<string, CaseResult>();
  const server = new FuzzingServer({ host: '127.0.0.1', port: 0, cases, replayCommand: () => '', onResult: (r) => results.set(r.caseDef.id, r) });
  await server.listen();
  try {
    for (let n = 1; n <= cases.length; n++) await client.connect(`${server.url}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
    // One more connection, as a client driver's /updateReports would be: the last case's liveness probe waits for it.
    await client.connect(`${server.url}/getCaseCount`);
  } finally {
    // Waits for the cases under way to be judged.
    await server.close();
  }
  return results;
}

/** The rule of wscheck's exit status: behavior FAILED, or a closing behaviour other than OK / INFORMATIONAL. */
export function fails(r: CaseResult): boolean {
  return r.verdict.behavior === 'FAILED' || !['OK', 'INFORMATIONAL'].includes(r.verdict.behaviorClose);
}

/** What a test shows when a verdict is not the one expected. */
export function summary(r: CaseResult): string {
  return `${r.verdict.behavior}/${r.verdict.behaviorClose}: ${r.verdict.firstDivergence ?? '(no divergence)'}; lints ${r.lints.map((l) => l.id).join(', ') || 'none'}; notes ${r.run.notes.join(' | ') || 'none'}`;
}
