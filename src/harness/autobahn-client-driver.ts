/**
 * An Autobahn client driver for a client under test that wscheck starts
 * itself: what every project's own driver script does — ask the fuzzing server
 * for the case count, open `/runCase?case=N&agent=A` with the client under
 * test for each case (it echoes until the case ends), then
 * `/updateReports?agent=A`. The two control requests go through ws, so a
 * broken client under test can only fail its cases, not the run.
 */
import WebSocket from 'ws';
import type { ClientUnderTest } from './targets/target.js';
import { CaseGate } from './case-gate.js';

function receiveText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let text = '';
    socket.on('message', (data) => (text = String(data)));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

/**
 * Run every case of the fuzzing server at `base` with `client`, `concurrency`
 * cases at a time (each case is its own connection; Autobahn's drivers run
 * one at a time, and results do not depend on it).
 */
export async function runAutobahnClientDriver(
  base: string,
  agent: string,
  client: ClientUnderTest,
  concurrency = 1,
  /** Case numbers 1..count in the order to run them (e.g. the longest first); default 1, 2, … */
  order?: (count: number) => readonly number[],
  /** Case numbers that must run with no other case beside them (CaseDefinition.exclusive). */
  exclusive: (caseNumber: number) => boolean = () => false,
): Promise<void> {
  const agentParam = encodeURIComponent(agent);
  const count = Number(await receiveText(`${base}/getCaseCount`));
  if (!Number.isInteger(count) || count < 0) throw new Error(`${base}/getCaseCount answered "${count}", not a case count`);
  const numbers = order?.(count) ?? Array.from({ length: count }, (_, k) => k + 1);
  let next = 0;
  const gate = new CaseGate();
  const lane = async (): Promise<void> => {
    while (next < numbers.length) {
      const n = numbers[next++]!;
      await gate.run(exclusive(n), () => client.connect(`${base}/runCase?case=${n}&agent=${agentParam}`));
    }
    // One more connection by the client under test: the last case this lane ran may wait for it (the
    // liveness probe of a client is its next connection).
    await client.connect(`${base}/getCaseCount`);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  await receiveText(`${base}/updateReports?agent=${agentParam}`);
}
