/**
 * Running `npx tsx fuzz` in-process for a test: its output captured, its
 * environment set for the call only, and temporary folders removed after
 * the file's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runFuzzCli } from '../../../fuzz/cli.js';

export interface FuzzCliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The fuzz command with `argv`, and `env` in process.env while it runs. */
export async function fuzzCli(argv: string[], env: Record<string, string> = {}): Promise<FuzzCliRun> {
  let out = '';
  let err = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await runFuzzCli(argv, { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** A maker of temporary folders, all removed once the calling test file's tests are done. */
export function tempFolders(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), `wscheck-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
