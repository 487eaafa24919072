/**
 * Fuzz target `decoder`: the reference frame decoder (`decode()` from
 * src/codec/decoder.ts), either role, any options, any TCP chopping.
 *
 * Input: setup octets (role, UTF-8 policy, limits, chop plan; see
 * fuzz/support/decoder-setup.ts), then the received stream. Properties:
 *
 * 1. `decode` never throws and never writes into the chunk it was given
 *    (chunks are Node Buffers, as sockets deliver them);
 * 2. it agrees with an independent naive reading of the stream
 *    (fuzz/support/frames.ts): the same frames, messages, pings, pongs and
 *    close bodies, the first violating frame, a violation that frame really
 *    has, at the offset where it became certain, with its close code, and a
 *    failure no later than the decoder promises;
 * 3. chop invariance: any cutting of the stream into reads (the fuzzer picks
 *    the cut points) gives the same events (property 2 holds for every
 *    cutting) and, compared with a one-read run, an equivalent final state;
 * 4. memory bounded by the limits: no buffered frame or message ever exceeds
 *    them, a partial header stays under 14 octets;
 * 5. round trip: every accepted frame re-encodes (src/codec/encode.ts) to the
 *    exact octets it was read from;
 * 6. purity: stepping an intermediate state a second time with other octets
 *    leaves the first continuation intact and decodes like a fresh run.
 *
 * Loops are bounded by the input; a hang is caught by libFuzzer's -timeout.
 */
import { type DecodeEvent, type DecodeResult, type DecoderOptions, type DecoderState, decode, initialDecoderState } from '../../src/codec/decoder.js';
import { encodeFrame } from '../../src/codec/encode.js';
import { readDecoderSetup } from '../support/decoder-setup.js';
import { describeDifference, eventText, firstDifference, sameState, stateSnapshot } from '../support/events.js';
import { type Delivery, type WalkedFrame, walkStream } from '../support/frames.js';
import { check, chopAt, cutPoints, equalBytes, hex } from '../support/input.js';

/** The function under test; the planted-bug fixture swaps in a broken one. */
export type DecodeFunction = (state: DecoderState, chunk: Uint8Array, options: DecoderOptions) => DecodeResult;

const PAYLOAD_KINDS = new Set(['close-payload-length-1', 'invalid-close-code', 'invalid-utf8']);

/** Does the decoder report a frame event for this walked frame (it completes the frame before judging its payload)? */
function reportsFrame(f: WalkedFrame): boolean {
  return f.complete && f.violations.every((v) => PAYLOAD_KINDS.has(v.kind) && (f.opcode === 8 || v.offset === f.end));
}

function deliveryText(d: Delivery): string {
  if (d.type === 'message') return `message opcode=${d.opcode} frames=${d.frames} payload=${hex(d.payload)}`;
  if (d.type === 'close') return `close code=${d.code} reason=${hex(d.reason)}`;
  return `${d.type} payload=${hex(d.payload)}`;
}

function sameDelivery(e: DecodeEvent, d: Delivery): boolean {
  if (e.type !== d.type) return false;
  if (e.type === 'message' && d.type === 'message') return e.opcode === d.opcode && e.frames === d.frames && e.rsv === 0 && equalBytes(e.payload, d.payload);
  if ((e.type === 'ping' || e.type === 'pong') && (d.type === 'ping' || d.type === 'pong')) return equalBytes(e.payload, d.payload);
  if (e.type === 'close' && d.type === 'close') return e.code === d.code && equalBytes(e.reason, d.reason);
  return false;
}

/** Property 2: the decoder's events against the naive walk. */
function checkAgainstWalk(stream: Uint8Array, options: DecoderOptions, events: readonly DecodeEvent[]): void {
  const walk = walkStream(stream, options);
  const n = stream.length;
  const violations = events.filter((e) => e.type === 'violation');
  check(violations.length <= 1, 'one-violation', () => `${violations.length} violations reported`);
  const violation = violations[0]?.type === 'violation' ? violations[0].violation : null;
  if (violation !== null) check(events.at(-1) === violations[0], 'one-violation', () => 'events follow the violation');

  // Frames.
  if (options.emitFrames ?? true) {
    const expected = walk.frames.filter(reportsFrame);
    const got = events.filter((e) => e.type === 'frame');
    check(got.length === expected.length, 'frames', () => `${got.length} frame events, the stream holds ${expected.length} complete frames the decoder must report (${got.map(eventText).join(' | ')})`);
    got.forEach((e, k) => {
      const f = expected[k]!;
      check(
        e.offset === f.start && e.frame.fin === f.fin && e.frame.rsv === f.rsv && e.frame.opcode === f.opcode && (e.frame.maskKey !== null) === f.masked && equalBytes(e.frame.payload, f.payload),
        'frames',
        () => `frame ${k}: decoder ${eventText(e)}; stream has frame @${f.start} fin=${f.fin ? 1 : 0} rsv=${f.rsv} opcode=${f.opcode} masked=${f.masked} payload=${hex(f.payload)}`,
      );
    });
  }

  // Deliveries, in order.
  const delivered = events.filter((e) => e.type !== 'frame' && e.type !== 'violation');
  const k = (() => {
    const m = Math.min(delivered.length, walk.deliveries.length);
    for (let i = 0; i < m; i++) if (!sameDelivery(delivered[i]!, walk.deliveries[i]!)) return i;
    return delivered.length === walk.deliveries.length ? -1 : m;
  })();
  check(k < 0, 'deliveries', () => `delivery ${k}: decoder ${k < delivered.length ? eventText(delivered[k]!) : '(nothing)'}; expected ${k < walk.deliveries.length ? deliveryText(walk.deliveries[k]!) : '(nothing)'}`);

  // The verdict.
  const failed = walk.failedFrame >= 0 ? walk.frames[walk.failedFrame]! : null;
  const certain = failed === null ? [] : failed.violations.filter((v) => v.certainAt < n);
  if (violation === null) {
    check(certain.length === 0, 'missed-violation', () => `no violation reported; frame @${failed!.start} has ${certain.map((v) => `${v.kind}@${v.offset}`).join(', ')}`);
    return;
  }
  check(failed !== null, 'spurious-violation', () => `violation ${violation.kind} @${violation.offset} (${violation.reason}) on a stream without one`);
  const earliest = Math.min(...failed.violations.map((v) => v.certainAt));
  const match = failed.violations.find((v) => v.kind === violation.kind && v.offset === violation.offset);
  check(
    match !== undefined && match.certainAt === earliest,
    'violation',
    () => `decoder reports ${violation.kind} @${violation.offset}; frame @${failed.start} has ${failed.violations.map((v) => `${v.kind}@${v.offset} (certain after octet ${v.certainAt})`).join(', ')}`,
  );
  check(violation.code === match.code, 'close-code', () => `${violation.kind} carries code ${violation.code}, expected ${match.code} (RFC 6455 §7.4.1 and the decoder's options)`);
}

/** Property 4 for one state. */
function checkBounds(s: DecoderState, options: DecoderOptions, at: string): void {
  const maxFrame = options.maxFramePayload!;
  const maxMessage = options.maxMessagePayload!;
  if (s.partialHeader !== null) check(s.partialHeader.length > 0 && s.partialHeader.length < 14, 'memory-bound', () => `${at}: partial header of ${s.partialHeader!.length} octets`);
  if (s.frame !== null) {
    const f = s.frame;
    check(f.length <= maxFrame && f.filled < Math.max(f.length, 1), 'memory-bound', () => `${at}: frame of ${f.length} octets buffered (${f.filled} in), limit ${maxFrame}`);
    if (f.payload !== null) check(f.payload.length === f.length, 'memory-bound', () => `${at}: frame buffer of ${f.payload!.length} octets for a ${f.length}-octet frame`);
  }
  if (s.message !== null) {
    const m = s.message;
    let sum = 0;
    for (let k = 0; k < m.fragmentCount; k++) sum += m.fragments[k]!.length;
    check(m.length <= maxMessage && sum === m.length, 'memory-bound', () => `${at}: message of ${m.length} octets (fragments hold ${sum}), limit ${maxMessage}`);
  }
}

/** Property 5. */
function checkRoundTrip(stream: Uint8Array, events: readonly DecodeEvent[]): void {
  for (const e of events) {
    if (e.type !== 'frame') continue;
    const f = e.frame;
    const bytes = encodeFrame({ fin: f.fin, rsv: f.rsv, opcode: f.opcode, maskKey: f.maskKey, payload: f.payload, lengthEncoding: e.lengthEncoding });
    const original = stream.subarray(e.offset, e.offset + bytes.length);
    check(equalBytes(bytes, original), 'round-trip', () => `${eventText(e)} re-encodes to ${hex(bytes)}, was read from ${hex(original)}`);
  }
}

function collect(decodeFn: DecodeFunction, chunks: readonly Uint8Array[], options: DecoderOptions, state = initialDecoderState()): { events: DecodeEvent[]; state: DecoderState } {
  const events: DecodeEvent[] = [];
  for (const c of chunks) {
    const r = decodeFn(state, c, options);
    state = r.state;
    for (const e of r.events) events.push(e);
  }
  return { events, state };
}

/** Run every property on one input. Throws a FuzzFinding (or whatever the decoder threw) on a bug. */
export function checkDecoder(data: Uint8Array, decodeFn: DecodeFunction = decode): void {
  const { options, chop, branchAt, compareWhole, stream } = readDecoderSetup(data);
  const n = stream.length;
  // Sockets deliver Buffers; a Buffer's slice() is a view, which the decoder must not write through.
  const asReceived = (bytes: Uint8Array): Uint8Array => Buffer.from(bytes);

  // The stream as the fuzzer cut it into reads (one read when it chose no cuts), stepping one state twice.
  const received = asReceived(stream);
  const points = cutPoints(chop, n);
  const chunks = chopAt(received, points);
  const j = branchAt === null ? -1 : branchAt % chunks.length;
  let state = initialDecoderState();
  const events: DecodeEvent[] = [];
  for (let k = 0; k < chunks.length; k++) {
    const before = state;
    const r = decodeFn(state, chunks[k]!, options);
    state = r.state;
    for (const e of r.events) events.push(e);
    checkBounds(state, options, `after read ${k + 1} of ${chunks.length}`);
    if (k === j) {
      // 6. Step the earlier state again with other octets; both continuations must stay intact.
      const other = asReceived(chunks[k]!.map((b) => b ^ 0xa5));
      const branch = decodeFn(before, other, options);
      const fresh = collect(decodeFn, [...chunks.slice(0, k).map((c) => asReceived(c)), other], options);
      const prefix = fresh.events.length - branch.events.length;
      const tail = fresh.events.slice(Math.max(prefix, 0));
      check(prefix >= 0 && firstDifference(branch.events, tail) < 0, 'purity', () => `stepping the state before read ${k + 1} again: ${describeDifference(branch.events, tail, ['second step', 'fresh run'])}`);
      check(sameState(branch.state, fresh.state), 'purity', () => `second step of read ${k + 1} ends in ${stateSnapshot(branch.state)}, a fresh run in ${stateSnapshot(fresh.state)}`);
    }
  }
  // 1.
  check(equalBytes(received, stream), 'input-unchanged', () => `decode() changed the chunks it was given: ${hex(stream)} became ${hex(received)}`);
  check(state.failure !== null || state.offset === n, 'offset', () => `state offset ${state.offset} after ${n} octets`);

  // 2. Against the naive walk: the same events whatever the cuts, so this is chop invariance of the events too.
  checkAgainstWalk(stream, options, events);

  // 5.
  checkRoundTrip(stream, events);

  // 3. Chop invariance, directly, final state included.
  if (compareWhole && points.length > 0) {
    const whole = asReceived(stream);
    const one = decodeFn(initialDecoderState(), whole, options);
    check(equalBytes(whole, stream), 'input-unchanged', () => `decode() changed the chunk it was given: ${hex(stream)} became ${hex(whole)}`);
    check(firstDifference(one.events, events) < 0, 'chop-invariance', () => `reads cut at [${points.join(',')}]: ${describeDifference(one.events, events, ['one read', 'chopped'])}`);
    check(sameState(one.state, state), 'chop-invariance', () => `reads cut at [${points.join(',')}] end in ${stateSnapshot(state)}; one read ends in ${stateSnapshot(one.state)}`);
  }
}

/** The Jazzer.js entry point. */
export function fuzz(data: Buffer): void {
  checkDecoder(data);
}
