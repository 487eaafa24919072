/**
 * The first octets of a differential fuzz input (`ws-diff`, `driver-diff`):
 * the receiving role, the limit both implementations get, and how TCP cuts
 * the stream. Then the received stream.
 *
 * ```
 * octet 0    bit 0     role of the receiver: 0 server, 1 client
 *            bits 1-3  limit on a message (and a frame): DIFF_LIMITS[n]
 * octets 1-9 the chop plan (see `readChop`)
 * octets 10- the received stream
 * ```
 */
import { type ChopPlan, CHOP_OCTETS, FuzzInput, chopAt, cutPoints, encodeChop, readChop } from './input.js';

/** Limits both sides get (no 0: ws reads maxPayload 0 as "no limit"). */
export const DIFF_LIMITS = [8192, 1, 125, 126, 1000, 65535, 65536, 1 << 20] as const;

export const DIFF_SETUP_OCTETS = 1 + CHOP_OCTETS;

export interface DiffSetup {
  readonly role: 'server' | 'client';
  readonly limit: number;
  readonly chop: ChopPlan;
  readonly stream: Uint8Array;
  /** The stream cut into reads. */
  readonly chunks: Uint8Array[];
}

export function readDiffSetup(data: Uint8Array): DiffSetup {
  const input = new FuzzInput(data);
  const flags = input.byte();
  const chop = readChop(input);
  const stream = input.rest();
  return {
    role: (flags & 1) === 0 ? 'server' : 'client',
    limit: DIFF_LIMITS[(flags >> 1) & 7]!,
    chop,
    stream,
    chunks: chopAt(stream, cutPoints(chop, stream.length)),
  };
}

export function encodeDiffSetup(spec: { role?: 'server' | 'client'; limit?: number; chop?: ChopPlan }, stream: Uint8Array): Uint8Array {
  const out = new Uint8Array(DIFF_SETUP_OCTETS + stream.length);
  out[0] = (spec.role === 'client' ? 1 : 0) | ((spec.limit ?? 0) << 1);
  out.set(encodeChop(spec.chop ?? { cuts: [], every: null }), 1);
  out.set(stream, DIFF_SETUP_OCTETS);
  return out;
}
