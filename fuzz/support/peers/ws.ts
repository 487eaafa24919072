/**
 * ws's frame parser (`Receiver`, exported by the ws package though its types
 * do not say so) as a differential peer.
 *
 * The Receiver is a Writable; ws's WebSocket feeds it socket chunks with
 * `write()`. Here each chunk goes to `_write()` directly, with our own
 * callback: the same parsing, but an error comes back synchronously instead
 * of through the stream's asynchronous 'error' event, and a Close frame's
 * `end()` schedules nothing (in Jazzer.js's sync mode the event loop never
 * runs, so pending ticks would pile up).
 */
import * as ws from 'ws';
import type { Observation, Outcome, Peer, PeerRun } from '../differential.js';

interface WsError extends Error {
  readonly code?: string;
}

interface WsReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'ping' | 'pong', listener: (data: Buffer) => void): void;
  on(event: 'conclude', listener: (code: number, reason: Buffer) => void): void;
  _write(chunk: Buffer, encoding: string, cb: (error?: WsError | null) => void): void;
  end(): unknown;
  readonly _state: number;
  readonly _bufferedBytes: number;
}

type ReceiverClass = new (options: { isServer: boolean; maxPayload: number; allowSynchronousEvents: boolean; skipUTF8Validation: boolean }) => WsReceiver;

const Receiver = (ws as unknown as { Receiver: ReceiverClass }).Receiver;

/** ws keeps the close code of an error under a private symbol (`kStatusCode`). */
function statusCode(e: WsError): number {
  const key = Object.getOwnPropertySymbols(e).find((s) => s.description === 'status-code');
  const code = key === undefined ? undefined : (e as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : -1;
}

function copy(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/** A ws Receiver in `role` with `maxPayload` = `limit` (ws counts it over a message's frames, as wscheck does). */
export function wsPeer(role: 'server' | 'client', limit: number): Peer {
  return {
    name: 'ws',
    run(chunks: readonly Uint8Array[]): PeerRun {
      const receiver = new Receiver({ isServer: role === 'server', maxPayload: limit, allowSynchronousEvents: true, skipUTF8Validation: false });
      receiver.end = () => receiver;
      const observations: Observation[] = [];
      let outcome: Outcome | null = null;
      receiver.on('message', (data, isBinary) => observations.push({ kind: 'message', binary: isBinary, payload: copy(data) }));
      receiver.on('ping', (data) => observations.push({ kind: 'ping', payload: copy(data) }));
      receiver.on('pong', (data) => observations.push({ kind: 'pong', payload: copy(data) }));
      // ws reports an empty Close body as code 1005 (RFC 6455 §7.1.5); a 1005 on the wire is an error.
      receiver.on('conclude', (code, reason) => {
        outcome = { kind: 'closed', code: code === 1005 ? null : code, reason: copy(reason) };
      });
      for (const chunk of chunks) {
        if (outcome !== null) break;
        let error: WsError | null = null;
        // ws unmasks in place: give it its own copy.
        receiver._write(Buffer.from(chunk), 'buffer', (e) => {
          if (e) error = e;
        });
        if (error !== null) {
          const e: WsError = error;
          outcome = { kind: 'failed', code: statusCode(e), detail: `${e.code ?? e.name}: ${e.message}` };
        }
      }
      return { observations, outcome: outcome ?? { kind: 'open' } };
    },
  };
}
