/**
 * Locates the reference data the report tests compare with: the Autobahn
 * facts and published reports in ../shared/autobahn, beside the repository
 * (present in CI too). Missing data is an error, never a silent skip.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared/autobahn`, or an error saying it is missing. */
export function sharedAutobahnDir(): string {
  const dir = path.resolve(repoRoot, '../shared/autobahn');
  if (!existsSync(path.join(dir, 'published', 'percase'))) {
    throw new Error(
      `Autobahn reference data not found at ${dir}/published/percase: these tests need the ` +
        `../shared/autobahn folder beside the repository (published Autobahn reports and cases.json).`,
    );
  }
  return dir;
}

function jsonFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...jsonFilesUnder(full));
    else if (name.endsWith('.json')) found.push(full);
  }
  return found;
}

/** Folders of published/percase that hold per-case reports (with or without an index.json). */
export function publishedPerCaseFolders(): string[] {
  const root = path.join(sharedAutobahnDir(), 'published', 'percase');
  return [...new Set(jsonFilesUnder(root).map((f) => path.dirname(f)))].sort();
}

/** Every JSON file under published/percase: per-case reports and index.json files. */
export function publishedPerCaseFiles(): string[] {
  return jsonFilesUnder(path.join(sharedAutobahnDir(), 'published', 'percase'));
}

/** Only the per-case reports (`*_case_*.json`) under published/percase. */
export function publishedCaseReportFiles(): string[] {
  return publishedPerCaseFiles().filter((f) => /_case_[0-9_]+\.json$/.test(path.basename(f)));
}

/**
 * Every published index-like file: the saved index.json / results files in
 * published/ (not the `_index.json` metadata) and the index.json files of
 * published/percase.
 */
export function publishedIndexFiles(): string[] {
  const published = path.join(sharedAutobahnDir(), 'published');
  const top = readdirSync(published)
    .filter((name) => name.endsWith('.json') && name !== '_index.json')
    .sort()
    .map((name) => path.join(published, name));
  const percase = publishedPerCaseFiles().filter((f) => path.basename(f) === 'index.json');
  return [...top, ...percase];
}

/** Path relative to ../shared/autobahn, for messages. */
export function shortName(file: string): string {
  return path.relative(sharedAutobahnDir(), file);
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** One payload of cases.json: literal hex, or a unit repeated cyclically and cut to `len`. */
export interface CasePayload {
  readonly len: number;
  readonly hex?: string;
  readonly text?: string;
  readonly generator?: string;
  readonly unitHex?: string;
}

export interface CaseEventSpec {
  readonly type: string;
  readonly payload?: CasePayload;
  readonly binary?: boolean;
}

/** The part of a cases.json entry these tests use. */
export interface CaseSpec {
  readonly id: string;
  readonly index: number;
  readonly expected: Readonly<Record<string, readonly CaseEventSpec[]>>;
  readonly expectedAsReported: Readonly<Record<string, ReadonlyArray<readonly unknown[]>>>;
}

export function loadCases(): readonly CaseSpec[] {
  const data = JSON.parse(readText(path.join(sharedAutobahnDir(), 'cases.json'))) as { cases: CaseSpec[] };
  return data.cases;
}

export function payloadBytes(payload: CasePayload): Uint8Array {
  if (payload.hex !== undefined) return Buffer.from(payload.hex, 'hex');
  if (payload.generator === 'repeat' && payload.unitHex !== undefined) {
    const unit = Buffer.from(payload.unitHex, 'hex');
    const out = new Uint8Array(payload.len);
    for (let i = 0; i < out.length; i++) out[i] = unit[i % unit.length]!;
    return out;
  }
  throw new Error(`cannot build payload ${JSON.stringify(payload)}`);
}
