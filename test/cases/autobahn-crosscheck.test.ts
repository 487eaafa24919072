/**
 * The catalogue's scenarios and the model's computed expectations, compared
 * case by case with the Autobahn testsuite's recorded facts.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, caseIndex } from '../../src/cases/index.js';
import type { RecordedEvent } from '../../src/model/events.js';
import { computeExpectation } from '../../src/model/oracle.js';
import type { Step } from '../../src/model/scenario.js';
import { type AutobahnStep, autobahnCases, materialize } from '../support/autobahn-data.js';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function ourStep(s: Step): unknown {
  switch (s.kind) {
    case 'frame':
      return { action: 'sendFrame', opcode: s.opcode, fin: s.fin ?? true, rsv: s.rsv ?? 0, payload: hex(s.payload), chopsize: s.chop ?? null, sync: s.sync ?? false };
    case 'kill-after':
      return { action: 'killAfter', seconds: s.seconds };
    case 'close-after':
      return { action: 'closeAfter', seconds: s.seconds };
    case 'close':
      return { action: 'sendClose', code: s.code };
    default:
      return { action: s.kind };
  }
}

function theirStep(s: AutobahnStep): unknown {
  switch (s.action) {
    case 'sendFrame':
      return { action: 'sendFrame', opcode: s.opcode, fin: s.fin, rsv: s.rsv, payload: hex(materialize(s.payload!)), chopsize: s.chopsize, sync: s.sync };
    case 'killAfter':
    case 'closeAfter':
      return { action: s.action, seconds: s.seconds };
    case 'sendClose':
      return { action: 'sendClose', code: s.code };
    default:
      return { action: s.action };
  }
}

function ourEvents(events: readonly RecordedEvent[]): unknown[] {
  return events.map((e) => (e.type === 'timeout' ? ['timeout', e.tag] : e.type === 'pong' ? ['pong', hex(e.payload)] : ['message', hex(e.payload), e.binary]));
}

describe('catalogue versus Autobahn facts', () => {
  const facts = autobahnCases();

  it('has every case of the categories it covers, with Autobahn runCase indices', () => {
    const categories = new Set(catalogue.map((c) => c.category));
    const theirs = [...facts.values()].filter((c) => categories.has(c.id.split('.')[0]!)).map((c) => c.id);
    expect(catalogue.map((c) => c.id)).toEqual(theirs);
    for (const c of catalogue) expect(caseIndex(c.id), c.id).toBe(facts.get(c.id)!.index);
  });

  for (const c of catalogue) {
    describe(c.id, () => {
      const fact = facts.get(c.id)!;
      it('sends what the Autobahn case sends', () => {
        expect(c.scenario().steps.map(ourStep)).toEqual(fact.onOpen.map(theirStep));
        expect(c.scenario().suppressClose ?? false).toBe(fact.suppressClose);
      });
      for (const role of ['server', 'client'] as const) {
        it(`expectation computed by the model matches Autobahn's (peer is a ${role})`, () => {
          const e = computeExpectation(c.scenario(), role);
          const theirExpected = Object.fromEntries(
            Object.entries(fact.expected).map(([k, list]) => [
              k,
              list.map((ev) => (ev.type === 'timeout' ? ['timeout', ev.tag] : ev.type === 'pong' ? ['pong', hex(materialize(ev.payload))] : ['message', hex(materialize(ev.payload)), ev.binary])),
            ]),
          );
          const ours: Record<string, unknown[]> = { OK: ourEvents(e.expected.OK) };
          if (e.expected['NON-STRICT'] !== undefined) ours['NON-STRICT'] = ourEvents(e.expected['NON-STRICT']);
          expect(ours).toEqual(theirExpected);
          expect(e.expectedClose.closedByMe).toBe(fact.expectedClose.closedByMe);
          expect(e.expectedClose.requireClean).toBe(fact.expectedClose.requireClean);
          expect([...new Set(e.expectedClose.closeCode)].sort()).toEqual([...new Set(fact.expectedClose.closeCode)].sort());
        });
      }
    });
  }
});
