/**
 * The layering rules of ARCHITECTURE.md, checked on the source: codec and
 * model are pure (no I/O, clocks, randomness or Node-only APIs; they run in a
 * browser), except for one optional lookup of native octet routines in
 * codec/platform.ts that falls back to plain loops; and imports point down the
 * layers.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(path.join(src, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!);
}

/** Which top-level folder a resolved import lands in. */
function layerOf(file: string, spec: string): string {
  return path.relative(src, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
}

const FORBIDDEN_IN_PURE = [/\bsetTimeout\b/, /\bsetInterval\b/, /\bsetImmediate\b/, /\bDate\.now\b/, /\bnew Date\b/, /\bperformance\.now\b/, /\bMath\.random\b/, /\bprocess\./, /\bBuffer\./, /\brequire\(/];

const ALLOWED: Record<string, string[]> = {
  codec: ['codec'],
  model: ['codec', 'model'],
  cases: ['codec', 'model', 'cases'],
  arbitraries: ['codec', 'model', 'arbitraries'],
  harness: ['codec', 'model', 'cases', 'arbitraries', 'harness'],
  report: ['codec', 'model', 'cases', 'harness', 'report'],
  cli: ['codec', 'model', 'cases', 'arbitraries', 'harness', 'report', 'cli'],
  vitest: ['codec', 'model', 'cases', 'arbitraries', 'harness', 'report', 'vitest'],
};

describe('architecture', () => {
  for (const layer of ['codec', 'model']) {
    it(`${layer} is pure: only relative imports within the pure layers, no clocks, timers, randomness or Node globals`, () => {
      const found: string[] = [];
      for (const f of files(layer)) {
        const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        for (const spec of imports(f)) {
          if (!spec.startsWith('.')) found.push(`${path.relative(src, f)} imports ${spec}`);
        }
        for (const re of FORBIDDEN_IN_PURE) if (re.test(text)) found.push(`${path.relative(src, f)} uses ${re.source}`);
      }
      expect(found).toEqual([]);
    });
  }

  it('reaches the host in one place only: codec/platform.ts looks up native octet routines, imports nothing, and has a fallback', () => {
    const reaching: string[] = [];
    for (const layer of ['codec', 'model']) {
      for (const f of files(layer)) {
        const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        if (/\bglobalThis\b|\bgetBuiltinModule\b/.test(text)) reaching.push(path.relative(src, f));
      }
    }
    expect(reaching).toEqual([path.join('codec', 'platform.ts')]);
    const platform = path.join(src, 'codec', 'platform.ts');
    expect(imports(platform)).toEqual([]);
    // Every routine it exports is null when the host has none, and callers keep their own loops for that case.
    expect(readFileSync(platform, 'utf8').match(/^export const \w+: .+\| null =/gm)).toHaveLength(2);
  });

  it('imports point down the layers', () => {
    const found: string[] = [];
    for (const [layer, allowed] of Object.entries(ALLOWED)) {
      for (const f of files(layer)) {
        for (const spec of imports(f)) {
          if (!spec.startsWith('.')) continue;
          const target = layerOf(f, spec);
          if (!allowed.includes(target)) found.push(`${path.relative(src, f)} (${layer}) imports ${spec} (${target})`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
