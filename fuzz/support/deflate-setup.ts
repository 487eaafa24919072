/**
 * The input of the `deflate` fuzz target: what both ends agreed (RFC 7692
 * §7.1), the receiver's limit and options, then the messages its peer sends
 * — compressed octets as they go on the wire, or plaintext for the peer's
 * compressor — each split into frames at points the fuzzer picks.
 *
 * ```
 * octet 0  bit 0     role of the receiver: 0 server (its peer compresses under the client_* parameters), 1 client
 *          bit 1     server_no_context_takeover
 *          bit 2     client_no_context_takeover
 *          bit 3     the receiver keeps the peer's window even when the peer agreed not to take it over
 *                    (`emptyWindowWhenPeerResets: false`)
 *          bits 4-7  the message limit: DEFLATE_LIMITS[n]
 * octet 1  bits 0-3  server_max_window_bits: 8-15, absent for 0-7
 *          bits 4-7  client_max_window_bits, likewise
 * octet 2  bit 0     plain: messages carry plaintext that the peer's compressor (wscheck's own, under the same
 *                    agreement) compresses; otherwise the compressed octets themselves
 *          bits 1-2  the close code the extension is told to use for invalid data: INVALID_DATA_CODES[n]
 *          bits 3-7  compression level of the peer's compressor, n % 10
 * then messages, while octets remain (at most MAX_MESSAGES):
 *   octet            bit 0     RSV1, the "Per-Message Compressed" bit, on the first frame
 *                    bit 1     text (else binary)
 *                    bit 2     RSV1 on the second frame too (RFC 7692 §6.1 forbids it)
 *                    bits 3-5  how many cut points follow the length (0-7)
 *   2 octets         payload length, big-endian (cut to what is left)
 *   1 octet per cut  b cuts the frame payload at ⌊b·(n+1)/256⌋ of its n octets
 *   length octets    the payload
 * ```
 *
 * Reads past the end give zeros (fuzz/support/input.ts), so every input is
 * valid; three zero octets are a server under the default agreement, with a
 * 64 KiB limit, receiving no message.
 */
import type { DeflateParameters, WindowBits } from '../../src/codec/deflate/index.js';
import { FuzzInput } from './input.js';

/**
 * Limits on a message (compressed and decompressed): 64 KiB for zero octets;
 * nothing at all; a few octets; the frame length encodings' boundaries;
 * zlib's and the Node engine's buffer sizes (16 KiB chunks, the 32 KiB
 * window, the engine's 64 KiB first output buffer, ±1); 1 MiB.
 */
export const DEFLATE_LIMITS = [65536, 0, 1, 5, 125, 126, 256, 1000, 4095, 4096, 16384, 32768, 65535, 65537, 262144, 1 << 20] as const;

/** Close codes the extension may be told to fail invalid data with (1007 is its default, as ws's). */
export const INVALID_DATA_CODES = [1007, 1002, 1011, 1003] as const;

/** Messages read from one input; the rest of the input is ignored. */
export const MAX_MESSAGES = 64;

/** Largest number of cut points in one message (its frames: one more). */
export const MAX_CUTS = 7;

export const DEFLATE_SETUP_OCTETS = 3;

export interface DeflateMessageSpec {
  /** RSV1 on the first frame. In plain mode: compress the plaintext (else send it as it is). */
  readonly compressed: boolean;
  readonly text: boolean;
  /** RSV1 on the second frame as well (only when there is a second frame). */
  readonly rsvOnContinuation: boolean;
  /** Cut points as read (0-255 each), turned into offsets by {@link cutOffsets}. */
  readonly cuts: readonly number[];
  readonly payload: Uint8Array;
}

export interface DeflateSetup {
  readonly role: 'server' | 'client';
  readonly params: DeflateParameters;
  /** The receiver keeps the peer's window even when the peer agreed not to take it over. */
  readonly keepWindow: boolean;
  readonly limit: number;
  readonly plain: boolean;
  readonly invalidDataCode: number;
  readonly level: number;
  readonly messages: readonly DeflateMessageSpec[];
}

function windowBits(nibble: number): WindowBits | null {
  return nibble >= 8 ? (nibble as WindowBits) : null;
}

export function readDeflateSetup(data: Uint8Array): DeflateSetup {
  const input = new FuzzInput(data);
  const flags = input.byte();
  const bits = input.byte();
  const mode = input.byte();
  const messages: DeflateMessageSpec[] = [];
  while (input.remaining > 0 && messages.length < MAX_MESSAGES) {
    const head = input.byte();
    const declared = input.uint16();
    const cuts = Array.from(input.take((head >> 3) & 7));
    const payload = input.take(Math.min(declared, input.remaining));
    messages.push({ compressed: (head & 1) !== 0, text: (head & 2) !== 0, rsvOnContinuation: (head & 4) !== 0, cuts, payload });
  }
  return {
    role: (flags & 1) === 0 ? 'server' : 'client',
    params: {
      serverNoContextTakeover: (flags & 2) !== 0,
      clientNoContextTakeover: (flags & 4) !== 0,
      serverMaxWindowBits: windowBits(bits & 15),
      clientMaxWindowBits: windowBits(bits >> 4),
    },
    keepWindow: (flags & 8) !== 0,
    limit: DEFLATE_LIMITS[flags >> 4]!,
    plain: (mode & 1) !== 0,
    invalidDataCode: INVALID_DATA_CODES[(mode >> 1) & 3]!,
    level: (mode >> 3) % 10,
    messages,
  };
}

/** Sorted frame boundaries inside a payload of `length` octets (repeats allowed: empty frames). */
export function cutOffsets(cuts: readonly number[], length: number): number[] {
  return cuts.map((b) => Math.floor((b * (length + 1)) / 256)).sort((a, b) => a - b);
}

/** What a seed says; everything not given is as zero octets give it. */
export interface DeflateSetupSpec {
  readonly role?: 'server' | 'client';
  readonly params?: Partial<DeflateParameters>;
  readonly keepWindow?: boolean;
  /** An index into {@link DEFLATE_LIMITS}. */
  readonly limit?: number;
  readonly plain?: boolean;
  /** An index into {@link INVALID_DATA_CODES}. */
  readonly invalidDataCode?: number;
  readonly level?: number;
  readonly messages?: readonly {
    readonly compressed?: boolean;
    readonly text?: boolean;
    readonly rsvOnContinuation?: boolean;
    /** Cut points as octets (0-255); at most {@link MAX_CUTS}. */
    readonly cuts?: readonly number[];
    readonly payload: Uint8Array;
  }[];
}

/** The inverse of {@link readDeflateSetup}, for seeds and tests. Payloads longer than 65535 octets are cut. */
export function encodeDeflateSetup(spec: DeflateSetupSpec): Uint8Array {
  const p = spec.params ?? {};
  const out: number[] = [
    (spec.role === 'client' ? 1 : 0) | (p.serverNoContextTakeover ? 2 : 0) | (p.clientNoContextTakeover ? 4 : 0) | (spec.keepWindow ? 8 : 0) | ((spec.limit ?? 0) << 4),
    (p.serverMaxWindowBits ?? 0) | ((p.clientMaxWindowBits ?? 0) << 4),
    (spec.plain ? 1 : 0) | ((spec.invalidDataCode ?? 0) << 1) | ((spec.level ?? 0) << 3),
  ];
  for (const m of spec.messages ?? []) {
    const cuts = (m.cuts ?? []).slice(0, MAX_CUTS);
    const payload = m.payload.subarray(0, 0xffff);
    out.push((m.compressed ?? true ? 1 : 0) | (m.text ? 2 : 0) | (m.rsvOnContinuation ? 4 : 0) | (cuts.length << 3), payload.length >> 8, payload.length & 0xff, ...cuts);
    for (const b of payload) out.push(b);
  }
  return Uint8Array.from(out);
}
