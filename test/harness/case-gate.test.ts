/**
 * The gate that keeps exclusive cases (floods, timed handshakes) apart from
 * every other case while shared cases run side by side.
 */
import { describe, expect, it } from 'vitest';
import { CaseGate } from '../../src/harness/case-gate.js';

/** A case that records when it runs, and finishes when the test says so. */
function recorder() {
  const running = new Set<string>();
  const seen: string[][] = [];
  const finish = new Map<string, () => void>();
  const work = (name: string) => () =>
    new Promise<string>((resolve) => {
      running.add(name);
      seen.push([...running].sort());
      finish.set(name, () => {
        running.delete(name);
        resolve(name);
      });
    });
  return { running, seen, finish: (name: string) => finish.get(name)!(), work };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CaseGate', () => {
  it('runs shared cases together', async () => {
    const gate = new CaseGate();
    const r = recorder();
    const all = ['a', 'b', 'c'].map((n) => gate.run(false, r.work(n)));
    await tick();
    expect([...r.running].sort()).toEqual(['a', 'b', 'c']);
    ['a', 'b', 'c'].forEach(r.finish);
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c']);
  });

  it('runs an exclusive case alone, and holds back shared cases that arrive after it', async () => {
    const gate = new CaseGate();
    const r = recorder();
    const a = gate.run(false, r.work('a'));
    const x = gate.run(true, r.work('x'));
    const b = gate.run(false, r.work('b'));
    await tick();
    expect([...r.running]).toEqual(['a']);
    r.finish('a');
    await tick();
    expect([...r.running]).toEqual(['x']);
    r.finish('x');
    await tick();
    expect([...r.running]).toEqual(['b']);
    r.finish('b');
    await Promise.all([a, x, b]);
    // Never was an exclusive case seen beside another one.
    for (const together of r.seen) if (together.includes('x')) expect(together).toEqual(['x']);
  });

  it('runs exclusive cases one after another, and releases the gate when a case throws', async () => {
    const gate = new CaseGate();
    const r = recorder();
    const failing = gate.run(true, () => Promise.reject(new Error('peer vanished')));
    const y = gate.run(true, r.work('y'));
    const z = gate.run(true, r.work('z'));
    await expect(failing).rejects.toThrow('peer vanished');
    await tick();
    expect([...r.running]).toEqual(['y']);
    r.finish('y');
    await tick();
    expect([...r.running]).toEqual(['z']);
    r.finish('z');
    expect(await Promise.all([y, z])).toEqual(['y', 'z']);
  });
});
