/**
 * Not a target: how fast a target runs a corpus in plain Node, without
 * Jazzer.js's instrumentation — to profile a target (`node --cpu-prof
 * --import tsx fuzz/bench/replay-rate.ts …`) and to compare two versions of it
 * on the same inputs (docs/performance.md). Like Jazzer.js's synchronous
 * mode, the loop never returns to the event loop, so memory that only the
 * event loop would free shows up in the RSS printed at the end.
 *
 *   npx tsx fuzz/bench/replay-rate.ts TARGET DIR [SECONDS]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findTarget } from '../targets/index.js';

const [name, dir, seconds = '20'] = process.argv.slice(2);
const info = name === undefined ? undefined : findTarget(name);
if (info === undefined || dir === undefined || !(Number(seconds) > 0)) {
  console.error('usage: npx tsx fuzz/bench/replay-rate.ts TARGET DIR [SECONDS]  (TARGET from `npx tsx fuzz list`, DIR a corpus folder)');
  process.exit(2);
}
const { fuzz } = (await import(info.file)) as { fuzz: (data: Buffer) => void };
const inputs = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => readFileSync(path.join(dir, e.name)));
if (inputs.length === 0) {
  console.error(`replay-rate: no inputs in ${dir}; give a corpus folder such as corpus/${name}`);
  process.exit(2);
}
let runs = 0;
let findings = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (performance.now() - t0 < Number(seconds) * 1000) {
  for (const data of inputs) {
    try {
      fuzz(data);
    } catch {
      findings++;
    }
    runs++;
  }
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const perCpu = runs / ((cpu.user + cpu.system) / 1e6);
console.log(
  `${name}: ${inputs.length} inputs, ${runs} runs in ${wall.toFixed(1)} s: ${Math.round(runs / wall)}/s wall, ${Math.round(perCpu)} per CPU second; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB; ${findings} runs threw`,
);
