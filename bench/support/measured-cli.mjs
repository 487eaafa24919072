// The compiled wscheck CLI, reporting its own resource use as the last line
// of stderr: {"wallMs":…,"userMs":…,"systemMs":…,"maxRssKiB":…}.
import { existsSync } from 'node:fs';

const started = performance.now();
const entry = new URL('../../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('bench: dist/ is missing; run npm run build first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
const u = process.resourceUsage();
process.stderr.write(
  `${JSON.stringify({ wallMs: performance.now() - started, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS, code })}\n`,
);
process.exitCode = code;
