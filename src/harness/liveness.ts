/**
 * The liveness probe (P1): after a case that abused a peer, is the peer still
 * there? A crash and an orderly TCP close look the same from inside the case
 * (RFC 6455 §7.1.7 lets an endpoint fail a connection by closing TCP), so
 * the question is asked on a new connection.
 *
 * Testing a server: the tester opens a new connection and has a short text
 * message echoed. Testing a client, the tester cannot open anything: it waits
 * for the client's next connection (its next case, or /updateReports), which
 * every Autobahn client driver makes; see `ConnectionWatch`.
 */
import { randomInt } from 'node:crypto';
import { initialEndpointState, step } from '../model/endpoint.js';
import type { LivenessObservation } from '../model/opening-verdict.js';
import { testerEndpointConfig } from '../model/simulate.js';
import type { EndpointInput, EndpointState } from '../model/types.js';
import { type TargetUrl, connectTcp, openAsClient } from './client-handshake.js';
import { WireRecorder } from './wire-log.js';

const PROBE_TEXT = 'wscheck liveness probe';
/** For each of connecting, the handshake and the echo: far more than a live peer needs on loopback. */
export const PROBE_TIMEOUT_MS = 5000;

/** Open a new connection to the server and have one short message echoed. */
export async function probeServer(target: TargetUrl, userAgent: string): Promise<LivenessObservation> {
  const t0 = performance.now();
  let socket;
  try {
    socket = await connectTcp(target, PROBE_TIMEOUT_MS);
  } catch (e) {
    return { ok: false, detail: `a new connection could not be made (${(e as Error).message})` };
  }
  const opening = await openAsClient(socket, target, new WireRecorder(() => 0), { timeoutMs: PROBE_TIMEOUT_MS, userAgent });
  if (!opening.opened) return { ok: false, detail: `a new connection was refused its opening handshake (${opening.failure ?? 'no reason'})` };
  const open = opening.socket;
  const payload = new TextEncoder().encode(PROBE_TEXT);
  return new Promise((resolve) => {
    let endpoint: EndpointState = initialEndpointState(testerEndpointConfig('client', randomInt(1, 0xffffffff)), { open: true });
    let done = false;
    const finish = (result: LivenessObservation): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A polite close; the probe does not wait for the answer.
      feed({ type: 'close', code: 1000 });
      setTimeout(() => open.destroy(), 100).unref();
      resolve(result);
    };
    const feed = (input: EndpointInput): void => {
      const r = step(endpoint, input);
      endpoint = r.state;
      for (const o of r.outputs) {
        if (o.type === 'write' && !open.destroyed) open.write(o.data);
        if (o.type === 'message' && !done) {
          const echoed = o.opcode === 1 && new TextDecoder().decode(o.payload) === PROBE_TEXT;
          finish(echoed ? { ok: true, detail: `a new connection opened and echoed a message in ${Math.round(performance.now() - t0)} ms` } : { ok: false, detail: 'a new connection opened but answered the probe with another message' });
        }
      }
    };
    const timer = setTimeout(() => finish({ ok: false, detail: `a new connection opened but did not echo a message within ${PROBE_TIMEOUT_MS / 1000} s` }), PROBE_TIMEOUT_MS);
    open.on('data', (chunk: Buffer) => feed({ type: 'receive', data: chunk }));
    open.on('error', () => finish({ ok: false, detail: 'a new connection opened but failed before the echo (socket error)' }));
    open.on('close', () => finish({ ok: false, detail: 'a new connection opened but was closed before the echo' }));
    if (opening.leftover !== null && opening.leftover.length > 0) feed({ type: 'receive', data: opening.leftover });
    feed({ type: 'send-message', opcode: 1, payload });
  });
}

/**
 * Testing a client: the upgrade requests the fuzzing server receives, so that
 * a case can wait for the client's next connection. An agent's connections
 * count (and connections that name no agent, which only a client under test
 * makes once cases run); another agent's do not.
 */
export class ConnectionWatch {
  private readonly arrivals: { readonly at: number; readonly agent: string | null }[] = [];
  private readonly waiters = new Set<{ readonly after: number; readonly agent: string; readonly resolve: (at: number) => void }>();

  /** An upgrade request arrived (call when its head was read and found valid). */
  arrived(agent: string | null): void {
    const at = performance.now();
    this.arrivals.push({ at, agent });
    if (this.arrivals.length > 1000) this.arrivals.splice(0, 500);
    for (const w of [...this.waiters]) {
      if (at >= w.after && (agent === null || agent === w.agent)) {
        this.waiters.delete(w);
        w.resolve(at);
      }
    }
  }

  /** The first connection of `agent` after `after` (performance.now() time), or null after `timeoutMs`. */
  next(agent: string, after: number, timeoutMs: number): Promise<number | null> {
    const seen = this.arrivals.find((a) => a.at >= after && (a.agent === null || a.agent === agent));
    if (seen !== undefined) return Promise.resolve(seen.at);
    return new Promise((resolve) => {
      const waiter = { after, agent, resolve: (at: number) => (clearTimeout(timer), resolve(at)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(null);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Stop waiting (the server closes): every waiter gets null. */
  cancel(): void {
    for (const w of [...this.waiters]) {
      this.waiters.delete(w);
      w.resolve(Number.NaN);
    }
  }
}

/** Seconds a client has to connect again after a case with a probe. */
export const CLIENT_PROBE_TIMEOUT_MS = 10_000;

/** The liveness of a client: did it connect again within the time? */
export async function probeClient(watch: ConnectionWatch, agent: string, endedAt: number): Promise<LivenessObservation> {
  const at = await watch.next(agent, endedAt, CLIENT_PROBE_TIMEOUT_MS);
  if (at === null) return { ok: false, detail: `the client made no new connection within ${CLIENT_PROBE_TIMEOUT_MS / 1000} s after the case (its next case or /updateReports)` };
  if (Number.isNaN(at)) return { ok: true, detail: 'the server stopped before the client connected again; not judged' };
  return { ok: true, detail: `the client connected again ${Math.round(at - endedAt)} ms after the case` };
}
