/** `wscheck targets`: the implementations `builtin:NAME` starts, by role. */
import { clientTargets, serverTargets } from '../harness/targets/registry.js';
import type { TargetInfo } from '../harness/targets/target.js';

function section(title: string, targets: readonly TargetInfo[]): string {
  if (targets.length === 0) return '';
  const width = Math.max(...targets.map((t) => t.name.length)) + 'builtin:'.length + 2;
  return `${title}\n${targets.map((t) => `  ${`builtin:${t.name}`.padEnd(width)}${t.description}`).join('\n')}\n`;
}

export function targetsText(): string {
  const servers = serverTargets();
  const clients = clientTargets();
  return [
    section('servers (wscheck server builtin:NAME, wscheck explore builtin:NAME):', servers.filter((t) => !t.broken)),
    section('clients (wscheck client builtin:NAME, wscheck explore builtin:NAME --role client):', clients.filter((t) => !t.broken)),
    section('deliberately broken servers (each with one known bug, for trying wscheck out):', servers.filter((t) => t.broken === true)),
    section('deliberately broken clients:', clients.filter((t) => t.broken === true)),
  ]
    .filter((s) => s !== '')
    .join('\n');
}

export function runTargetsCommand(): number {
  process.stdout.write(targetsText());
  return 0;
}
