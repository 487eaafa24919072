/**
 * `wscheck fuzz …`: the Jazzer.js fuzzer of fuzz/ (docs/fuzzing.md). Its
 * targets are TypeScript compiled for Jazzer's instrumentation at run time,
 * so the fuzzer runs through tsx even from the compiled CLI; tsx and
 * @jazzer.js/core are needed only for this command.
 */
import { StartError } from './errors.js';

interface FuzzModule {
  runFuzzCli(argv: readonly string[]): Promise<number>;
}

export async function runFuzzCommand(argv: readonly string[]): Promise<number> {
  let tsImport: (specifier: string, parent: string) => Promise<unknown>;
  try {
    ({ tsImport } = (await import('tsx/esm/api')) as { tsImport: typeof tsImport });
  } catch {
    throw new StartError('wscheck fuzz needs tsx and @jazzer.js/core next to wscheck: npm install --save-dev tsx @jazzer.js/core');
  }
  // The same relative path from src/cli and from dist/cli.
  const entry = new URL('../../fuzz/index.ts', import.meta.url).href;
  const fuzz = (await tsImport(entry, import.meta.url)) as FuzzModule;
  return fuzz.runFuzzCli(argv);
}
