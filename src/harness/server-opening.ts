/**
 * The tester as a server answering a client's opening handshake with a
 * varied 101 (category 14): the head the variation makes, the frames it
 * pipelines in the same write, written at once or in pieces. The client's
 * case starts only once every piece is out.
 */
import type net from 'node:net';
import type { ServerResponseOptions } from '../codec/handshake.js';
import { type ResponseVariation, variedResponse } from '../model/handshake-variation.js';
import { encodePipelined } from '../model/pipelined.js';
import type { SentFrame } from '../model/types.js';
import type { WireRecorder } from './wire-log.js';
import { WriteQueue } from './write-queue.js';

export interface VariedAnswer {
  /** The head as sent, for the report's httpResponse. */
  readonly text: string;
  /** Frames sent with it. */
  readonly frames: readonly SentFrame[];
  /**
   * Written in pieces: resolves once the last piece is out, with whatever the
   * client sent meanwhile (the case reads it first). Null: written at once.
   */
  readonly written: Promise<Uint8Array> | null;
}

/** Answer with `variation`'s 101, or the usual one when the scenario varies nothing (`undefined`). */
export function variedAnswer(socket: net.Socket, recorder: WireRecorder, variation: ResponseVariation | undefined, base: ServerResponseOptions): VariedAnswer {
  const response = variedResponse(variation, base);
  // A server's frames carry no masking key, so the seed is never used.
  const pipelined = encodePipelined(variation?.frames ?? [], 'server', 1);
  const all = pipelined.bytes.length === 0 ? response.bytes : Buffer.concat([response.bytes, pipelined.bytes]);
  for (const f of pipelined.sent) recorder.frameSent(f, { repeatUnit: null, chop: null, sync: false });
  const chop = variation?.chop;
  if (chop === undefined || chop <= 0) {
    recorder.wrote(all, false);
    socket.write(all);
    return { text: response.text, frames: pipelined.sent, written: null };
  }
  const early: Buffer[] = [];
  const collect = (chunk: Buffer): void => {
    recorder.read(chunk);
    early.push(chunk);
  };
  socket.on('data', collect);
  const queue = new WriteQueue({
    isOpen: () => !socket.destroyed,
    write: (piece, sync) => {
      recorder.wrote(piece, sync);
      socket.write(piece);
    },
  });
  queue.send(all, chop, false);
  const written = queue.whenIdle().then(() => {
    socket.off('data', collect);
    return early.length === 0 ? new Uint8Array(0) : Buffer.concat(early);
  });
  return { text: response.text, frames: pipelined.sent, written };
}
