/**
 * An implementation under test that exploration can run scenario after
 * scenario against: a server URL, a built-in server, or a built-in client
 * (wscheck listens and the client connects once per scenario).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { CaseDefinition } from '../../cases/types.js';
import type { DeclaredLimits } from '../../model/limits.js';
import type { Role } from '../../model/types.js';
import { parseTargetUrl, TargetUrlError } from '../client-handshake.js';
import { startIsolatedClient, startIsolatedServer } from '../isolation/isolated-target.js';
import type { CaseResult } from '../result.js';
import { ScenarioListener } from '../scenario-listener.js';
import { runServerCase } from '../server-target.js';
import { clientTarget, clientTargets, serverTarget, serverTargets } from '../targets/registry.js';
import type { ClientUnderTest } from '../targets/target.js';

export interface LiveTarget {
  /** As named by the user (`builtin:ws`, a URL). */
  readonly name: string;
  /** Role of the implementation under test. */
  readonly peerRole: Role;
  readonly agent: string;
  /** The command that starts a client under test for each connection (`{url}` replaced), if it is one. */
  readonly exec?: string;
  /** Run one case against it (a fresh connection) and judge it. */
  run(caseDef: CaseDefinition, replay: string): Promise<CaseResult>;
  close(): Promise<void>;
}

function unknownBuiltin(name: string, role: Role): TargetUrlError {
  const known = (role === 'server' ? serverTargets() : clientTargets()).map((t) => `builtin:${t.name}`);
  return new TargetUrlError(`no built-in ${role} "${name}"; available: ${known.join(', ')}`);
}

/** A server reachable at `url`; `stop` shuts it down when exploration ends. */
export function serverLiveTarget(name: string, url: string, stop: () => Promise<void>): LiveTarget {
  const target = parseTargetUrl(url);
  return {
    name,
    peerRole: 'server',
    agent: name,
    run: (caseDef, replay) => runServerCase(caseDef, { target, agent: name, cases: [], concurrency: 1, replayCommand: () => replay }),
    close: stop,
  };
}

/** A client that connects on request: wscheck listens and runs each scenario on its next connection. */
export async function clientLiveTarget(name: string, client: ClientUnderTest, exec?: string): Promise<LiveTarget> {
  const listener = new ScenarioListener();
  await listener.listen();
  return {
    name,
    peerRole: 'client',
    agent: name,
    ...(exec !== undefined ? { exec } : {}),
    run: (caseDef, replay) => {
      const pending = listener.expect(caseDef, name, replay);
      // A client that ends without its connection reaching the listener leaves nothing to run.
      void client.connect(pending.url).then(() => pending.cancel(`${name} ended without connecting to ${pending.url}`));
      return pending.result;
    },
    close: async () => {
      await listener.close();
      await client.close();
    },
  };
}

/**
 * A client under test started by a shell command for every connection, with
 * `{url}` replaced by the URL to connect to (quoted for the shell); a
 * connection ends when the command exits.
 */
export function execClient(command: string): ClientUnderTest {
  const children = new Set<ChildProcess>();
  return {
    connect: (url) =>
      new Promise<void>((resolve) => {
        const child = spawn(command.replaceAll('{url}', `'${url.replaceAll("'", `'\\''`)}'`), { shell: true, stdio: ['ignore', 'ignore', 'inherit'] });
        children.add(child);
        const done = (): void => {
          children.delete(child);
          resolve();
        };
        child.once('exit', done);
        child.once('error', done);
      }),
    close: async () => {
      for (const c of children) c.kill();
    },
  };
}

export interface StartOptions {
  /** Run a `builtin:` target in a worker thread of its own (see harness/isolation), as the CLI does. */
  readonly isolate?: boolean;
  /** Testing a client: the command that starts it, with `{url}` (instead of `builtin:NAME`). */
  readonly exec?: string;
  /** The limits declared for the target; a `builtin:` one is configured with them. */
  readonly limits?: DeclaredLimits;
}

/** Start (or reach) the implementation named `name` in `role`. */
export async function startLiveTarget(name: string, role: Role, options: StartOptions = {}): Promise<LiveTarget> {
  const builtin = name.startsWith('builtin:') ? name.slice('builtin:'.length) : null;
  const targetOptions = options.limits !== undefined ? { limits: options.limits } : {};
  if (role === 'server') {
    let url: string;
    let stop = async (): Promise<void> => {};
    if (builtin !== null) {
      const factory = serverTarget(builtin);
      if (factory === undefined) throw unknownBuiltin(name, role);
      const running = options.isolate === true ? await startIsolatedServer(builtin, targetOptions) : await factory.start(targetOptions);
      url = running.url;
      stop = () => running.close();
    } else {
      url = name;
    }
    return serverLiveTarget(name, url, stop);
  }
  if (options.exec !== undefined) return clientLiveTarget(name, execClient(options.exec), options.exec);
  if (builtin === null) {
    throw new TargetUrlError(`to explore a client, name a built-in one (builtin:NAME) or give --exec "CMD {url}"; available: ${clientTargets().map((t) => `builtin:${t.name}`).join(', ')}`);
  }
  const factory = clientTarget(builtin);
  if (factory === undefined) throw unknownBuiltin(name, role);
  return clientLiveTarget(name, options.isolate === true ? await startIsolatedClient(builtin, targetOptions) : await factory.start(targetOptions));
}
