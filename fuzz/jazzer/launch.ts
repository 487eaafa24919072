/**
 * The launcher an OSS-Fuzz / ClusterFuzzLite fuzz target runs (bundled into
 * `$OUT/wscheck-fuzz/launch.cjs` by `npx tsx fuzz oss-fuzz`): it applies the
 * Jazzer.js compatibility step where the stock addon does not load (using
 * what the build prepared, so the runner needs no compiler), then hands
 * every argument the fuzzing engine gave over to Jazzer.js, output untouched.
 *
 *   node launch.cjs --project DIR --target FILE [--includes PATH]… [--includes pkg:NAME/DIR/]… -- ENGINE ARGS
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { CompatError, prepareJazzerRuntime } from './compat.js';
import { jazzerArgv, splitEngineArgs } from './run.js';

export async function launch(argv: readonly string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? [...argv] : argv.slice(0, dash);
  const engine = dash < 0 ? [] : argv.slice(dash + 1);
  let project = '';
  let target = '';
  const includes: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const value = own[++i] ?? '';
    if (own[i - 1] === '--project') project = path.resolve(value);
    else if (own[i - 1] === '--target') target = path.resolve(value);
    else if (own[i - 1] === '--includes') includes.push(value);
    else {
      process.stderr.write(`wscheck launch: unknown argument ${own[i - 1]}\n`);
      return 2;
    }
  }
  const require = createRequire(path.join(project, 'package.json'));
  const resolved = includes.map((inc) => {
    if (!inc.startsWith('pkg:')) return path.resolve(inc);
    const [pkg, ...rest] = inc.slice(4).split('/');
    return path.join(realpathSync(path.dirname(require.resolve(`${pkg}/package.json`))), ...rest.filter((r) => r !== '')) + path.sep;
  });
  let runtime;
  try {
    runtime = prepareJazzerRuntime({ projectRoot: project, cacheDir: path.join(path.dirname(path.dirname(target)), 'cache') });
  } catch (e) {
    if (e instanceof CompatError) {
      process.stderr.write(`wscheck: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { jazzer, libFuzzer } = splitEngineArgs(engine);
  const args = jazzerArgv({ projectRoot: project, entry: target, corpus: [], includes: resolved, jazzerOptions: jazzer, libFuzzer });
  const env = {
    ...process.env,
    ...runtime.env,
    NODE_PATH: path.join(project, 'node_modules'),
    WS_NO_BUFFER_UTIL: '1',
    WS_NO_UTF_8_VALIDATE: '1',
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    child.on('close', (status, signal) => resolve(status ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
