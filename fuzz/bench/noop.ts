/**
 * A fuzz target that does nothing: Jazzer.js's own cost per execution on this
 * machine (docs/performance.md). `npx tsx fuzz fuzz/bench/noop.ts --time 30`
 */
export function fuzz(data: Buffer): void {
  if (data.length > 1 << 20) throw new Error('unreachable');
}
