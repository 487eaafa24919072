/**
 * `npx tsx fuzz` — coverage-guided fuzzing of WebSocket decoders with
 * Jazzer.js (docs/fuzzing.md). `wscheck fuzz` calls {@link runFuzzCli}.
 */
import path from 'node:path';
import { runFuzzCli } from './cli.js';

export { runFuzzCli, USAGE } from './cli.js';
export { TARGETS } from './targets/index.js';
export type { TargetInfo } from './targets/index.js';

const invoked = path.resolve(process.argv[1] ?? '');
if (invoked === import.meta.filename || invoked === import.meta.dirname || invoked === import.meta.filename.replace(/\.ts$/, '')) {
  process.exitCode = await runFuzzCli(process.argv.slice(2));
}
