import { platformCompare } from './platform.js';

/** Octet sequences joined end to end, in one allocation. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Below this many octets a loop costs less than a call into the platform's comparison. */
const NATIVE_COMPARE_MIN = 64;

/** Are the two octet sequences the same? */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  if (a.length >= NATIVE_COMPARE_MIN && platformCompare !== null) return platformCompare(a, b) === 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `bytes` itself when it is at least half of its buffer, else a copy: a
 * decoder may hand out views of a socket's read, and a kept view keeps the
 * whole read alive. A view of most of its buffer (a payload behind its frame
 * header) costs little to keep and a copy to drop.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength * 2 >= bytes.buffer.byteLength ? bytes : Uint8Array.prototype.slice.call(bytes);
}
