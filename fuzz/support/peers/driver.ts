/**
 * websocket-driver (the protocol layer of faye-websocket and of many Node.js
 * servers built on it) as a differential peer, through its public API: a
 * server driver made with `http(request)` and started, or a client driver
 * that sent its request and was given the matching 101 response; then
 * `parse()` for every read.
 *
 * What it delivered is read from its events ('message', 'pong', 'error',
 * 'close') and from the frames it writes back: its Pong replies carry the
 * exact octets of each Ping (its 'ping' event decodes them as text).
 */
/// <reference path="./websocket-driver.d.ts" />
import websocket from 'websocket-driver';
import type { Driver } from 'websocket-driver';
import { decode, initialDecoderState } from '../../../src/codec/decoder.js';
import { computeAccept } from '../../../src/codec/handshake.js';
import type { Observation, Outcome, Peer, PeerRun } from '../differential.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const encoder = new TextEncoder();

/** What a written frame carried, read back with the reference decoder (lenient: it only reads). */
function writtenFrames(chunk: Buffer): { opcode: number; payload: Uint8Array }[] {
  const r = decode(initialDecoderState(), chunk, { role: 'server', acceptAnyMasking: true, validateClose: false, utf8: 'off' });
  return r.events.flatMap((e) => (e.type === 'frame' ? [{ opcode: e.frame.opcode, payload: new Uint8Array(e.frame.payload) }] : []));
}

function started(role: 'server' | 'client', limit: number): { driver: Driver; onWrite: (listener: (chunk: Buffer) => void) => void } {
  let listener: ((chunk: Buffer) => void) | null = null;
  if (role === 'server') {
    const driver = websocket.http(
      { method: 'GET', url: '/', headers: { host: 'localhost', upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': KEY, 'sec-websocket-version': '13' } },
      { maxLength: limit },
    );
    driver.io.on('data', (chunk: Buffer) => listener?.(chunk));
    driver.start();
    return { driver, onWrite: (l) => (listener = l) };
  }
  const driver = websocket.client('ws://localhost/', { maxLength: limit });
  let request = '';
  driver.io.on('data', (chunk: Buffer) => (listener === null ? (request += chunk.toString('latin1')) : listener(chunk)));
  driver.start();
  const key = /^Sec-WebSocket-Key: (.*)$/im.exec(request)?.[1]?.trim() ?? '';
  const response = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAccept(key)}\r\n\r\n`;
  const opened = { value: false };
  driver.on('open', () => (opened.value = true));
  listener = () => {};
  driver.parse(Buffer.from(response, 'latin1'));
  listener = null;
  if (!opened.value) throw new Error('websocket-driver client did not open on a valid 101 response');
  // Writes from now on are frames.
  return { driver, onWrite: (l) => (listener = l) };
}

/** websocket-driver in `role` with `maxLength` = `limit`. */
export function driverPeer(role: 'server' | 'client', limit: number): Peer {
  return {
    name: 'websocket-driver',
    // It fails a server connection on an unmasked frame with 1003 (unacceptable), not 1002.
    codeFor: { 'unmasked-client-frame': { code: 1003, id: 'driver-unmasked-frame-1003' } },
    run(chunks: readonly Uint8Array[]): PeerRun {
      const { driver, onWrite } = started(role, limit);
      const observations: Observation[] = [];
      let error: string | null = null;
      let closed: { code: number; reason: string } | null = null;
      onWrite((chunk) => {
        for (const f of writtenFrames(chunk)) if (f.opcode === 0xa) observations.push({ kind: 'ping', payload: f.payload });
      });
      driver.on('message', (e) => {
        observations.push(typeof e.data === 'string' ? { kind: 'message', binary: false, payload: encoder.encode(e.data) } : { kind: 'message', binary: true, payload: new Uint8Array(e.data) });
      });
      driver.on('pong', (e) => observations.push({ kind: 'pong', payload: encoder.encode(e.data) }));
      driver.on('error', (e) => (error = e.message));
      driver.on('close', (e) => (closed = { code: e.code, reason: e.reason }));
      for (const chunk of chunks) {
        if (closed !== null) break;
        driver.parse(Buffer.from(chunk));
      }
      let outcome: Outcome = { kind: 'open' };
      const c = closed as { code: number; reason: string } | null;
      if (c !== null) outcome = error !== null ? { kind: 'failed', code: c.code, detail: error } : { kind: 'closed', code: c.code, reason: encoder.encode(c.reason) };
      return { observations, outcome };
    },
  };
}

/**
 * What the reference decoder delivered, as websocket-driver reports it: a
 * Pong's payload only as text (its 'pong' event decodes it as UTF-8).
 */
export function asDriverSees(run: PeerRun): PeerRun {
  const observations = run.observations.map((o) => (o.kind === 'pong' ? { kind: 'pong' as const, payload: encoder.encode(Buffer.from(o.payload).toString()) } : o));
  return { observations, outcome: run.outcome };
}
