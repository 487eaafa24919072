/**
 * The Autobahn testsuite's spec files, read so that an existing setup runs
 * unchanged: `fuzzingclient.json` (testing servers) and `fuzzingserver.json`
 * (testing clients), as described in ../shared/autobahn/formats.md §6.
 * Errors are one line naming the file, the key and what to do.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface SpecServer {
  readonly url: string;
  readonly agent: string | null;
}

export interface FuzzingClientSpec {
  readonly servers: readonly SpecServer[];
  readonly cases: readonly string[];
  readonly excludeCases: readonly string[];
  readonly excludeAgentCases: ReadonlyMap<string, readonly string[]>;
  readonly outdir: string;
  /** Keys wscheck reads but does not act on (engine options), for a warning. */
  readonly ignored: readonly string[];
}

export interface FuzzingServerSpec {
  readonly url: string;
  readonly cases: readonly string[];
  readonly excludeCases: readonly string[];
  readonly excludeAgentCases: ReadonlyMap<string, readonly string[]>;
  readonly outdir: string;
  readonly ignored: readonly string[];
}

type Json = Record<string, unknown>;

function load(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read spec ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`spec ${file} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`spec ${file} must be a JSON object`);
  return value as Json;
}

function stringList(file: string, spec: Json, key: string, required: boolean): string[] {
  const v = spec[key];
  if (v === undefined) {
    if (required) throw new UsageError(`spec ${file} has no "${key}"; give a list of case ids or patterns such as ["*"]`);
    return [];
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UsageError(`spec ${file}: "${key}" must be a list of strings such as ["1.*", "2.1"]`);
  return v;
}

function agentCases(file: string, spec: Json): Map<string, string[]> {
  const v = spec['exclude-agent-cases'];
  const out = new Map<string, string[]>();
  if (v === undefined) return out;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new UsageError(`spec ${file}: "exclude-agent-cases" must map agent patterns to lists of case patterns`);
  }
  for (const [agent, cases] of Object.entries(v)) {
    if (!Array.isArray(cases) || !cases.every((x) => typeof x === 'string')) {
      throw new UsageError(`spec ${file}: "exclude-agent-cases" → "${agent}" must be a list of case patterns`);
    }
    out.set(agent, cases);
  }
  return out;
}

function ignoredKeys(spec: Json, known: readonly string[]): string[] {
  return Object.keys(spec).filter((k) => !known.includes(k) || (k === 'options' && spec[k] !== undefined && Object.keys(spec[k] as object).length > 0));
}

export function readFuzzingClientSpec(file: string): FuzzingClientSpec {
  const spec = load(file);
  const servers = spec['servers'];
  if (!Array.isArray(servers) || servers.length === 0) throw new UsageError(`spec ${file} has no "servers"; give [{"agent": "name", "url": "ws://127.0.0.1:9001"}]`);
  const list = servers.map((s: unknown, k): SpecServer => {
    if (typeof s !== 'object' || s === null || typeof (s as Json)['url'] !== 'string') {
      throw new UsageError(`spec ${file}: servers[${k}] needs a "url" such as "ws://127.0.0.1:9001"`);
    }
    const agent = (s as Json)['agent'];
    if (agent !== undefined && typeof agent !== 'string') throw new UsageError(`spec ${file}: servers[${k}].agent must be a string`);
    return { url: (s as Json)['url'] as string, agent: (agent as string | undefined) ?? null };
  });
  const outdir = spec['outdir'];
  if (outdir !== undefined && typeof outdir !== 'string') throw new UsageError(`spec ${file}: "outdir" must be a folder path`);
  return {
    servers: list,
    cases: stringList(file, spec, 'cases', true),
    excludeCases: stringList(file, spec, 'exclude-cases', false),
    excludeAgentCases: agentCases(file, spec),
    outdir: (outdir as string | undefined) ?? './reports/servers',
    ignored: ignoredKeys(spec, ['servers', 'cases', 'exclude-cases', 'exclude-agent-cases', 'outdir', 'options']),
  };
}

export function readFuzzingServerSpec(file: string): FuzzingServerSpec {
  const spec = load(file);
  const url = spec['url'];
  if (typeof url !== 'string') throw new UsageError(`spec ${file} has no "url"; give the address to listen on, e.g. "ws://127.0.0.1:9001"`);
  const outdir = spec['outdir'];
  if (outdir !== undefined && typeof outdir !== 'string') throw new UsageError(`spec ${file}: "outdir" must be a folder path`);
  return {
    url,
    cases: stringList(file, spec, 'cases', true),
    excludeCases: stringList(file, spec, 'exclude-cases', false),
    excludeAgentCases: agentCases(file, spec),
    outdir: (outdir as string | undefined) ?? './reports/clients',
    ignored: ignoredKeys(spec, ['url', 'cases', 'exclude-cases', 'exclude-agent-cases', 'outdir', 'options', 'webport']),
  };
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[\\^$.|?+()[\]{}]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/**
 * The cases `exclude-agent-cases` takes away from `agent`. Unlike `cases`,
 * both the agent and the case patterns are anchored at both ends there
 * (formats.md §6.3).
 */
export function excludedFor(map: ReadonlyMap<string, readonly string[]>, agent: string): (caseId: string) => boolean {
  const patterns: RegExp[] = [];
  for (const [agentPattern, cases] of map) if (anchored(agentPattern).test(agent)) patterns.push(...cases.map(anchored));
  return (caseId) => patterns.some((p) => p.test(caseId));
}
