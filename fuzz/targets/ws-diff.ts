/**
 * Fuzz target `ws-diff`: the same received octets through wscheck's
 * reference decoder and through ws's Receiver (ws 8, the parser behind the
 * most used Node.js WebSocket server), same role, same limit, same TCP
 * chopping. Any disagreement on accept or reject, the close code of a
 * rejection, or what was delivered (messages, pings, pongs, the Close
 * frame's code and reason) is a finding — unless the RFC allows it or it is
 * a known, argued divergence (fuzz/support/differential.ts, docs/fuzzing.md).
 *
 * wscheck runs with ws's policies where the RFC leaves a choice: UTF-8
 * checked when the message is complete (§8.1 allows failing fast or at the
 * end), IANA's close code registry (1012-1014 accepted), non-minimal length
 * encodings accepted.
 *
 * Input: setup octets (role, limit, chop plan; fuzz/support/diff-setup.ts),
 * then the stream.
 */
import type { DecoderOptions } from '../../src/codec/decoder.js';
import { type KnownDivergence, judge, referenceRun, reportKnownAtExit } from '../support/differential.js';
import { readDiffSetup } from '../support/diff-setup.js';
import { wsPeer } from '../support/peers/ws.js';

/** ws's divergences from wscheck that are argued in docs/fuzzing.md (none beyond the general rules so far). */
export const WS_KNOWN: readonly KnownDivergence[] = [];

/**
 * The reference decoder configured like a ws Receiver with `maxPayload` =
 * `limit`: ws limits messages (summed over their frames) and leaves control
 * frames to §5.5's 125 octets, so the message limit is `limit` and the frame
 * limit never below 125.
 */
export function optionsForWs(role: 'server' | 'client', limit: number): DecoderOptions {
  return {
    role,
    maxFramePayload: Math.max(limit, 125),
    maxMessagePayload: limit,
    utf8: 'message-end',
    closeCodes: 'iana',
    validateClose: true,
    rejectNonMinimalLength: false,
  };
}

/** Judge one input; returns the id of an allowed or known divergence, or null when both agree. Throws on a finding. */
export function checkWs(data: Uint8Array): string | null {
  const { role, limit, stream, chunks } = readDiffSetup(data);
  const options = optionsForWs(role, limit);
  const ours = referenceRun(chunks, options);
  return judge({ stream, chunks, options, ours, peer: wsPeer(role, limit), known: WS_KNOWN });
}

export function fuzz(data: Buffer): void {
  reportKnownAtExit('ws-diff');
  checkWs(data);
}
