/**
 * Binding the peer's declared limits to the catalogue: a case whose
 * expectation depends on them (categories 15-16) becomes the same case, same
 * id, built for those limits. Autobahn's cases keep Autobahn's assumption that
 * the peer accepts every message they send (16 MiB at most).
 */
import { type DeclaredLimits, hasDeclaredLimits } from '../model/limits.js';
import type { CaseDefinition } from './types.js';

export function withDeclaredLimits(cases: readonly CaseDefinition[], limits: DeclaredLimits | undefined): CaseDefinition[] {
  if (!hasDeclaredLimits(limits)) return [...cases];
  return cases.map((c) => {
    const build = c.scenarioWithLimits;
    if (build === undefined) return c;
    return { ...c, scenario: () => build(limits), declaredLimits: limits };
  });
}
