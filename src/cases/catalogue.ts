/**
 * The catalogue: every case wscheck knows, in Autobahn's order, with
 * Autobahn's runCase numbering, and case selection by Autobahn's wildcard rules.
 */
import { closeHandling } from './autobahn/close-handling.js';
import { compression } from './autobahn/compression.js';
import { fragmentation } from './autobahn/fragmentation.js';
import { framing } from './autobahn/framing.js';
import { limits } from './autobahn/limits.js';
import { misc } from './autobahn/misc.js';
import { utf8Handling } from './autobahn/utf8-handling.js';
import { opcodes } from './autobahn/opcodes.js';
import { pings } from './autobahn/pings.js';
import { reservedBits } from './autobahn/reserved-bits.js';
import type { CaseDefinition } from './types.js';
import { wscheckCases } from './wscheck/index.js';

/** Numeric comparison of dotted ids: 1.1.2 < 1.1.10 < 2.1 < 10.1.1. */
export function compareCaseIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every case, sorted by id. */
export const catalogue: readonly CaseDefinition[] = [
  ...framing,
  ...pings,
  ...reservedBits,
  ...opcodes,
  ...fragmentation,
  ...utf8Handling,
  ...closeHandling,
  ...limits,
  ...misc,
  ...compression,
  ...wscheckCases,
].sort((a, b) =>
  compareCaseIds(a.id, b.id),
);

const byId = new Map(catalogue.map((c) => [c.id, c]));

export function findCase(id: string): CaseDefinition | undefined {
  return byId.get(id);
}

/**
 * Autobahn's 1-based case number in the full catalogue (its fuzzingclient's
 * `case` field and, with no filter, the fuzzingserver's runCase N).
 */
export function caseIndex(id: string): number {
  const k = catalogue.findIndex((c) => c.id === id);
  if (k < 0) throw new Error(`unknown case ${id}`);
  return k + 1;
}

export class CaseSelectionError extends Error {
  override readonly name = 'CaseSelectionError';
}

/**
 * Autobahn's pattern rule: a pattern with `*` matches ids that *start* with it
 * (`*` is any text, `.` literal; `1*` selects 1.x, 10.x, 12.x and 13.x); a
 * pattern without `*` is an exact id. wscheck additionally rejects a pattern
 * that selects nothing, naming it, rather than running an empty or partial suite.
 */
export function matchCasePattern(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === id;
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
  return new RegExp(re).test(id);
}

const PATTERN = /^[0-9*][0-9.*]*$/;

/** Which catalogue a selection draws from. */
export type CatalogueScope = 'all' | 'autobahn';

/** Is this one of Autobahn's cases (as opposed to wscheck's own categories)? */
export function isAutobahnCase(c: CaseDefinition): boolean {
  return c.origin !== 'wscheck';
}

/** Does the case apply to an implementation under test in this role? */
export function appliesTo(c: CaseDefinition, role: 'server' | 'client'): boolean {
  return c.roles === undefined || c.roles.includes(role);
}

/**
 * Cases selected by `include` minus `exclude`, in catalogue order. With
 * scope `autobahn` (an Autobahn spec file) only Autobahn's catalogue is
 * considered, so that its `*` means what it meant there. With `role`, only
 * the cases that apply to an implementation in that role.
 */
export function selectCases(include: readonly string[], exclude: readonly string[] = [], scope: CatalogueScope = 'all', role?: 'server' | 'client'): CaseDefinition[] {
  const pool = (scope === 'all' ? catalogue : catalogue.filter(isAutobahnCase)).filter((c) => role === undefined || appliesTo(c, role));
  for (const p of [...include, ...exclude]) {
    if (!PATTERN.test(p)) {
      throw new CaseSelectionError(`bad case pattern "${p}": use ids like 4.1.5 or wildcards like 4.* or *`);
    }
  }
  for (const p of include) {
    if (!pool.some((c) => matchCasePattern(p, c.id))) {
      throw new CaseSelectionError(`case pattern "${p}" matches no case${role === undefined ? '' : ` for a ${role}`}; known ids run from ${pool[0]!.id} to ${pool.at(-1)!.id}`);
    }
  }
  return pool.filter(
    (c) => include.some((p) => matchCasePattern(p, c.id)) && !exclude.some((p) => matchCasePattern(p, c.id)),
  );
}
