/**
 * The `builtin:NAME` targets, by role: `ws` (a dependency), the adapters for
 * faye-websocket, WebSocket-Node and undici (devDependencies, loaded when a
 * target starts), and the deliberately broken implementations
 * (`broken/<bug>`, see broken/bugs.ts).
 */
import { brokenClientTargets, brokenServerTargets } from './broken/index.js';
import { fayeClientTarget, fayeServerTarget } from './faye.js';
import type { ClientTargetFactory, ServerTargetFactory } from './target.js';
import { undiciClientTarget } from './undici.js';
import { webSocketNodeClientTarget, webSocketNodeServerTarget } from './websocket-node.js';
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
registerServerTarget(fayeServerTarget);
registerClientTarget(fayeClientTarget);
registerServerTarget(webSocketNodeServerTarget);
registerClientTarget(webSocketNodeClientTarget);
registerClientTarget(undiciClientTarget);
for (const t of brokenServerTargets) registerServerTarget(t);
for (const t of brokenClientTargets) registerClientTarget(t);

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
