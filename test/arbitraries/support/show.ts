/**
 * Compact, stable text for generated values in snapshots: octets as hex (long
 * payloads as length, head and a hash), bigints as decimal strings.
 */
import { opcodeName } from '../../../src/codec/opcode.js';
import type { FrameDescription, Step } from '../../../src/model/scenario.js';

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Octets as `hex` when short, else `<n octets: head… #hash>`. */
export function showBytes(bytes: Uint8Array): string {
  return bytes.length <= 24 ? `0x${hex(bytes)}` : `<${bytes.length} octets: ${hex(bytes.subarray(0, 8))}… #${fnv1a(bytes)}>`;
}

/** A plain-data copy of `value` with octets and bigints made printable. */
export function show(value: unknown): unknown {
  if (value instanceof Uint8Array) return showBytes(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(show);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, show(v)]));
  }
  return value;
}

/** One frame on one line: `text fin=0 rsv=4 0x6869`. */
export function showFrame(f: FrameDescription): string {
  const parts = [opcodeName(f.opcode)];
  if (f.fin === false) parts.push('fin=0');
  if (f.rsv !== undefined && f.rsv !== 0) parts.push(`rsv=${f.rsv}`);
  if (f.maskKey !== undefined) parts.push(`mask=${f.maskKey === null ? 'none' : f.maskKey}`);
  if (f.lengthEncoding !== undefined) parts.push(`len${f.lengthEncoding}`);
  if (f.declaredLength !== undefined) parts.push(`declared=${f.declaredLength}`);
  parts.push(showBytes(f.payload));
  return parts.join(' ');
}

/** One step on one line (continuations nest). */
export function showStep(s: Step): string {
  switch (s.kind) {
    case 'frame':
      return `frame(${showFrame(s)}${s.chop != null ? ` chop=${s.chop}` : ''}${s.sync ? ' sync' : ''})`;
    case 'stream':
      return `stream(${s.frames.map(showFrame).join('; ')} | cuts ${s.cuts.join(',')})`;
    case 'message':
      return `message(${s.binary ? 'binary' : 'text'} ${showBytes(s.payload)} fragmentSize=${s.fragmentSize ?? 0}${s.sync ? ' sync' : ''})`;
    case 'close':
      return `close(${s.code}${s.reason !== undefined ? ` ${showBytes(s.reason)}` : ''})`;
    case 'close-raw':
      return `close-raw(${showBytes(s.payload)})`;
    case 'kill-after':
    case 'close-after':
      return `${s.kind}(${s.seconds})`;
    case 'continue-later':
      return `after ${s.seconds}s [${s.steps.map(showStep).join(', ')}]`;
    case 'wirelog':
      return `wirelog(${s.enabled})`;
    default:
      return `${s.kind}(…)`;
  }
}
