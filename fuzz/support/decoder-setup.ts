/**
 * The first octets of a `decoder` fuzz input: which decoder options to run
 * with and how TCP cuts the stream. Seeds are written with
 * {@link encodeDecoderSetup}, so a corpus file reads as "setup, then wire
 * octets".
 *
 * ```
 * octet 0   bit 0     role of the receiver: 0 server (expects masked frames), 1 client
 *           bits 1-2  UTF-8 policy: 0 fail-fast, 1 message-end, 2 off, 3 fail-fast
 *           bits 3-5  frame limit: LIMITS[n]
 *           bit 6     message limit: 0 same as the frame limit, 1 four times it
 *           bit 7     reject non-minimal length encodings
 * octet 1   bit 0     close codes: 0 IANA registry, 1 RFC 6455 only
 *           bit 1     do not validate close bodies
 *           bit 2     accept any masking (observation mode)
 *           bit 3     no frame events (messages only)
 *           bits 4-5  extra runs: 0, 1 none; 2 also decode the stream in one read and
 *                     compare (chop invariance of the final state); 3 also step one
 *                     intermediate state twice (purity)
 *           bits 6-7  which intermediate state (modulo the number of reads)
 * octets 2-10  the chop plan (see `readChop`)
 * octets 11-   the received stream
 * ```
 */
import type { DecoderOptions, Utf8Policy } from '../../src/codec/decoder.js';
import { type ChopPlan, CHOP_OCTETS, FuzzInput, encodeChop, readChop } from './input.js';

/**
 * Frame limits the fuzzer chooses from: 8 KiB (index 0, what zero octets give;
 * above libFuzzer's input sizes, and a partial frame's buffer stays small),
 * the boundaries of the length encodings, and 1 MiB.
 */
export const LIMITS = [8192, 0, 1, 125, 126, 65535, 65536, 1 << 20] as const;

export const DECODER_SETUP_OCTETS = 2 + CHOP_OCTETS;

const POLICIES: readonly Utf8Policy[] = ['fail-fast', 'message-end', 'off', 'fail-fast'];

export interface DecoderSetup {
  readonly options: DecoderOptions;
  readonly chop: ChopPlan;
  /** Step the state before this read (modulo the number of reads) twice. */
  readonly branchAt: number | null;
  /** Compare with a one-read run. */
  readonly compareWhole: boolean;
  readonly stream: Uint8Array;
}

export function readDecoderSetup(data: Uint8Array): DecoderSetup {
  const input = new FuzzInput(data);
  const flags = input.byte();
  const more = input.byte();
  const chop = readChop(input);
  const frameLimit = LIMITS[(flags >> 3) & 7]!;
  const messageLimit = (flags & 0x40) !== 0 ? Math.min(frameLimit * 4, 2 ** 31 - 1) : frameLimit;
  const options: DecoderOptions = {
    role: (flags & 1) === 0 ? 'server' : 'client',
    utf8: POLICIES[(flags >> 1) & 3]!,
    maxFramePayload: frameLimit,
    maxMessagePayload: messageLimit,
    rejectNonMinimalLength: (flags & 0x80) !== 0,
    closeCodes: (more & 1) !== 0 ? 'rfc6455' : 'iana',
    validateClose: (more & 2) === 0,
    acceptAnyMasking: (more & 4) !== 0,
    emitFrames: (more & 8) === 0,
  };
  const extra = (more >> 4) & 3;
  return { options, chop, branchAt: extra === 3 ? more >> 6 : null, compareWhole: extra === 2, stream: input.rest() };
}

export interface DecoderSetupSpec {
  readonly role?: 'server' | 'client';
  readonly utf8?: 'fail-fast' | 'message-end' | 'off';
  /** Index into {@link LIMITS}. */
  readonly limit?: number;
  readonly messageLimitTimesFour?: boolean;
  readonly rejectNonMinimalLength?: boolean;
  readonly closeCodes?: 'iana' | 'rfc6455';
  readonly chop?: ChopPlan;
  readonly branchAt?: number;
  readonly compareWhole?: boolean;
}

/** A `decoder` input: setup octets for `spec`, then `stream`. */
export function encodeDecoderSetup(spec: DecoderSetupSpec, stream: Uint8Array): Uint8Array {
  const policy = spec.utf8 === 'message-end' ? 1 : spec.utf8 === 'off' ? 2 : 0;
  const flags =
    (spec.role === 'client' ? 1 : 0) |
    (policy << 1) |
    ((spec.limit ?? 0) << 3) |
    (spec.messageLimitTimesFour ? 0x40 : 0) |
    (spec.rejectNonMinimalLength ? 0x80 : 0);
  const extra = spec.branchAt !== undefined ? 3 : spec.compareWhole ? 2 : 0;
  const more = (spec.closeCodes === 'rfc6455' ? 1 : 0) | (extra << 4) | (((spec.branchAt ?? 0) & 3) << 6);
  const out = new Uint8Array(DECODER_SETUP_OCTETS + stream.length);
  out[0] = flags;
  out[1] = more;
  out.set(encodeChop(spec.chop ?? { cuts: [], every: null }), 2);
  out.set(stream, DECODER_SETUP_OCTETS);
  return out;
}
