/**
 * Varied opening handshakes in generated scenarios: edits only of the fields
 * asked for, every variation one the oracle can judge, the first items
 * pipelined in the head's write, refusals allowed exactly where the
 * catalogue allows them, and the usual handshake unless asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OpeningField, openingChoice, openingFields, scenario } from '../../src/arbitraries/index.js';
import { explorationScenario } from '../../src/harness/explore/exploration-case.js';
import type { HeadEdit } from '../../src/model/handshake-variation.js';
import { describeScenario } from '../../src/model/describe.js';
import { computeExpectation } from '../../src/model/oracle.js';
import type { Role } from '../../src/model/types.js';

const SEED = 0x6455;
const ROLES: readonly Role[] = ['server', 'client'];

const editsOf = (s: ReturnType<typeof sample>[number]): readonly HeadEdit[] => (s.scenario.opening?.request ?? s.scenario.opening?.response)?.edits ?? [];
const sample = (role: Role, extra: Partial<Parameters<typeof scenario>[0]> = {}, numRuns = 200) => fc.sample(scenario({ peerRole: role, opening: 'always', ...extra }), { seed: SEED, numRuns });

describe('opening variations', () => {
  it('keep the usual handshake unless asked', () => {
    for (const role of ROLES) for (const g of fc.sample(scenario({ peerRole: role }), { seed: SEED, numRuns: 100 })) expect(g.scenario.opening).toBeUndefined();
  });

  it('vary the request for a server and the 101 for a client', () => {
    const server = sample('server').filter((g) => g.scenario.opening !== undefined);
    const client = sample('client').filter((g) => g.scenario.opening !== undefined);
    expect(server.length).toBeGreaterThan(100);
    expect(client.length).toBeGreaterThan(100);
    for (const g of server) expect(g.scenario.opening!.response).toBeUndefined();
    for (const g of client) expect(g.scenario.opening!.request).toBeUndefined();
  });

  it.each([
    ['server', 'version', /^Sec-WebSocket-Version$/i],
    ['server', 'key', /^Sec-WebSocket-Key$/i],
    ['server', 'host', /^Host$/i],
    ['client', 'accept', /^Sec-WebSocket-Accept$/i],
    ['client', 'unsolicited', /^Sec-WebSocket-(Protocol|Extensions)$/i],
  ] as const)('a %s asked for %s edits gets only those', (role, field, name) => {
    const edits = sample(role, { openingFields: [field] }).flatMap(editsOf);
    expect(edits.length).toBeGreaterThan(50);
    for (const e of edits) {
      expect(e.kind === 'set' || e.kind === 'add' || e.kind === 'remove').toBe(true);
      if (e.kind === 'set' || e.kind === 'add' || e.kind === 'remove') expect(e.name).toMatch(name);
    }
  });

  it('every field of a role is drawn', () => {
    for (const role of ROLES) {
      const seen = new Set<OpeningField>();
      for (const field of openingFields(role)) {
        const drawn = fc.sample(openingChoice({ peerRole: role, fields: [field] }), { seed: SEED, numRuns: 60 });
        if (drawn.some((c) => c.edits.length > 0)) seen.add(field);
      }
      expect([...seen].sort()).toEqual([...openingFields(role)].sort());
    }
  });

  it('the oracle judges every one, in both roles', () => {
    for (const role of ROLES) {
      for (const g of sample(role, {}, 150)) {
        const e = computeExpectation(explorationScenario(g.scenario), role);
        if (g.scenario.opening !== undefined) expect(e.opening?.acceptable.length ?? 0, g.label.summary).toBeGreaterThan(0);
      }
    }
  });

  it('the first items go out in the head\'s write, and the table shows them there', () => {
    const pipelined = sample('server').filter((g) => (g.scenario.opening?.request?.frames ?? []).length > 0);
    expect(pipelined.length).toBeGreaterThan(20);
    for (const g of pipelined) {
      const rows = describeScenario(g.scenario);
      const at = rows.indexOf('in the same TCP write as the request:');
      expect(at, rows.join('\n')).toBeGreaterThanOrEqual(0);
      expect(rows[at + 1]).toMatch(/^ {2}#1 /);
      expect(g.label.summary).toMatch(/in the head's write/);
    }
  });

  it('allow a refusal exactly for extension offers and Upgrade lists, as the catalogue does', () => {
    for (const g of sample('server', {}, 400)) {
      const refusable = editsOf(g).some((e) => (e.kind === 'set' || e.kind === 'add') && (/^Sec-WebSocket-Extensions$/i.test(e.name) || (/^Upgrade$/i.test(e.name) && typeof e.value === 'string' && e.value.includes(','))));
      expect(g.scenario.rules?.refusalAllowed === true, g.label.summary).toBe(refusable);
    }
  });

  it('time hostile heads against a benign one of the same size', () => {
    const timed = sample('server', { openingFields: ['hostile-head'] }, 300).filter((g) => g.scenario.opening?.request?.timing !== undefined);
    expect(timed.length).toBeGreaterThan(0);
    for (const g of timed) expect(g.scenario.opening!.request!.timing).toMatchObject({ baseline: 'same-size' });
  });
});
