/**
 * The CLI in a process of its own (run with `node --import tsx`), for tests
 * that measure it from outside: memory, signals. Its last line on stderr is
 * `{"maxRssKiB":N}`, the peak resident set of the whole run.
 */
import { main } from '../../src/cli/main.js';

const code = await main(process.argv.slice(2));
process.stderr.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
