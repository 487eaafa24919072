/**
 * Command-line parsing for the stable CLI contract (ARCHITECTURE.md). Bad
 * usage is a UsageError with one line that names the problem and the fix.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { LIMIT_USAGE, parseLimitOptions } from './limits-option.js';
import type { DeclaredLimits } from '../model/limits.js';
import { parseChopOption } from './chop-option.js';
import type { Segmentation } from '../model/segmentation.js';

export const USAGE = `wscheck — conformance testing for WebSocket implementations (RFC 6455)

usage:
  wscheck server <ws-url | builtin:NAME> [--cases GLOBS] [--exclude GLOBS] [--out DIR]
                 [--agent NAME] [--concurrency N] [--junit FILE] [--json] [--chop PATTERNS]
                 [--max-message N] [--max-frame N]
  wscheck server --spec fuzzingclient.json      (Autobahn's spec file, unchanged)
  wscheck client --spec fuzzingserver.json
  wscheck client [--exec CMD | builtin:NAME] [--host H] [--port P] [--cases GLOBS]
                 [--exclude GLOBS] [--out DIR] [--agent NAME] [--concurrency N] [--chop PATTERNS]
                 [--max-message N] [--max-frame N]
  wscheck report <DIR> [--open]
  wscheck explore <ws-url | builtin:NAME> [--role server|client] [--runs N]
                 [--time-limit SEC] [--seed S] [--out DIR] [--concurrency N] [--planners N]
                 [--max-message N] [--max-frame N] [--handshake] [--deflate]
  wscheck explore --role client --exec "CMD {url}"   (a client that connects once to {url})
  wscheck replay <counterexample.json> [<ws-url | builtin:NAME>]
  wscheck targets                               (the builtin:NAME implementations)
  wscheck fuzz [TARGET] [--time SEC | --runs N] [-- LIBFUZZER FLAGS]
                                                (Jazzer.js; wscheck fuzz lists targets)

  server   test a WebSocket server: wscheck connects to it as a client
  client   test a WebSocket client: wscheck listens and serves the Autobahn
           fuzzingserver API; --exec "CMD {url} {agent}" starts your client
           (builtin:NAME runs a bundled implementation in a worker thread,
           e.g. builtin:ws, the npm ws library)

  --cases GLOBS    comma-separated case ids or Autobahn wildcards (4.1.5, 4.*, *);
                   Autobahn's categories are 1-13, wscheck's own 14-18; in an
                   Autobahn spec file, * means Autobahn's 517 cases only
  --exclude GLOBS  cases to leave out, same syntax
  --out DIR        report folder (default reports/; servers/ and clients/ inside),
                   with index.json, a JSON per case, index.html and a page per case
  --junit FILE     also write JUnit XML for CI
${LIMIT_USAGE}
  --chop PATTERNS  also replay every case with the tester's writes cut differently,
                   each pattern reported as agent "NAME (chop PATTERN)": 1 (every
                   octet its own write), header, mask, coalesce, random:SEED, all
  report           (re)write the HTML pages of a report folder, from its JSON
                   (wscheck's or the Autobahn testsuite's); --open opens index.html
  explore          generate scenarios (frame sequences, fragmentations, TCP cuts,
                   corruptions), judge each with the model, shrink the first
                   failure and save it (default folder corpus/counterexamples)
  --handshake      explore: vary the opening handshake too (the request a server
                   gets, the 101 a client gets: fields edited, the head in pieces,
                   frames in the head's write)
  --deflate        explore: negotiate permessage-deflate and send compressed messages
                   (stored and fixed-Huffman blocks cut anywhere); the peer must agree
  replay           run a saved counterexample again (exit 1 while it still fails)

exit status: 0 no case failed, 1 some case failed or a counterexample was found,
             2 bad usage or unreachable target`;

export interface CommonOptions {
  /** An Autobahn spec file (fuzzingclient.json for servers, fuzzingserver.json for clients). */
  readonly spec: string | null;
  /** --out was given (it then overrides a spec's outdir). */
  readonly outSet: boolean;
  readonly junit: string | null;
  readonly cases: string[];
  readonly exclude: string[];
  readonly out: string;
  readonly agent: string | null;
  readonly json: boolean;
  readonly colour: boolean;
  /** Chopped replays to run after the plain one (--chop); empty: the plain run only. */
  readonly chop: readonly Segmentation[];
  /** The limits the target declared (--max-message, --max-frame), if any. */
  readonly limits?: DeclaredLimits;
}

export interface ServerCommand extends CommonOptions {
  readonly command: 'server';
  /** null with --spec, which names the servers. */
  readonly target: string | null;
  readonly concurrency: number;
}

export interface ClientCommand extends CommonOptions {
  readonly command: 'client';
  /** Cases the built-in client runs at once (an external client decides for itself). */
  readonly concurrency: number;
  readonly exec: string | null;
  readonly host: string;
  readonly port: number | null;
}

export interface ReportCommand {
  readonly command: 'report';
  readonly dir: string;
  readonly open: boolean;
}

export interface ExploreCommand {
  readonly command: 'explore';
  readonly target: string;
  readonly role: 'server' | 'client';
  readonly runs: number;
  readonly timeLimit: number | null;
  readonly seed: number | null;
  readonly out: string;
  /** Scenarios run at once, each on its own connection (the outcome does not depend on it). */
  readonly concurrency: number;
  /** Threads that generate scenarios and compute their expectations (the scenarios do not depend on it). */
  readonly planners: number;
  /** The limits the target declared (--max-message, --max-frame): scenarios then also cross them. */
  readonly limits?: DeclaredLimits;
  /** Testing a client: the command that starts it for one connection to {url}. */
  readonly exec: string | null;
  /** Vary the opening handshake in a third of the scenarios (--handshake). */
  readonly handshake: boolean;
  /** Negotiate permessage-deflate in every scenario (--deflate). */
  readonly deflate: boolean;
}

/** Scenarios `wscheck explore` runs at once unless told otherwise. */
export const DEFAULT_EXPLORE_CONCURRENCY = 8;

export interface ReplayCommand {
  readonly command: 'replay';
  readonly file: string;
  readonly target: string | null;
}

export type Command = ServerCommand | ClientCommand | ReportCommand | ExploreCommand | ReplayCommand | { readonly command: 'help' } | { readonly command: 'targets' } | { readonly command: 'fuzz'; readonly argv: readonly string[] };

/** node:util parseArgs errors, in one line: which option, and where to look. */
function optionError(e: unknown): UsageError {
  const err = e as Error & { code?: string };
  const option = /'(-[^']*)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) return new UsageError(`unknown option ${option}; see wscheck --help`);
  return new UsageError(`${err.message.split(/\.\s|\n/)[0]}; see wscheck --help`);
}

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`empty case list "${value}"; give ids like 4.1.5 or wildcards like 4.*`);
  return items;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

function parseExplore(rest: readonly string[]): ExploreCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        runs: { type: 'string' },
        'time-limit': { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        concurrency: { type: 'string' },
        planners: { type: 'string' },
        'max-message': { type: 'string' },
        'max-frame': { type: 'string' },
        exec: { type: 'string' },
        handshake: { type: 'boolean' },
        deflate: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw optionError(e);
  }
  const v = parsed.values;
  const role = v.role ?? (v.exec !== undefined ? 'client' : 'server');
  if (role !== 'server' && role !== 'client') throw new UsageError(`--role must be server or client, got "${role}"`);
  if (v.exec !== undefined) {
    if (role !== 'client') throw new UsageError('--exec starts a client under test; use it with --role client');
    if (!v.exec.includes('{url}')) throw new UsageError(`--exec "${v.exec}" has no {url}; the command must connect to {url}`);
    if (parsed.positionals.length > 0) throw new UsageError('wscheck explore takes either a target or --exec, not both');
  } else if (parsed.positionals.length !== 1) {
    throw new UsageError('wscheck explore needs one target: a ws:// URL or builtin:NAME (or --role client --exec "CMD {url}")');
  }
  if (v.handshake === true && v.deflate === true) {
    throw new UsageError('--handshake and --deflate explore apart (with --deflate the handshake is the negotiation); run them one after the other');
  }
  return {
    command: 'explore',
    target: parsed.positionals[0] ?? `exec:${v.exec!}`,
    concurrency: integer('concurrency', v.concurrency, 1, 256) ?? DEFAULT_EXPLORE_CONCURRENCY,
    planners: integer('planners', v.planners, 1, 64) ?? 1,
    ...limitsOf(v['max-message'], v['max-frame']),
    exec: v.exec ?? null,
    role,
    runs: integer('runs', v.runs, 1, 10_000_000) ?? 500,
    timeLimit: integer('time-limit', v['time-limit'], 1, 31_536_000),
    seed: integer('seed', v.seed, 0, 0xffffffff),
    out: v.out ?? path.join('corpus', 'counterexamples'),
    handshake: v.handshake ?? false,
    deflate: v.deflate ?? false,
  };
}

function parseReplay(rest: readonly string[]): ReplayCommand {
  if (rest.length < 1 || rest.length > 2 || rest.some((a) => a.startsWith('--'))) {
    throw new UsageError('wscheck replay takes a counterexample file and, optionally, the target to run it against');
  }
  return { command: 'replay', file: rest[0]!, target: rest[1] ?? null };
}

function parseReport(rest: readonly string[]): ReportCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], allowPositionals: true, options: { open: { type: 'boolean' } } });
  } catch (e) {
    throw optionError(e);
  }
  if (parsed.positionals.length !== 1) throw new UsageError('wscheck report needs one folder: the --out folder of a run, or its servers/ or clients/');
  return { command: 'report', dir: parsed.positionals[0]!, open: parsed.values.open ?? false };
}

function limitsOf(maxMessage: string | undefined, maxFrame: string | undefined): { limits?: DeclaredLimits } {
  const limits = parseLimitOptions(maxMessage, maxFrame);
  return limits === undefined ? {} : { limits };
}

export function parseCommand(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'report') return parseReport(rest);
  // Everything after "fuzz" belongs to the fuzzer's own command line (npx tsx fuzz --help).
  if (command === 'fuzz') return { command: 'fuzz', argv: rest };
  if (command === 'targets') {
    if (rest.length > 0) throw new UsageError('wscheck targets takes no arguments');
    return { command: 'targets' };
  }
  if (command === 'explore') return parseExplore(rest);
  if (command === 'replay') return parseReplay(rest);
  if (command !== 'server' && command !== 'client') {
    throw new UsageError(`unknown command "${command}"; use "wscheck server <url>", "wscheck client" or "wscheck report <dir>" (wscheck --help lists all)`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        cases: { type: 'string' },
        exclude: { type: 'string' },
        out: { type: 'string' },
        agent: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean' },
        exec: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        junit: { type: 'string' },
        spec: { type: 'string' },
        chop: { type: 'string' },
        'max-message': { type: 'string' },
        'max-frame': { type: 'string' },
        'no-colour': { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
  } catch (e) {
    throw optionError(e);
  }
  const v = parsed.values;
  if (v.spec !== undefined && (v.cases !== undefined || v.exclude !== undefined)) {
    throw new UsageError('--cases and --exclude come from the spec file when --spec is given; edit its "cases" and "exclude-cases"');
  }
  const common: CommonOptions = {
    spec: v.spec ?? null,
    outSet: v.out !== undefined,
    junit: v.junit ?? null,
    cases: list(v.cases, ['*']),
    exclude: v.exclude === undefined ? [] : list(v.exclude, []),
    out: v.out ?? 'reports',
    agent: v.agent ?? null,
    json: v.json ?? false,
    colour: !(v['no-colour'] ?? v['no-color'] ?? false) && process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    chop: parseChopOption(v.chop),
    ...limitsOf(v['max-message'], v['max-frame']),
  };
  if (command === 'server') {
    if (common.spec !== null && parsed.positionals.length > 0) {
      throw new UsageError('give either a target or --spec (whose "servers" list the targets), not both');
    }
    if (common.spec === null && parsed.positionals.length !== 1) {
      throw new UsageError('wscheck server needs exactly one target: a ws://host:port/path URL or builtin:NAME (or --spec fuzzingclient.json)');
    }
    if (v.exec !== undefined || v.host !== undefined || v.port !== undefined) {
      throw new UsageError('--exec, --host and --port belong to "wscheck client"; "wscheck server" takes a URL');
    }
    return { command, target: parsed.positionals[0] ?? null, concurrency: integer('concurrency', v.concurrency, 1, 256) ?? 8, ...common };
  }
  if (parsed.positionals.length > 1) throw new UsageError('wscheck client takes at most one target (builtin:NAME); use --exec "CMD {url} {agent}" for your own client');
  const positional = parsed.positionals[0];
  if (positional !== undefined && v.exec !== undefined) throw new UsageError('give either builtin:NAME or --exec, not both');
  const exec = v.exec ?? positional ?? null;
  if (v.concurrency !== undefined && !(exec?.startsWith('builtin:') ?? false)) {
    throw new UsageError('--concurrency applies to "wscheck server" and to built-in clients; your own client decides how many cases it runs at once');
  }
  return {
    command,
    exec,
    host: v.host ?? '127.0.0.1',
    port: integer('port', v.port, 0, 65535),
    concurrency: integer('concurrency', v.concurrency, 1, 256) ?? 8,
    ...common,
  };
}
