import { describe, expect, it } from 'vitest';
import { WIRE_LOG_LIMIT, WireRecorder } from '../../src/harness/wire-log.js';

describe('wire log', () => {
  it('keeps 64 octets of each read and counts read sizes', () => {
    const r = new WireRecorder(() => 0);
    r.read(new Uint8Array(200));
    r.read(new Uint8Array(200));
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]).toMatchObject({ tag: 'RO', length: 200 });
    expect((r.entries[0] as { head: Uint8Array }).head.length).toBe(64);
    expect(r.stats.rxOctets.get(200)).toBe(2);
  });

  it('stops logging at its limit with a WLM entry, and keeps counting', () => {
    const r = new WireRecorder(() => 0);
    const reads = WIRE_LOG_LIMIT + 500;
    for (let i = 0; i < reads; i++) r.read(new Uint8Array(3));
    expect(r.entries).toHaveLength(WIRE_LOG_LIMIT);
    expect(r.entries.at(-1)).toMatchObject({ tag: 'WLM', enabled: false });
    expect(r.stats.rxOctets.get(3)).toBe(reads);
    // A bulk case switching the log back on cannot restart a full log.
    r.setEnabled(false, true);
    r.setEnabled(true);
    r.read(new Uint8Array(3));
    expect(r.entries).toHaveLength(WIRE_LOG_LIMIT);
  });
});
