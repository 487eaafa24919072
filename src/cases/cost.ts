/**
 * A rough relative cost of running a case, for scheduling: the longest cases
 * start first, so that a run does not end with one long case working alone
 * while the other lanes sit idle (ordering by catalogue id would start the
 * 131072-octet compression round trips last). Only the order of cases
 * changes; every case runs exactly as it would otherwise.
 */
import type { CaseDefinition } from './types.js';

/** Octet-equivalents of per-frame work (headers, masking keys, one extra read or inflate call). */
const FRAME_COST = 512;
/** A case without a performance goal: a few frames and at most a second or two of timers. */
const SMALL_CASE = 4096;

const cache = new Map<string, number>();

export function estimatedCost(c: CaseDefinition): number {
  let cost = cache.get(c.id);
  if (cost !== undefined) return cost;
  cost = SMALL_CASE;
  const scenario = c.scenario();
  const goal = scenario.perf;
  if (goal?.kind === 'single-echo') cost = goal.length * 2;
  if (goal?.kind === 'round-trips') {
    const length = goal.source?.length ?? goal.payload?.length ?? 0;
    const frames = goal.fragmentSize !== undefined && goal.fragmentSize > 0 ? Math.ceil(length / goal.fragmentSize) : 1;
    // Compressed messages cost both sides a deflate and an inflate per message.
    const perOctet = scenario.deflate !== undefined ? 4 : 2;
    cost = goal.count * (length * perOctet + frames * FRAME_COST);
  }
  cache.set(c.id, cost);
  return cost;
}

/** Indices of `cases`, most expensive first (ties in catalogue order). */
export function longestFirst(cases: readonly CaseDefinition[]): number[] {
  const costs = cases.map(estimatedCost);
  return cases.map((_, k) => k).sort((a, b) => costs[b]! - costs[a]! || a - b);
}
