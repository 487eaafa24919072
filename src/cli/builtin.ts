/** `builtin:NAME` targets on the command line: checking the name, and the agent name reports use. */
import { clientTarget, clientTargets, serverTarget, serverTargets } from '../harness/targets/registry.js';
import { limitsRefusal } from '../harness/targets/target.js';
import { wsVersion } from '../harness/targets/ws.js';
import type { DeclaredLimits } from '../model/limits.js';
import { UsageError } from './errors.js';

/** NAME of `builtin:NAME`, or null for anything else. */
export function builtinName(target: string | null): string | null {
  return target !== null && target.startsWith('builtin:') ? target.slice('builtin:'.length) : null;
}

/**
 * Throws a usage error naming the available targets when `builtin:NAME` does not exist in this role,
 * or naming the option when it cannot be configured with the declared limits.
 */
export function checkBuiltin(role: 'server' | 'client', name: string, limits?: DeclaredLimits): void {
  const found = role === 'server' ? serverTarget(name) : clientTarget(name);
  if (found !== undefined) {
    const refusal = limitsRefusal(found, limits);
    if (refusal !== null) throw new UsageError(refusal);
    return;
  }
  const all = role === 'server' ? serverTargets() : clientTargets();
  const real = all.filter((t) => !t.broken).map((t) => `builtin:${t.name}`);
  const broken = all.filter((t) => t.broken).length;
  throw new UsageError(
    `unknown ${role} target "builtin:${name}"; available: ${real.join(', ')}${broken > 0 ? ` and ${broken} deliberately broken ones (wscheck targets lists them)` : ''}`,
  );
}

/** The agent name for a built-in target's results: `ws@8.18.3` for ws, the target's name otherwise. */
export function builtinAgent(name: string): string {
  return name === 'ws' ? `ws@${wsVersion()}` : name;
}
