/** `wscheck explore <target>`: property-based exploration; `wscheck replay <file>`: run a counterexample again. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CounterexampleError, type CounterexampleFile, decodeScenario, parseCounterexample } from '../harness/explore/counterexample.js';
import { constraintsAsked } from '../harness/explore/exploration-case.js';
import { DeflateDeclinedError, type ExploreOutcome, type ExploreProgress, explorationCase, explore, flakyCounterexample, passes } from '../harness/explore/explore.js';
import { PathError } from '../harness/explore/fast-check-path.js';
import { ClientDidNotConnectError } from '../harness/scenario-listener.js';
import { type LiveTarget, startLiveTarget } from '../harness/explore/live-target.js';
import { describeScenario } from '../model/describe.js';
import { type DeclaredLimits, describeLimits } from '../model/limits.js';
import type { ExploreCommand, ReplayCommand } from './args.js';
import { builtinName, checkBuiltin } from './builtin.js';
import { StartError } from './errors.js';
import { shellQuote } from './output.js';

function slug(target: string): string {
  return target.replace(/^builtin:/, '').replace(/^exec:/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'target';
}

/** Start the target as the CLI does: a builtin one in a worker thread of its own. */
async function startTarget(name: string, role: 'server' | 'client', exec: string | null, limits: DeclaredLimits | undefined): Promise<LiveTarget> {
  const builtin = builtinName(name);
  if (builtin !== null && exec === null) checkBuiltin(role, builtin, limits);
  try {
    return await startLiveTarget(name, role, { isolate: true, ...(exec !== null ? { exec } : {}), ...(limits !== undefined ? { limits } : {}) });
  } catch (e) {
    throw new StartError(`cannot start ${exec ?? name}: ${(e as Error).message}`);
  }
}

/** The one line for a client command that ended without connecting, with what to check. */
function neverConnected(e: ClientDidNotConnectError): string {
  return `${e.message}; the command must open one WebSocket connection to the URL put in place of {url} (run it by hand with a ws:// URL to see why it does not)`;
}

/** One progress line: runs, their rate, and the shrinking under way. */
export function progressLine(p: ExploreProgress): string {
  const shrink = p.shrinking || p.shrinkRuns > 0 ? `, shrinking: ${p.shrinkSteps} step${p.shrinkSteps === 1 ? '' : 's'} in ${p.shrinkRuns} runs` : '';
  return `  ${p.runs} runs (${p.scenarios} scenarios), ${p.scenariosPerSecond.toFixed(0)} runs/s${shrink}`;
}

function summary(outcome: ExploreOutcome): string {
  const s = (outcome.elapsedMs / 1000).toFixed(1);
  return `${outcome.scenarios} scenarios, ${outcome.runs} runs in ${s} s (${outcome.scenariosPerSecond.toFixed(0)} runs/s, ${outcome.concurrency} at a time)`;
}

function save(file: string, ce: CounterexampleFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(ce, null, 2)}\n`);
}

export async function runExploreCommand(c: ExploreCommand): Promise<number> {
  const seed = c.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
  const file = path.join(c.out, `${slug(c.target)}-${c.role}-${seed}.json`);
  const target = await startTarget(c.target, c.role, c.exec, c.limits);
  const shown = c.exec ?? c.target;
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  process.stderr.write(
    `wscheck: exploring ${shown} as a ${c.role}: up to ${c.runs} scenarios${c.timeLimit !== null ? ` or ${c.timeLimit} s` : ''}, ${c.concurrency} at a time, seed ${seed}${c.limits !== undefined ? `, ${describeLimits(c.limits)}` : ''}${c.handshake ? ', varied opening handshakes' : ''}${c.deflate ? ', permessage-deflate' : ''}\n`,
  );
  const replayCommand = (f: string) => `npx wscheck replay ${shellQuote(f)}`;
  let outcome: ExploreOutcome;
  try {
    outcome = await explore({
      target,
      runs: c.runs,
      seed,
      concurrency: c.concurrency,
      planInWorker: true,
      planners: c.planners,
      constraints: constraintsAsked(c),
      ...(c.timeLimit !== null ? { timeLimitSeconds: c.timeLimit } : {}),
      counterexamplePath: file,
      replayCommand,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLine < (tty ? 100 : 2000)) return;
        lastLine = now;
        const line = progressLine(p);
        process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      },
    });
  } catch (e) {
    if (e instanceof PathError) throw new StartError(e.message);
    if (e instanceof ClientDidNotConnectError) throw new StartError(neverConnected(e));
    if (e instanceof DeflateDeclinedError) throw new StartError(e.message);
    throw e;
  } finally {
    await target.close();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  for (const f of outcome.flaky) {
    process.stdout.write(`flaky: ${f.verdicts.length} runs of the same scenario gave ${f.verdicts.join(', ')} (path ${f.path}): ${f.scenario.label.summary}\n`);
  }
  for (const m of outcome.modelErrors) process.stdout.write(`wscheck could not judge a scenario (please report): ${m}\n`);
  if (outcome.counterexample === null) {
    const first = outcome.flaky[0];
    if (first !== undefined) {
      // A failure that does not repeat is not shrunk, but it is not dropped either: it may be a real, timing-dependent bug.
      const ce = flakyCounterexample({ target, replayCommand, counterexamplePath: file }, outcome.seed, first);
      save(file, ce);
      const lines = [
        `FLAKY COUNTEREXAMPLE (${ce.flaky}, not shrunk); ${summary(outcome)}`,
        `  verdict: behavior ${ce.behavior}, close ${ce.behaviorClose}`,
        `  ${ce.firstDivergence ?? first.result.verdict.resultClose}`,
        '  the tester sends:',
        ...ce.frames.map((f) => `    ${f}`),
        `  seed ${ce.seed}, path ${ce.path}`,
        `  saved: ${file}`,
        `  replay: ${ce.replay}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`no counterexample: ${summary(outcome)}${outcome.interrupted ? ', stopped by the time limit' : ''}\n`);
    return 0;
  }
  const ce = outcome.counterexample;
  save(file, ce.file);
  const found = outcome.found!;
  const lines = [
    `COUNTEREXAMPLE at scenario ${found.runs} (${(found.elapsedMs / 1000).toFixed(2)} s), shrunk in ${outcome.shrinkSteps} steps (${outcome.shrinkRuns} runs); ${summary(outcome)}`,
    ...(ce.file.flaky !== undefined ? [`  flaky: ${ce.file.flaky}`] : []),
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
  const exec = c.target === null && file.exec !== undefined ? file.exec : null;
  // A scenario that crossed declared limits needs a built-in target configured with them again.
  const target = await startTarget(name, file.role, exec, scenario.limits);
  let result;
  try {
    result = await target.run(explorationCase(scenario, file.label), `npx wscheck replay ${shellQuote(c.file)}`);
  } catch (e) {
    if (e instanceof ClientDidNotConnectError) throw new StartError(neverConnected(e));
    throw e;
  } finally {
    await target.close();
  }
  const failed = !passes(result);
  const lines = [
    `${failed ? 'FAILS' : 'passes'} against ${exec ?? name} (a ${file.role}): behavior ${result.verdict.behavior}, close ${result.verdict.behaviorClose}`,
    ...(result.verdict.firstDivergence !== null ? [`  ${result.verdict.firstDivergence}`] : []),
    ...(file.flaky !== undefined ? [`  (when saved, this counterexample was flaky: ${file.flaky})`] : []),
    '  the tester sends:',
    ...describeScenario(scenario).map((f) => `    ${f}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
}
