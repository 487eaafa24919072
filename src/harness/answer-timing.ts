/**
 * Timing the answer to a hostile head (the ReDoS class) against a baseline
 * measured in the same run: the same server answering a benign head of the
 * same size (or a plain request), written the same way. Only ratios between
 * measurements of one server at one time mean anything; absolute times
 * depend on the machine. Each measurement is its own connection, dropped
 * once the answer (or the close) is in.
 */
import type { AnswerTiming, RequestVariation } from '../model/handshake-variation.js';
import { variedRequest } from '../model/handshake-variation.js';
import { type RequestOptions, type TargetUrl, connectTcp, openAsClient } from './client-handshake.js';
import { WireRecorder } from './wire-log.js';

/** Baseline measurements per estimate; their median is the baseline. */
const BASELINE_RUNS = 3;

/** Milliseconds from the last octet of the request to the answer on a fresh connection; null when none came in time. */
export async function measureAnswerMs(target: TargetUrl, userAgent: string, request: RequestOptions, timeoutMs: number): Promise<number | null> {
  let socket;
  try {
    socket = await connectTcp(target, timeoutMs);
  } catch {
    return null;
  }
  const opening = await openAsClient(socket, target, new WireRecorder(() => 0), { timeoutMs, userAgent, ...request });
  opening.socket.destroy();
  return opening.answerMs;
}

/** The octets of the request a variation makes against this target (the key's length is fixed, its value irrelevant). */
export function requestLength(target: TargetUrl, userAgent: string, variation: RequestVariation): number {
  return variedRequest(variation, { host: target.host, port: target.port, path: target.path, key: 'AAAAAAAAAAAAAAAAAAAAAA==', userAgent }).bytes.length;
}

/** The baseline of `timing`: the median of a few answers to the benign twin of `variation`'s request. */
export async function measureBaselineMs(target: TargetUrl, userAgent: string, variation: RequestVariation, timing: AnswerTiming, timeoutMs: number): Promise<number> {
  const request: RequestOptions =
    timing.baseline === 'same-size'
      ? { sameSizeAs: requestLength(target, userAgent, variation), ...(variation.chop !== undefined ? { variation: { chop: variation.chop } } : {}) }
      : {};
  const runs: number[] = [];
  for (let k = 0; k < BASELINE_RUNS; k++) runs.push((await measureAnswerMs(target, userAgent, request, timeoutMs)) ?? timeoutMs);
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}
