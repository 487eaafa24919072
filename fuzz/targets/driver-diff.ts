/**
 * Fuzz target `driver-diff`: the same received octets through wscheck's
 * reference decoder and through websocket-driver 0.8 (the protocol driver of
 * faye-websocket), same role, same limit, same TCP chopping. Disagreements
 * the RFC allows and this driver's known divergences (below, argued in
 * docs/fuzzing.md) are counted; any other is a finding.
 *
 * wscheck runs with the driver's policies where the RFC leaves a choice:
 * UTF-8 checked when the message is complete, RFC 6455's own close codes
 * (the driver refuses 1012-1014), non-minimal lengths accepted, and one
 * `maxLength` for frames (control frames included) and messages.
 *
 * Input: setup octets (role, limit, chop plan; fuzz/support/diff-setup.ts),
 * then the stream.
 */
import type { DecoderOptions } from '../../src/codec/decoder.js';
import { type KnownDivergence, judge, referenceRun, reportKnownAtExit } from '../support/differential.js';
import { readDiffSetup } from '../support/diff-setup.js';
import { asDriverSees, driverPeer } from '../support/peers/driver.js';

/** websocket-driver's known divergences, each with the RFC text it concerns (docs/fuzzing.md has the table). */
export const DRIVER_KNOWN: readonly KnownDivergence[] = [
  {
    // RFC 6455 §5.1: "A client MUST close a connection if it detects a masked frame." The driver unmasks and accepts.
    id: 'driver-client-accepts-masked-frames',
    matches: (d) => d.role === 'client' && d.frame.masked && d.frame.violations.some((v) => v.kind === 'masked-server-frame') && d.ours.outcome.kind === 'failed',
  },
  {
    // §5.4/§5.5: control frames may be injected in the middle of a fragmented message and are not part of it.
    // The driver adds a control frame's length to the message received so far before comparing with maxLength.
    id: 'driver-control-frame-counted-in-message-limit',
    matches: (d) =>
      d.frame.opcode >= 8 &&
      d.frame.messageBefore !== null &&
      d.frame.length !== null &&
      d.frame.messageBefore + d.frame.length > d.limit &&
      d.theirs.outcome.kind === 'failed' &&
      d.theirs.outcome.code === 1009,
  },
  {
    // §8.1 and §7.4.1 (1007: "data within a message that was not consistent with the type of the message"):
    // a Close reason that is not UTF-8. The driver answers 1002.
    id: 'driver-close-reason-utf8-1002',
    matches: (d) =>
      d.frame.opcode === 8 &&
      d.frame.violations.some((v) => v.kind === 'invalid-utf8') &&
      d.theirs.outcome.kind !== 'open' &&
      d.theirs.outcome.code === 1002,
  },
  {
    // §7.4: an invalid close code (or a 1-octet body) fails the connection (1002). The driver sends Close 1002 and
    // closes like for any Close, without its 'error' event: the same on the wire, a clean close to its application.
    id: 'driver-invalid-close-not-an-error',
    matches: (d) =>
      d.frame.opcode === 8 &&
      d.frame.violations.some((v) => v.kind === 'invalid-close-code' || v.kind === 'close-payload-length-1') &&
      d.theirs.outcome.kind === 'closed' &&
      d.theirs.outcome.code === 1002,
  },
  {
    // §7.1.5: a Close frame without a status code means close code 1005 for the application. The driver reports
    // 1000 (the code it answers with).
    id: 'driver-empty-close-reported-as-1000',
    matches: (d) =>
      d.ours.outcome.kind === 'closed' && d.ours.outcome.code === null && d.theirs.outcome.kind === 'closed' && d.theirs.outcome.code === 1000 && d.theirs.outcome.reason.length === 0,
  },
];

export function optionsForDriver(role: 'server' | 'client', limit: number): DecoderOptions {
  return {
    role,
    maxFramePayload: limit,
    maxMessagePayload: limit,
    utf8: 'message-end',
    closeCodes: 'rfc6455',
    validateClose: true,
    rejectNonMinimalLength: false,
  };
}

/** Judge one input; returns the id of an allowed or known divergence, or null when both agree. Throws on a finding. */
export function checkDriver(data: Uint8Array): string | null {
  const { role, limit, stream, chunks } = readDiffSetup(data);
  const options = optionsForDriver(role, limit);
  const ours = referenceRun(chunks, options);
  return judge({ stream, chunks, options, ours, peer: driverPeer(role, limit), known: DRIVER_KNOWN, normalise: asDriverSees });
}

export function fuzz(data: Buffer): void {
  reportKnownAtExit('driver-diff');
  checkDriver(data);
}
