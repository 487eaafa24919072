/**
 * The `builtin:NAME` targets, by role. Adapters for further libraries and the
 * deliberately broken implementations register here.
 */
import type { ClientTargetFactory, ServerTargetFactory } from './target.js';
import { wsClientTarget, wsServerTarget } from './ws.js';

const servers = new Map<string, ServerTargetFactory>();
const clients = new Map<string, ClientTargetFactory>();

export function registerServerTarget(t: ServerTargetFactory): void {
  servers.set(t.name, t);
}

export function registerClientTarget(t: ClientTargetFactory): void {
  clients.set(t.name, t);
}

registerServerTarget(wsServerTarget);
registerClientTarget(wsClientTarget);

/** The factory for `builtin:NAME` as a server, or undefined. */
export function serverTarget(name: string): ServerTargetFactory | undefined {
  return servers.get(name);
}

export function clientTarget(name: string): ClientTargetFactory | undefined {
  return clients.get(name);
}

export function serverTargets(): ServerTargetFactory[] {
  return [...servers.values()];
}

export function clientTargets(): ClientTargetFactory[] {
  return [...clients.values()];
}
