/**
 * The Autobahn verdict rules applied to the oracle's expectation, one rule at a
 * time, on observed runs built by hand.
 */
import { describe, expect, it } from 'vitest';
import { driverOnEvent, driverStart } from '../../src/model/driver.js';
import { INITIAL_CLOSING } from '../../src/model/endpoint.js';
import { type Observation, type RecordedEvent, eventsEqual } from '../../src/model/events.js';
import { computeExpectation } from '../../src/model/oracle.js';
import type { Scenario } from '../../src/model/scenario.js';
import type { ClosingFields } from '../../src/model/types.js';
import { judge } from '../../src/model/verdict.js';

const te = new TextEncoder();
const hello = te.encode('Hello, world!');
const cause = { afterFrame: 1, opcode: 1, rsv: 0 };

// Autobahn 3.2 shape: valid message, then a frame with RSV2, then a ping.
const rsvScenario: Scenario = {
  steps: [
    { kind: 'frame', opcode: 1, payload: hello },
    { kind: 'frame', opcode: 1, rsv: 2, payload: hello },
    { kind: 'frame', opcode: 9, payload: new Uint8Array(0) },
    { kind: 'kill-after', seconds: 1 },
  ],
};
const echoScenario: Scenario = { steps: [{ kind: 'frame', opcode: 1, payload: hello }, { kind: 'kill-after', seconds: 1 }] };

const echo: RecordedEvent = { type: 'message', payload: hello, binary: false };
const echoSeen: Observation = { kind: 'message', payload: hello, binary: false, cause };

function closing(c: Partial<ClosingFields>): ClosingFields {
  return { ...INITIAL_CLOSING, ...c };
}

describe('judge', () => {
  const rsv = computeExpectation(rsvScenario, 'server');
  const peerFailed = closing({ remoteCloseCode: 1002, wasClean: true, localCloseCode: 1000 });

  it('OK when the events equal the OK list and the peer failed the connection', () => {
    const v = judge(rsv, {}, { opened: true, events: [echo], observations: [echoSeen, { kind: 'close', code: 1002, reason: new Uint8Array(0), cause: { afterFrame: 2, opcode: 1, rsv: 2 } }], closing: peerFailed, peerRole: 'server' });
    expect([v.behavior, v.behaviorClose, v.firstDivergence]).toEqual(['OK', 'OK', null]);
  });

  it('NON-STRICT when the peer failed before echoing, naming the choice it made', () => {
    const v = judge(rsv, {}, { opened: true, events: [], observations: [{ kind: 'close', code: 1002, reason: new Uint8Array(0), cause: { afterFrame: 3, opcode: 9, rsv: 0 } }], closing: peerFailed, peerRole: 'server' });
    expect(v.behavior).toBe('NON-STRICT');
    expect(v.policyMatched).toContain('processes a whole read before echoing');
  });

  it('FAILED with the wrong endpoint when the tester had to close', () => {
    const v = judge(rsv, {}, { opened: true, events: [echo], observations: [echoSeen], closing: closing({ closedByMe: true, failedByMe: true, remoteCloseCode: 1001, wasClean: true }), peerRole: 'server' });
    expect([v.behavior, v.behaviorClose]).toEqual(['OK', 'FAILED']);
    expect(v.resultClose).toBe('The connection was failed by the wrong endpoint');
    expect(v.firstDivergence).toBe('expected Close frame with code 1002 after frame 2 (text, RSV 2); observed nothing more from the peer (the tester had to fail the connection itself)');
  });

  it('WRONG CODE, and FAILED behaviour when the case makes a wrong code fatal', () => {
    const observed = { opened: true, events: [echo], observations: [echoSeen], closing: closing({ remoteCloseCode: 1011, wasClean: true }), peerRole: 'server' as const };
    expect(judge(rsv, {}, observed).behaviorClose).toBe('WRONG CODE');
    expect(judge(rsv, {}, observed).resultClose).toBe('The close code should have been 1002 or empty');
    const fatal = judge(rsv, { wrongCloseCodeIsFatal: true }, observed);
    expect([fatal.behavior, fatal.result]).toEqual(['FAILED', 'The close code should have been 1002 or empty']);
  });

  it('UNCLEAN when a clean close is required and missing', () => {
    const e = computeExpectation(echoScenario, 'server');
    expect(e.expectedClose).toEqual({ closedByMe: true, closeCode: [1000], requireClean: true });
    const v = judge(e, {}, { opened: true, events: [echo], observations: [echoSeen], closing: closing({ closedByMe: true, wasClean: false }), peerRole: 'server' });
    expect(v.behaviorClose).toBe('UNCLEAN');
  });

  it('FAILED BY CLIENT when a server left it to the tester to close TCP; not for a client', () => {
    const e = computeExpectation(echoScenario, 'server');
    const c = closing({ closedByMe: true, wasClean: true, droppedByMe: true, remoteCloseCode: 1000 });
    expect(judge(e, {}, { opened: true, events: [echo], observations: [echoSeen], closing: c, peerRole: 'server' }).behaviorClose).toBe('FAILED BY CLIENT');
    const asClient = computeExpectation(echoScenario, 'client');
    expect(judge(asClient, {}, { opened: true, events: [echo], observations: [echoSeen], closing: c, peerRole: 'client' }).behaviorClose).toBe('OK');
  });

  it('FAILED when the opening handshake never completed', () => {
    const e = computeExpectation(echoScenario, 'server');
    const v = judge(e, {}, { opened: false, events: [], observations: [], closing: INITIAL_CLOSING, peerRole: 'server' });
    expect([v.behavior, v.behaviorClose, v.resultClose]).toEqual(['FAILED', 'FAILED', 'The WebSocket opening handshake was never completed!']);
    const why = { ...INITIAL_CLOSING, wasNotCleanReason: 'Sec-WebSocket-Accept does not match the key' };
    const told = judge(e, {}, { opened: false, events: [], observations: [], closing: why, peerRole: 'server' });
    expect(told.firstDivergence).toBe('the opening handshake never completed (Sec-WebSocket-Accept does not match the key); no frame was exchanged');
    // A case the RFC leaves open (7.1.6, 7.13.x) cannot pass a peer that never opened the connection.
    const informational = judge(e, { informational: true }, { opened: false, events: [], observations: [], closing: why, peerRole: 'server' });
    expect([informational.behavior, informational.behaviorClose]).toEqual(['FAILED', 'FAILED']);
  });

  it('forces FAILED when the peer did not detect what it must (closedByWrongEndpointIsFatal), and INFORMATIONAL when asked', () => {
    const fatal = { ...rsv, expectedClose: { ...rsv.expectedClose, closedByWrongEndpointIsFatal: true } };
    const v = judge(fatal, {}, { opened: true, events: [echo], observations: [echoSeen], closing: closing({ closedByMe: true }), peerRole: 'server' });
    expect(v.behavior).toBe('FAILED');
    const i = judge(rsv, { informational: true }, { opened: true, events: [], observations: [], closing: closing({ closedByMe: true }), peerRole: 'server' });
    expect([i.behavior, i.behaviorClose, i.result]).toEqual(['INFORMATIONAL', 'INFORMATIONAL', 'Actual events are undefined by the spec.']);
  });
});

describe('exploration: a peer whose application lags behind its library', () => {
  const bin = (s: string): RecordedEvent => ({ type: 'message', payload: te.encode(s), binary: false });
  const pong = (s: string): RecordedEvent => ({ type: 'pong', payload: te.encode(s) });
  // Two messages, each followed by a Ping in a write of its own, then the tester's Close.
  const scenario: Scenario = {
    finish: 'complete',
    steps: [
      { kind: 'frame', opcode: 1, payload: te.encode('one') },
      { kind: 'frame', opcode: 9, payload: te.encode('p1') },
      { kind: 'frame', opcode: 1, payload: te.encode('two') },
      { kind: 'frame', opcode: 9, payload: te.encode('p2') },
      { kind: 'kill-after', seconds: 2 },
    ],
  };
  const e = computeExpectation(scenario, 'server');
  const strict = e.traces.find((t) => t.strict)!;
  // The run as the strict trace saw it, with its events and observations put in `order`.
  const run = (order: readonly RecordedEvent[], withClose = true) => {
    const other = strict.observations.filter((o) => o.kind !== 'message' && o.kind !== 'pong' && (withClose || o.kind !== 'close'));
    const seen: Observation[] = order.map((ev) => (ev.type === 'message' ? { kind: 'message', payload: ev.payload, binary: false, cause } : { kind: 'pong', payload: (ev as { payload: Uint8Array }).payload, cause }));
    return { opened: true, events: [...order], observations: [...seen, ...other], closing: strict.closing, peerRole: 'server' as const };
  };

  it('expects the echoes and Pongs in the order of the frames', () => {
    expect(e.expected.OK).toEqual([bin('one'), pong('p1'), bin('two'), pong('p2')]);
    expect(e.acceptable).toContainEqual(e.expected.OK);
  });

  it('is NON-STRICT when Pongs overtake echoes, each stream in its order, and says why', () => {
    for (const order of [
      [pong('p1'), bin('one'), pong('p2'), bin('two')],
      [pong('p1'), pong('p2'), bin('one'), bin('two')],
      [bin('one'), pong('p1'), pong('p2'), bin('two')],
    ]) {
      const v = judge(e, {}, run(order));
      expect([v.behavior, v.behaviorClose, v.firstDivergence]).toEqual(['NON-STRICT', 'OK', null]);
      // An order some simulated policy produces is named by that policy; the others by the lag.
      const simulated = e.traces.some((t) => eventsEqual(t.events, order));
      if (!simulated) expect(v.policyMatched).toContain("its application echoes after the library's own answers");
    }
    // The first order is one no simulated policy produces: the library answered the second Ping before the application echoed.
    expect(e.traces.some((t) => eventsEqual(t.events, [pong('p1'), bin('one'), pong('p2'), bin('two')]))).toBe(false);
    expect(judge(e, {}, run([bin('one'), pong('p1'), bin('two'), pong('p2')])).behavior).toBe('OK');
  });

  it('still fails messages out of order, a wrong Pong, and a missing echo the peer did not close before', () => {
    for (const order of [
      [bin('two'), pong('p1'), bin('one'), pong('p2')],
      [pong('p2'), pong('p1'), bin('one'), bin('two')],
      [pong('p1'), bin('one'), pong('pX'), bin('two')],
      [pong('p1'), bin('one'), pong('p2')],
    ]) {
      expect(judge(e, {}, run(order, false)).behavior, JSON.stringify(order.map((x) => x.type))).toBe('FAILED');
    }
  });

  it('lets the tester wait for the lagging echo instead of closing, and finish once both streams are complete', () => {
    const context = { finishWhen: e.finishWhen, finishAtIdle: true, acceptable: e.acceptable! };
    let state = driverStart(scenario, context).state;
    const closes = (actions: readonly { type: string; input?: { type: string } }[]) => actions.some((a) => a.type === 'input' && a.input?.type === 'close');
    const steps: boolean[] = [];
    for (const ev of [pong('p1'), bin('one'), pong('p2'), bin('two')]) {
      const r = driverOnEvent(state, scenario, context, ev, 'open');
      state = r.state;
      steps.push(closes(r.actions));
    }
    expect(steps).toEqual([false, false, false, true]);
    // A Pong then the first echo begins no acceptable list in order: a tester that matched in order would have closed.
    const seen = [pong('p1'), bin('one')];
    expect(e.acceptable!.some((list) => eventsEqual(list.slice(0, seen.length), seen))).toBe(false);
  });
});
