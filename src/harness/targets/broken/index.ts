/**
 * The deliberately broken echo servers and clients as `builtin:broken/<name>`
 * targets (see bugs.ts for the list and docs/broken-targets.md for what
 * wscheck finds in each).
 */
import type { ClientTargetFactory, ServerTargetFactory } from '../target.js';
import { type BrokenBug, clientBugs, describeBug, serverBugs } from './bugs.js';
import { brokenClient } from './client.js';
import { startBrokenServer } from './server.js';

export { type BrokenBug, type BugClass, type Demonstration, clientBugs, describeBug, serverBugs } from './bugs.js';
export { startBrokenServer } from './server.js';
export { brokenClient } from './client.js';
export type { Variation } from './connection.js';

/** The prefix of every broken target's name. */
export const BROKEN_PREFIX = 'broken/';

export function brokenServerTarget(b: BrokenBug): ServerTargetFactory {
  return { name: BROKEN_PREFIX + b.name, description: describeBug(b), broken: true, limits: { message: true, frame: true }, start: (options) => startBrokenServer(b.name, options) };
}

export function brokenClientTarget(b: BrokenBug): ClientTargetFactory {
  return { name: BROKEN_PREFIX + b.name, description: describeBug(b), broken: true, limits: { message: true, frame: true }, start: async (options) => brokenClient(b.name, options) };
}

export const brokenServerTargets: readonly ServerTargetFactory[] = serverBugs.map(brokenServerTarget);
export const brokenClientTargets: readonly ClientTargetFactory[] = clientBugs.map(brokenClientTarget);
