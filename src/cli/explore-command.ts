/** `wscheck explore <target>`: property-based exploration; `wscheck replay <file>`: run a counterexample again. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CounterexampleError, decodeScenario, parseCounterexample } from '../harness/explore/counterexample.js';
import { explorationCase, explore, passes } from '../harness/explore/explore.js';
import { startLiveTarget } from '../harness/explore/live-target.js';
import { describeScenario } from '../model/describe.js';
import type { ExploreCommand, ReplayCommand } from './args.js';
import { StartError } from './errors.js';
import { shellQuote } from './output.js';

function slug(target: string): string {
  return target.replace(/^builtin:/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'target';
}

export async function runExploreCommand(c: ExploreCommand): Promise<number> {
  const seed = c.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
  const file = path.join(c.out, `${slug(c.target)}-${c.role}-${seed}.json`);
  const target = await startLiveTarget(c.target, c.role);
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  process.stderr.write(`wscheck: exploring ${c.target} as a ${c.role}: up to ${c.runs} scenarios${c.timeLimit !== null ? ` or ${c.timeLimit} s` : ''}, seed ${seed}\n`);
  let outcome;
  try {
    outcome = await explore({
      target,
      runs: c.runs,
      seed,
      ...(c.timeLimit !== null ? { timeLimitSeconds: c.timeLimit } : {}),
      counterexamplePath: file,
      replayCommand: (f) => `npx wscheck replay ${shellQuote(f)}`,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLine < (tty ? 100 : 2000)) return;
        lastLine = now;
        const line = `  ${p.runs} runs, ${p.scenariosPerSecond.toFixed(0)} scenarios/s${p.shrinking ? `, shrinking: ${p.shrinkSteps} steps` : ''}`;
        process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      },
    });
  } finally {
    await target.close();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  const summary = `${outcome.runs} runs in ${(outcome.elapsedMs / 1000).toFixed(1)} s (${outcome.scenariosPerSecond.toFixed(0)} scenarios/s)`;
  for (const f of outcome.flaky) {
    process.stdout.write(`flaky: the verdict changed between runs of the same scenario (${f.verdicts.join(', ')}): ${f.scenario.label.summary}\n`);
  }
  for (const m of outcome.modelErrors) process.stdout.write(`wscheck could not judge a scenario (please report): ${m}\n`);
  if (outcome.counterexample === null) {
    process.stdout.write(`no counterexample: ${summary}${outcome.interrupted ? ', stopped by the time limit' : ''}\n`);
    return 0;
  }
  const ce = outcome.counterexample;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(ce.file, null, 2)}\n`);
  const lines = [
    `COUNTEREXAMPLE after ${outcome.found?.runs ?? outcome.runs} runs (${((outcome.found?.elapsedMs ?? 0) / 1000).toFixed(2)} s), shrunk in ${outcome.shrinkSteps} steps; ${summary}`,
    `  verdict: behavior ${ce.result.verdict.behavior}, close ${ce.result.verdict.behaviorClose}`,
    `  ${ce.result.verdict.firstDivergence ?? ce.result.verdict.resultClose}`,
    '  the tester sends:',
    ...ce.file.frames.map((f) => `    ${f}`),
    `  seed ${ce.file.seed}, path ${ce.file.path}`,
    `  saved: ${file}`,
    `  replay: ${ce.file.replay}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 1;
}

export async function runReplayCommand(c: ReplayCommand): Promise<number> {
  let text: string;
  try {
    text = readFileSync(c.file, 'utf8');
  } catch (e) {
    throw new StartError(`cannot read ${c.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let file;
  try {
    file = parseCounterexample(text, c.file);
  } catch (e) {
    if (e instanceof CounterexampleError) throw new StartError(e.message);
    throw e;
  }
  const scenario = decodeScenario(file.scenario);
  const name = c.target ?? file.target;
  const target = await startLiveTarget(name, file.role);
  let result;
  try {
    result = await target.run(explorationCase(scenario, file.label), `npx wscheck replay ${shellQuote(c.file)}`);
  } finally {
    await target.close();
  }
  const failed = !passes(result);
  const lines = [
    `${failed ? 'FAILS' : 'passes'} against ${name} (a ${file.role}): behavior ${result.verdict.behavior}, close ${result.verdict.behaviorClose}`,
    ...(result.verdict.firstDivergence !== null ? [`  ${result.verdict.firstDivergence}`] : []),
    '  the tester sends:',
    ...describeScenario(scenario).map((f) => `    ${f}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
}
