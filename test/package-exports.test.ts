/**
 * The public entry points resolve through the package's `exports` map, as a
 * user who installed wscheck imports them (the built package; `npm test`
 * builds it first).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function node(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim();
}

describe('package exports', () => {
  it('wscheck/codec computes the RFC 6455 accept value', () => {
    expect(node(`import { computeAccept } from 'wscheck/codec'; console.log(computeAccept('dGhlIHNhbXBsZSBub25jZQ=='));`)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('wscheck/model computes an expectation', () => {
    const out = node(
      `import { computeExpectation } from 'wscheck/model';
       const e = computeExpectation({ steps: [{ kind: 'frame', opcode: 7, payload: new Uint8Array(0) }, { kind: 'kill-after', seconds: 1 }] }, 'server');
       console.log(JSON.stringify(e.expectedClose));`,
    );
    expect(JSON.parse(out)).toEqual({ closedByMe: false, closeCode: [1002], requireClean: false });
  });

  it('wscheck/arbitraries generates scenarios with fast-check', () => {
    const out = node(
      `import fc from 'fast-check';
       import { scenario } from 'wscheck/arbitraries';
       const [g] = fc.sample(scenario({ peerRole: 'server' }), { seed: 1, numRuns: 1 });
       console.log(g.peerRole, Array.isArray(g.scenario.steps));`,
    );
    expect(out).toBe('server true');
  });

  it('wscheck/harness and wscheck/report expose the runner, the catalogue and the serialiser', () => {
    const out = node(
      `import { selectCases, testServer } from 'wscheck/harness';
       import { serializeAutobahnJson } from 'wscheck/report';
       console.log(typeof testServer, selectCases(['4.1.*']).length, serializeAutobahnJson({ b: 1, a: [] }));`,
    );
    expect(out).toBe('function 5 {\n   "a": [],\n   "b": 1\n}');
  });
});
