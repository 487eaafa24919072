/**
 * What exploration runs: a generated scenario as a case of the harness, and
 * the generation defaults for live targets. Shared by the exploration loop
 * and the thread that plans scenarios ahead of it.
 */
import type { CaseDefinition } from '../../cases/types.js';
import type { ScenarioConstraints } from '../../arbitraries/index.js';
import type { DeclaredLimits } from '../../model/limits.js';
import type { Scenario } from '../../model/scenario.js';

/** Short pauses: on loopback a few milliseconds let the peer act on what it got. */
export const EXPLORATION_PAUSES: readonly number[] = [0.005, 0.02, 0.05];

/** The scenario as exploration runs it: the tester closes as soon as the answer is complete. */
export function explorationScenario(generated: Scenario): Scenario {
  return { ...generated, finish: 'complete' };
}

/** A generated scenario as a case the harness can run. */
export function explorationCase(generated: Scenario, summary: string): CaseDefinition {
  const scenario = explorationScenario(generated);
  return {
    id: 'explore',
    category: 'explore',
    categoryTitle: 'Exploration',
    subcategory: 'explore',
    subcategoryTitle: null,
    description: summary,
    expectation: 'Whatever a conforming peer may do: the oracle computes it.',
    scenario: () => scenario,
  };
}

/** What a user asks of an exploration: `--max-message`/`--max-frame`, `--handshake`, `--deflate`. */
export interface ExplorationAsked {
  readonly limits?: DeclaredLimits | undefined;
  readonly handshake?: boolean;
  readonly deflate?: boolean;
}

/** The generation constraints for what the user asked (`--handshake` varies a third of the handshakes). */
export function constraintsAsked(a: ExplorationAsked): Omit<ScenarioConstraints, 'peerRole'> {
  return {
    ...(a.limits !== undefined ? { limits: a.limits } : {}),
    ...(a.handshake === true ? { opening: 'sometimes' as const } : {}),
    ...(a.deflate === true ? { deflate: true } : {}),
  };
}
