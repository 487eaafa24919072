import { describe, expect, it } from 'vitest';
import { ObservationLog, type Observation } from '../../src/model/events.js';

const cause = { afterFrame: 1, opcode: 1, rsv: 0 };
const message = (n: number): Observation => ({ kind: 'message', payload: new Uint8Array([n]), binary: true, cause });

describe('observation log', () => {
  it('keeps observations in order up to its limit and counts the rest', () => {
    const log = new ObservationLog({ perfCase: false, limit: 3 });
    for (let i = 0; i < 5; i++) log.record(message(i));
    expect(log.entries.map((o) => (o.kind === 'message' ? o.payload[0] : -1))).toEqual([0, 1, 2]);
    expect(log.dropped).toBe(2);
  });

  it('keeps no messages or pongs in performance cases, but keeps how the connection ended', () => {
    const log = new ObservationLog({ perfCase: true });
    log.record(message(1));
    log.record({ kind: 'pong', payload: new Uint8Array(0), cause });
    log.record({ kind: 'close', code: 1000, reason: new Uint8Array(0), cause });
    log.record({ kind: 'tcp-closed', cause });
    expect(log.entries.map((o) => o.kind)).toEqual(['close', 'tcp-closed']);
    expect(log.dropped).toBe(0);
  });
});

describe('observation log payloads', () => {
  it('stops keeping payloads beyond its budget, and copies views so a large read is not kept alive', () => {
    const read = new Uint8Array(65536);
    const log = new ObservationLog({ perfCase: false, payloadBudget: 10 });
    log.record({ kind: 'message', payload: read.subarray(0, 6), binary: true, cause });
    log.record({ kind: 'pong', payload: read.subarray(6, 10), cause });
    log.record({ kind: 'message', payload: read.subarray(10, 11), binary: true, cause });
    log.record({ kind: 'tcp-closed', cause });
    expect(log.entries.map((o) => o.kind)).toEqual(['message', 'pong', 'tcp-closed']);
    expect(log.dropped).toBe(1);
    const first = log.entries[0]!;
    expect(first.kind === 'message' && first.payload.buffer.byteLength).toBe(6);
  });
});
