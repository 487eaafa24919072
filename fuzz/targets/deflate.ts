/**
 * Fuzz target `deflate`: wscheck's permessage-deflate receiver (RFC 7692;
 * `PerMessageDeflate` from src/codec/deflate over the Node engine,
 * src/harness/deflate-node.ts) behind the reference frame decoder, under any
 * agreement — either role, context takeover or not, window bits 8-15 — and
 * any message limit, receiving any sequence of messages: compressed octets
 * as the fuzzer writes them (RSV1 set or not), or plaintext compressed by
 * wscheck's own compressor, split into frames at points the fuzzer picks.
 *
 * Input: fuzz/support/deflate-setup.ts. Properties:
 *
 * 1. nothing throws: every outcome is a delivered message or a violation
 *    with a close code;
 * 2. bounded output: no inflate call produces more than what the message
 *    still allows plus one octet, by the engine's own count, and a message
 *    refused for its size cost exactly limit + 1 octets
 *    (fuzz/support/counting-engine.ts);
 * 3. the right refusal: a compressed message larger than the limit fails with
 *    1009 before it is decompressed, one that decompresses to more fails with
 *    1009, invalid DEFLATE data with the code the extension was told to use,
 *    RSV1 on a continuation frame with 1002 (§6.1), a text message that is
 *    not UTF-8 once decompressed with 1007;
 * 4. agreement with zlib's one-shot `inflateRawSync` under a model of the
 *    window written out in fuzz/support/inflate-reference.ts: the same
 *    octets, or both refuse. The window it uses is what the extension
 *    promises: the previous messages' when the peer takes its window over or
 *    the receiver was told to keep it, nothing otherwise — so a back-reference
 *    into an earlier message is refused exactly when the peer agreed not to
 *    take its window over (§7.2.2 lets the receiver start each message from an
 *    empty window then), with the invalid-data code, and a distance beyond the
 *    agreed window bits but within what the receiver holds is accepted (its
 *    decompressor always has a 15-bit window; finding `window`);
 * 5. round trip: plaintext the peer's compressor compressed comes out as it
 *    went in; every message accepted from raw octets, compressed again by
 *    wscheck (a second pair of endpoints, same agreement), comes back equal
 *    under a limit of exactly its length;
 * 6. the compressor keeps its side of §7.2.1: its output is DEFLATE ending at
 *    a block boundary, with no match distance beyond 2^w for the agreed w, and
 *    none into an earlier message under no context takeover (an independent
 *    decoder, test/codec/deflate/support/deflate-distances.ts, measures).
 *
 * The engine is a parameter so that a test can plant a bug in it.
 */
import { isUtf8 } from 'node:buffer';
import { type DecodeEvent, type DecoderOptions, type MessageEvent, decode, initialDecoderState } from '../../src/codec/decoder.js';
import { DEFLATE_TRAILER, type DeflateEngine, type PerMessageDeflate, createPerMessageDeflate } from '../../src/codec/deflate/index.js';
import { type FrameSpec, encodeFrames } from '../../src/codec/encode.js';
import type { ExtensionDecodeResult, MessageExtension } from '../../src/codec/extension.js';
import { nodeDeflateEngine } from '../../src/harness/deflate-node.js';
import { traceDeflate } from '../../test/codec/deflate/support/deflate-distances.js';
import { CountingEngine } from '../support/counting-engine.js';
import { type DeflateMessageSpec, type DeflateSetup, cutOffsets, readDeflateSetup } from '../support/deflate-setup.js';
import { ReferenceInflater, windowOf } from '../support/inflate-reference.js';
import { runQueuedTicks } from '../support/queued-ticks.js';
import { FuzzFinding, check, concat, equalBytes, hex } from '../support/input.js';

/** A client's frames are masked (RFC 6455 §5.3); the key changes nothing here. */
const MASK_KEY = 0x37fa213d;
/** Compressor output is traced with the (slow) independent decoder up to this many plaintext octets. */
const TRACE_LIMIT = 65536;
/**
 * Window octets the independent decoder gets first. It copies its history
 * into an array on every call, which cost more than all the rest of the target
 * when many short messages follow a long one; only when a match reaches
 * further back (or the data fails) is the message decoded again with the
 * whole window. Whenever the short decode succeeds the long one gives the
 * same octets and distances, since every match it resolved lies inside both.
 */
const SHORT_HISTORY = 1024;

/** One message as it went on the wire. */
interface Sent {
  readonly spec: DeflateMessageSpec;
  readonly opcode: 1 | 2;
  /** RSV1 on its first frame. */
  readonly compressed: boolean;
  /** The frames' payloads joined. */
  readonly payload: Uint8Array;
  readonly frames: readonly FrameSpec[];
  /** Plain mode: what the peer's application sent. */
  readonly plaintext: Uint8Array | null;
}

/** One call of the extension by the decoder, with what the engine produced during it. */
interface ExtensionCall {
  readonly payload: Uint8Array;
  readonly maxLength: number;
  readonly result: ExtensionDecodeResult;
  readonly produced: number;
}

/** The compressor's side of one direction: its limits and the plaintext window it may refer to. */
class CompressorCheck {
  private history: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly windowBits: number,
    private readonly noContextTakeover: boolean,
  ) {}

  /** Property 6 for one compressed message. */
  check(payload: Uint8Array, plaintext: Uint8Array): void {
    const before = this.noContextTakeover ? new Uint8Array(0) : this.history;
    if (!this.noContextTakeover) this.history = windowOf(this.history, plaintext);
    if (plaintext.length > TRACE_LIMIT) return;
    let trace: ReturnType<typeof traceDeflate>;
    try {
      trace = traceWithin(concat([payload, DEFLATE_TRAILER]), before);
    } catch (e) {
      const from = this.noContextTakeover ? 'an empty window (no context takeover)' : `its ${before.length}-octet window`;
      throw new FuzzFinding('compressor-window', `the compressor's ${payload.length} octets for a ${plaintext.length}-octet message (${hex(payload)}) do not decode from ${from}: ${e instanceof Error ? e.message : String(e)}`);
    }
    check(equalBytes(trace.output, plaintext), 'compressor-output', () => `the compressor's output ${hex(payload)} decodes to ${hex(trace.output)}, not ${hex(plaintext)}`);
    check(trace.maxDistance <= 2 ** this.windowBits, 'compressor-window', () => `the compressor used a match distance of ${trace.maxDistance} octets with ${this.windowBits} window bits agreed (at most ${2 ** this.windowBits}, RFC 7692 §7.2.1)`);
  }
}

function traceWithin(data: Uint8Array, history: Uint8Array): ReturnType<typeof traceDeflate> {
  if (history.length > SHORT_HISTORY) {
    try {
      return traceDeflate(data, history.subarray(history.length - SHORT_HISTORY));
    } catch {
      // A match reaches further back, or the data is bad: the whole window decides.
    }
  }
  return traceDeflate(data, history);
}

/** The frames of one message: cut where the spec says, RSV1 where it says. */
function framesOf(spec: DeflateMessageSpec, opcode: 1 | 2, compressed: boolean, payload: Uint8Array, role: 'server' | 'client'): FrameSpec[] {
  const bounds = [0, ...cutOffsets(spec.cuts, payload.length), payload.length];
  const maskKey = role === 'server' ? MASK_KEY : null;
  const frames: FrameSpec[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const rsv = (k === 0 && compressed) || (k === 1 && spec.rsvOnContinuation) ? 4 : 0;
    frames.push({ fin: k + 2 === bounds.length, rsv, opcode: k === 0 ? opcode : 0, maskKey, payload: payload.subarray(bounds[k]!, bounds[k + 1]!) });
  }
  return frames;
}

/** The failure the frame decoder must report before the message reaches the extension, if any. */
function framingFailure(m: Sent, limit: number): { kind: string; code: number; why: string } | null {
  let total = 0;
  for (let k = 0; k < m.frames.length; k++) {
    if (k === 1 && m.spec.rsvOnContinuation) return { kind: 'reserved-rsv', code: 1002, why: 'RSV1 on a continuation frame (RFC 7692 §6.1)' };
    total += m.frames[k]!.payload!.length;
    if (total > limit) return { kind: 'message-too-big', code: 1009, why: `${total} octets of payload by frame ${k}, limit ${limit}` };
  }
  return null;
}

/** Property 5 for raw-mode messages: compress what was accepted again and decompress it with a second receiver. */
class RoundTrip {
  private readonly sender: PerMessageDeflate;
  private readonly receiver: PerMessageDeflate;

  constructor(
    s: DeflateSetup,
    engine: DeflateEngine,
    private readonly compressor: CompressorCheck,
  ) {
    this.sender = createPerMessageDeflate({ role: s.role === 'server' ? 'client' : 'server', params: s.params, engine, level: s.level });
    this.receiver = createPerMessageDeflate({ role: s.role, params: s.params, engine });
  }

  check(data: Uint8Array, opcode: 1 | 2): void {
    const { payload, rsv } = this.sender.encodeMessage(data, opcode);
    this.compressor.check(payload, data);
    const back = this.receiver.decodeMessage(payload, rsv, data.length);
    check(back.ok && equalBytes(back.data, data), 'round-trip', () => `${data.length} octets (${hex(data)}) compressed to ${hex(payload)} came back as ${back.ok ? hex(back.data) : `a refusal: ${back.reason}`}`);
  }

  close(): void {
    this.sender.close();
    this.receiver.close();
  }
}

/** Run every property on one input. Throws a FuzzFinding (or whatever the code under test threw) on a bug. */
export function checkDeflate(data: Uint8Array, engine: DeflateEngine = nodeDeflateEngine): void {
  const s = readDeflateSetup(data);
  const server = s.role === 'server';
  // The agreement read independently of the extension: what binds the peer's compressor, and which window the receiver keeps.
  const peerNoContextTakeover = server ? s.params.clientNoContextTakeover : s.params.serverNoContextTakeover;
  const peerWindowBits = (server ? s.params.clientMaxWindowBits : s.params.serverMaxWindowBits) ?? 15;
  const keepsWindow = !peerNoContextTakeover || s.keepWindow;

  const counting = new CountingEngine(engine);
  const receiver = createPerMessageDeflate({ role: s.role, params: s.params, engine: counting, invalidDataCode: s.invalidDataCode, emptyWindowWhenPeerResets: !s.keepWindow });
  const sender = s.plain ? createPerMessageDeflate({ role: server ? 'client' : 'server', params: s.params, engine, level: s.level }) : null;
  const compressor = new CompressorCheck(peerWindowBits, peerNoContextTakeover);
  let roundTrip: RoundTrip | null = null;
  try {
    const sent: Sent[] = s.messages.map((spec) => {
      const opcode = spec.text ? 1 : 2;
      let payload = spec.payload;
      let compressed = spec.compressed;
      if (sender !== null && spec.compressed) {
        const out = sender.encodeMessage(spec.payload, opcode);
        compressor.check(out.payload, spec.payload);
        payload = out.payload;
        compressed = out.rsv === 4;
      }
      const frames = framesOf(spec, opcode, compressed, payload, s.role);
      return { spec, opcode, compressed, payload, frames, plaintext: sender !== null ? spec.payload : null };
    });

    // The extension as the decoder sees it, with every call written down.
    const calls: ExtensionCall[] = [];
    const watched: MessageExtension = {
      name: receiver.name,
      rsvBits: receiver.rsvBits,
      decodeMessage(payload, rsv, maxLength) {
        counting.take();
        const result = receiver.decodeMessage(payload, rsv, maxLength);
        calls.push({ payload: payload.slice(), maxLength, result, produced: counting.take() });
        return result;
      },
      encodeMessage: (d, o) => receiver.encodeMessage(d, o),
    };
    const options: DecoderOptions = { role: s.role, extensions: [watched], emitFrames: false, maxMessagePayload: s.limit, utf8: 'message-end' };
    const events = decode(initialDecoderState(), encodeFrames(sent.flatMap((m) => m.frames)), options).events;
    judge(s, sent, events, calls, new ReferenceInflater(keepsWindow), () => (roundTrip ??= new RoundTrip(s, engine, compressor)));
  } finally {
    receiver.close();
    sender?.close();
    (roundTrip as RoundTrip | null)?.close();
  }
}

function describeCall(c: ExtensionCall): string {
  return c.result.ok ? `delivered ${c.result.data.length} octets (${hex(c.result.data)})` : `refused with ${c.result.code ?? '(no code)'}: ${c.result.reason}`;
}

/** Properties 2-5: the decoder's events and the extension's calls against what each message must give. */
function judge(s: DeflateSetup, sent: readonly Sent[], events: readonly DecodeEvent[], calls: readonly ExtensionCall[], reference: ReferenceInflater, roundTrip: () => RoundTrip): void {
  const messages = events.filter((e): e is MessageEvent => e.type === 'message');
  const violations = events.flatMap((e) => (e.type === 'violation' ? [e.violation] : []));
  let delivered = 0;
  let call = 0;
  const failsHere = (i: number, kind: string, codes: readonly number[], why: string): void => {
    const v = violations[0];
    check(delivered === messages.length, 'deliveries', () => `message ${i} must fail the connection (${why}), yet ${messages.length - delivered} more message(s) were delivered`);
    check(v !== undefined && v.kind === kind && codes.includes(v.code), 'close-code', () => `message ${i} must fail the connection with ${kind} ${codes.join(' or ')} (${why}); the decoder reported ${v === undefined ? 'nothing' : `${v.kind} ${v.code}: ${v.reason}`}`);
  };

  for (let i = 0; i < sent.length; i++) {
    const m = sent[i]!;
    const framing = framingFailure(m, s.limit);
    if (framing !== null) return failsHere(i, framing.kind, [framing.code], framing.why);
    let data = m.payload;
    if (m.compressed) {
      const c = calls[call++];
      check(c !== undefined && equalBytes(c.payload, m.payload) && c.maxLength === s.limit, 'extension-call', () => `message ${i}: the extension was ${c === undefined ? 'not called' : `called with ${hex(c.payload)} and limit ${c.maxLength}`}; expected ${hex(m.payload)} and ${s.limit}`);
      check(c.produced <= s.limit + 1, 'bomb-bound', () => `message ${i}: the engine produced ${c.produced} octets for a message limited to ${s.limit}`);
      const expected = reference.message(m.payload, s.limit);
      if (!c.result.ok) {
        const code = c.result.code;
        if (code === 1009) {
          check(c.produced === s.limit + 1, 'bomb-bound', () => `message ${i}: refused as too big after ${c.produced} octets; a bomb stops at limit + 1 = ${s.limit + 1}`);
          check(expected.kind === 'refused' && expected.tooBig(), 'limit', () => `message ${i} (${hex(m.payload)}): ${describeCall(c)}; but it decompresses to ${expected.kind === 'data' ? `${expected.data.length} octets` : 'no more than the limit before it turns invalid'}, limit ${s.limit}`);
        } else {
          check(code === s.invalidDataCode, 'close-code', () => `message ${i}: ${describeCall(c)}; invalid data must fail with ${s.invalidDataCode}, the code the extension was given`);
          check(expected.kind === 'refused' && expected.invalid() !== null, 'inflate-diff', () => `message ${i} (${hex(m.payload)}): ${describeCall(c)}; zlib decompresses it to ${expected.kind === 'data' ? hex(expected.data) : 'more than the limit'}${keepsNote(reference)}`);
        }
        return failsHere(i, 'extension-error', [code ?? -1], c.result.reason);
      }
      const got = c.result.data;
      check(got.length <= s.limit, 'limit', () => `message ${i}: the extension delivered ${got.length} octets under a limit of ${s.limit}`);
      check(c.produced === got.length, 'bomb-bound', () => `message ${i}: the engine produced ${c.produced} octets for ${got.length} delivered`);
      if (expected.kind === 'refused') {
        const reason = expected.invalid();
        const window = reason !== null && /too far back/.test(reason);
        check(false, window ? 'window' : 'inflate-diff', () => `message ${i} (${hex(m.payload)}): the extension delivered ${got.length} octets (${hex(got)}); it must be refused: ${reason ?? `it decompresses to more than ${s.limit} octets`}${keepsNote(reference)}`);
      }
      check(equalBytes(got, expected.data), 'inflate-diff', () => `message ${i} (${hex(m.payload)}): the extension delivered ${hex(got)}, zlib gives ${hex(expected.data)}${keepsNote(reference)}`);
      if (m.plaintext !== null) {
        check(equalBytes(got, m.plaintext), 'round-trip', () => `message ${i}: ${hex(m.plaintext!)} compressed by the peer to ${hex(m.payload)} came out as ${hex(got)}`);
      } else {
        roundTrip().check(got, m.opcode);
      }
      data = got;
    }
    if (m.opcode === 1 && !isUtf8(data)) return failsHere(i, 'invalid-utf8', [1007], 'a text message that is not UTF-8 (RFC 6455 §8.1)');
    const e = messages[delivered++];
    check(e !== undefined && e.opcode === m.opcode && equalBytes(e.payload, data), 'deliveries', () => `message ${i}: expected ${m.opcode === 1 ? 'text' : 'binary'} ${hex(data)}, the decoder delivered ${e === undefined ? 'nothing' : `${e.opcode === 1 ? 'text' : 'binary'} ${hex(e.payload)}`}${violations[0] ? ` (it reported ${violations[0].kind} ${violations[0].code}: ${violations[0].reason})` : ''}`);
  }
  check(delivered === messages.length && violations.length === 0, 'deliveries', () => `after the last message: ${messages.length - delivered} more deliveries, ${violations.map((v) => `${v.kind} ${v.code}: ${v.reason}`).join('; ') || 'no violation'}`);
  check(call === calls.length, 'extension-call', () => `the extension was called ${calls.length} times for ${call} compressed messages`);
}

function keepsNote(reference: ReferenceInflater): string {
  return reference.keepsWindow ? ' (window kept from message to message)' : ' (each message from an empty window)';
}

export function fuzz(data: Buffer): void {
  checkDeflate(data);
  // Destroyed zlib streams wait in the nextTick queue, which Jazzer.js's synchronous mode never reaches.
  runQueuedTicks();
}
