/**
 * An implementation under test that exploration can run scenario after
 * scenario against: a server URL, a built-in server, or a built-in client
 * (wscheck listens and the client connects once per scenario).
 */
import type { CaseDefinition } from '../../cases/types.js';
import type { Role } from '../../model/types.js';
import { parseTargetUrl, TargetUrlError } from '../client-handshake.js';
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
export async function clientLiveTarget(name: string, client: ClientUnderTest): Promise<LiveTarget> {
  const listener = new ScenarioListener();
  await listener.listen();
  return {
    name,
    peerRole: 'client',
    agent: name,
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

/** Start (or reach) the implementation named `name` in `role`. */
export async function startLiveTarget(name: string, role: Role): Promise<LiveTarget> {
  const builtin = name.startsWith('builtin:') ? name.slice('builtin:'.length) : null;
  if (role === 'server') {
    let url: string;
    let stop = async (): Promise<void> => {};
    if (builtin !== null) {
      const factory = serverTarget(builtin);
      if (factory === undefined) throw unknownBuiltin(name, role);
      const running = await factory.start();
      url = running.url;
      stop = () => running.close();
    } else {
      url = name;
    }
    return serverLiveTarget(name, url, stop);
  }
  if (builtin === null) {
    throw new TargetUrlError(`to explore a client, name a built-in one (builtin:NAME); available: ${clientTargets().map((t) => `builtin:${t.name}`).join(', ')}`);
  }
  const factory = clientTarget(builtin);
  if (factory === undefined) throw unknownBuiltin(name, role);
  return clientLiveTarget(name, await factory.start());
}
