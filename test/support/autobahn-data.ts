/**
 * Access to the Autobahn facts kept beside the repository (../shared/autobahn),
 * for cross-check tests. They are facts to compare against, never the source
 * of wscheck's own data.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedAutobahn = path.resolve(repoRoot, '../shared/autobahn');

export function requireShared(file: string): string {
  const full = path.join(sharedAutobahn, file);
  if (!existsSync(full)) {
    throw new Error(`${full} is missing: the cross-check tests need the shared Autobahn facts folder beside the repository`);
  }
  return full;
}

export interface AutobahnPayload {
  len: number;
  hex?: string;
  generator?: 'repeat';
  unitHex?: string;
}

export interface AutobahnStep {
  action: string;
  opcode?: number;
  fin?: boolean;
  rsv?: number;
  payload?: AutobahnPayload;
  chopsize?: number | null;
  sync?: boolean;
  seconds?: number;
  code?: number | null;
  reason?: string | null;
  tag?: string;
}

export interface AutobahnCase {
  id: string;
  index: number;
  onOpen: AutobahnStep[];
  continuations: { tag: string; steps: AutobahnStep[] }[];
  expected: Record<string, ({ type: 'message'; payload: AutobahnPayload; binary: boolean } | { type: 'pong'; payload: AutobahnPayload } | { type: 'timeout'; tag: string })[]>;
  expectedClose: { closedByMe: boolean; closeCode: number[]; requireClean: boolean; closedByWrongEndpointIsFatal?: boolean };
  suppressClose: boolean;
  pmce?: {
    messageLen: number;
    messageCount: number;
    timeoutSeconds: number;
    autoFragmentSize: number;
    messageOpcode: number;
    fuzzerAsServerAccept: string;
    fuzzerAsClientOffers: { extensionString: string }[];
    testData: { octets: number };
  };
}

let cached: Map<string, AutobahnCase> | null = null;

export function autobahnCases(): Map<string, AutobahnCase> {
  if (cached === null) {
    const data = JSON.parse(readFileSync(requireShared('cases.json'), 'utf8')) as { cases: AutobahnCase[] };
    cached = new Map(data.cases.map((c) => [c.id, c]));
  }
  return cached;
}

export function materialize(p: AutobahnPayload): Uint8Array {
  if (p.generator === 'repeat') {
    const unit = Buffer.from(p.unitHex!, 'hex');
    const out = new Uint8Array(p.len);
    for (let i = 0; i < p.len; i++) out[i] = unit[i % unit.length]!;
    return out;
  }
  return new Uint8Array(Buffer.from(p.hex ?? '', 'hex'));
}
