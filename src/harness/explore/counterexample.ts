/**
 * Counterexample files: a shrunk failing scenario with everything needed to
 * replay it (target, role, fast-check seed and path) and to read it (the
 * verdict, the first divergence, a frame table). Plain JSON: octets as hex,
 * 64-bit lengths as decimal strings.
 */
import type { Scenario } from '../../model/scenario.js';
import type { Role } from '../../model/types.js';

export const COUNTEREXAMPLE_FORMAT = 'wscheck-counterexample';

export interface CounterexampleFile {
  readonly format: typeof COUNTEREXAMPLE_FORMAT;
  readonly version: 1;
  /** What was tested, as given on the command line (`builtin:NAME` or a URL). */
  readonly target: string;
  /** Role of the implementation under test. */
  readonly role: Role;
  readonly seed: number;
  /** fast-check's path to this counterexample (replays the shrunk case with the seed). */
  readonly path: string;
  readonly label: string;
  readonly behavior: string;
  readonly behaviorClose: string;
  readonly firstDivergence: string | null;
  /** The frames the tester sends, as a table for people. */
  readonly frames: readonly string[];
  readonly replay: string;
  /** Runs of the shrunk scenario after shrinking, and how many of them failed. */
  readonly reruns?: { readonly runs: number; readonly failed: number };
  /** Present when not every re-run failed: "failed k of n re-runs". */
  readonly flaky?: string;
  /** A client under test started by a command (`{url}` replaced), instead of `target`. */
  readonly exec?: string;
  readonly scenario: unknown;
}

/** JSON-safe form of a scenario. */
export function encodeScenario(s: Scenario): unknown {
  return JSON.parse(
    JSON.stringify(s, (_key, value: unknown) => {
      if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
      if (typeof value === 'bigint') return { $bigint: value.toString() };
      return value;
    }),
  );
}

export function decodeScenario(json: unknown): Scenario {
  return JSON.parse(JSON.stringify(json), (_key, value: unknown) => {
    if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o['$bytes'] === 'string') return new Uint8Array(Buffer.from(o['$bytes'], 'hex'));
      if (typeof o['$bigint'] === 'string') return BigInt(o['$bigint']);
    }
    return value;
  }) as Scenario;
}

export class CounterexampleError extends Error {
  override readonly name = 'CounterexampleError';
}

/** Read and check a counterexample file's text. */
export function parseCounterexample(text: string, source: string): CounterexampleFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleError(`${source} is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const o = v as Partial<CounterexampleFile>;
  if (o === null || typeof o !== 'object' || o.format !== COUNTEREXAMPLE_FORMAT) {
    throw new CounterexampleError(`${source} is not a wscheck counterexample (no "format": "${COUNTEREXAMPLE_FORMAT}")`);
  }
  if (o.version !== 1) throw new CounterexampleError(`${source} has version ${String(o.version)}; this wscheck reads version 1`);
  if (o.role !== 'server' && o.role !== 'client') throw new CounterexampleError(`${source}: "role" must be server or client`);
  if (typeof o.target !== 'string' || o.scenario === undefined) throw new CounterexampleError(`${source} lacks "target" or "scenario"`);
  return o as CounterexampleFile;
}
