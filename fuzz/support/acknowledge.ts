/**
 * Open findings a campaign may acknowledge so that it keeps exploring past
 * them: `npx tsx fuzz decoder --acknowledge ID` (or the environment variable
 * `WSCHECK_FUZZ_ACKNOWLEDGE=ID[,ID…]`, which fork-mode workers inherit). Each
 * one is written up in docs/fuzzing.md with its reproducer and is checked by
 * default; acknowledging one is said on every run, never silent.
 */

export interface OpenFinding {
  readonly id: string;
  readonly target: string;
  readonly summary: string;
}

/**
 * Findings in wscheck's own code that are known and not fixed yet (none at
 * the moment; `decoder-mutates-buffer-input` was the first, docs/fuzzing.md).
 * Each has its reproducer in corpus/<target>/regressions/open-<id>, and the
 * target that finds it skips the check when `isAcknowledged(id)`.
 */
export const OPEN_FINDINGS: readonly OpenFinding[] = [];

let acknowledged: ReadonlySet<string> = new Set();
let seen: string | null = null;

/** True when the run was told to step over the open finding `id`. */
export function isAcknowledged(id: string): boolean {
  const raw = typeof process === 'undefined' ? '' : (process.env.WSCHECK_FUZZ_ACKNOWLEDGE ?? '');
  if (raw !== seen) {
    seen = raw;
    acknowledged = new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }
  return acknowledged.has(id);
}

/** For tests: forget the cached environment. */
export function resetAcknowledged(): void {
  seen = null;
}
