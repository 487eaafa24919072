/**
 * Comparing and printing the reference decoder's events and states, for
 * findings that say exactly where two runs parted.
 */
import type { DecodeEvent, DecoderState } from '../../src/codec/decoder.js';
import { equalBytes, hex } from './input.js';

/** One line per event, payloads in hex (shortened). */
export function eventText(e: DecodeEvent): string {
  switch (e.type) {
    case 'frame': {
      const f = e.frame;
      const mask = f.maskKey === null ? 'unmasked' : `mask ${f.maskKey.toString(16).padStart(8, '0')}`;
      return `frame @${e.offset} fin=${f.fin ? 1 : 0} rsv=${f.rsv} opcode=${f.opcode} ${mask} len${e.lengthEncoding} payload=${hex(f.payload)}`;
    }
    case 'message':
      return `message opcode=${e.opcode} frames=${e.frames} rsv=${e.rsv} payload=${hex(e.payload)}`;
    case 'ping':
    case 'pong':
      return `${e.type} payload=${hex(e.payload)}`;
    case 'close':
      return `close code=${e.code} reason=${hex(e.reason)}`;
    case 'violation':
      return `violation ${e.violation.kind} code=${e.violation.code} @${e.violation.offset}: ${e.violation.reason}`;
  }
}

export function sameEvent(a: DecodeEvent, b: DecodeEvent): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'frame': {
      const x = a.frame;
      const y = (b as typeof a).frame;
      return (
        a.offset === (b as typeof a).offset &&
        a.lengthEncoding === (b as typeof a).lengthEncoding &&
        x.fin === y.fin &&
        x.rsv === y.rsv &&
        x.opcode === y.opcode &&
        x.maskKey === y.maskKey &&
        equalBytes(x.payload, y.payload)
      );
    }
    case 'message': {
      const y = b as typeof a;
      return a.opcode === y.opcode && a.frames === y.frames && a.rsv === y.rsv && equalBytes(a.payload, y.payload);
    }
    case 'ping':
    case 'pong':
      return equalBytes(a.payload, (b as typeof a).payload);
    case 'close': {
      const y = b as typeof a;
      return a.code === y.code && equalBytes(a.reason, y.reason) && equalBytes(a.payload, y.payload);
    }
    case 'violation': {
      const v = a.violation;
      const w = (b as typeof a).violation;
      return v.kind === w.kind && v.code === w.code && v.offset === w.offset && v.reason === w.reason && v.rule === w.rule;
    }
  }
}

/**
 * Index of the first event where the lists differ, or -1 when they are equal.
 * (A list that is a strict prefix of the other differs at its length.)
 */
export function firstDifference(a: readonly DecodeEvent[], b: readonly DecodeEvent[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!sameEvent(a[i]!, b[i]!)) return i;
  return a.length === b.length ? -1 : n;
}

/** "event k: <a> / <b>" for a finding message. */
export function describeDifference(a: readonly DecodeEvent[], b: readonly DecodeEvent[], labels: [string, string]): string {
  const k = firstDifference(a, b);
  const show = (list: readonly DecodeEvent[]) => (k < list.length ? eventText(list[k]!) : '(no more events)');
  return `event ${k}: ${labels[0]}: ${show(a)}; ${labels[1]}: ${show(b)} (${a.length} vs ${b.length} events)`;
}

/**
 * What a decoder state holds, as comparable text: the stream offset, the
 * failure, a partial header, the frame and message in progress with the
 * octets received so far, and the UTF-8 automaton; for a failed state, the
 * failure alone. Two runs over the same octets must end in states with the
 * same snapshot, however the octets were cut.
 */
export function stateSnapshot(s: DecoderState, max = 48): string {
  // A failed decoder ignores (and does not count) later octets.
  if (s.failure !== null) return `failure=${s.failure.kind}@${s.failure.offset} code=${s.failure.code} (${s.failure.reason})`;
  const parts = [`offset=${s.offset}`];
  if (s.partialHeader !== null) parts.push(`header=${hex(s.partialHeader, max)}`);
  if (s.frame !== null) {
    const f = s.frame;
    const received = f.payload === null ? new Uint8Array(0) : f.payload.subarray(0, f.filled);
    parts.push(`frame=@${f.offset} fin=${f.fin} rsv=${f.rsv} op=${f.opcode} mask=${f.maskKey} len=${f.length}/${f.lengthEncoding} got=${f.filled}:${hex(received, max)}`);
  }
  if (s.message !== null) {
    const m = s.message;
    const parts2: string[] = [];
    for (let k = 0; k < m.fragmentCount; k++) parts2.push(hex(m.fragments[k]!, max));
    parts.push(`message=op${m.opcode} rsv=${m.rsv} n=${m.fragmentCount} len=${m.length} [${parts2.join(',')}]`);
  }
  parts.push(`utf8=${s.utf8}`);
  return parts.join(' ');
}

/** `stateSnapshot(a) === stateSnapshot(b)`, without building the text. */
export function sameState(a: DecoderState, b: DecoderState): boolean {
  if ((a.failure === null) !== (b.failure === null)) return false;
  if (a.failure !== null) {
    const f = a.failure;
    const g = b.failure!;
    return f.kind === g.kind && f.offset === g.offset && f.code === g.code && f.reason === g.reason;
  }
  if (a.offset !== b.offset || a.utf8 !== b.utf8) return false;
  if ((a.partialHeader === null) !== (b.partialHeader === null)) return false;
  if (a.partialHeader !== null && !equalBytes(a.partialHeader, b.partialHeader!)) return false;
  if ((a.frame === null) !== (b.frame === null)) return false;
  if (a.frame !== null) {
    const f = a.frame;
    const g = b.frame!;
    if (f.offset !== g.offset || f.fin !== g.fin || f.rsv !== g.rsv || f.opcode !== g.opcode || f.maskKey !== g.maskKey) return false;
    if (f.length !== g.length || f.lengthEncoding !== g.lengthEncoding || f.filled !== g.filled) return false;
    const x = f.payload === null ? null : f.payload.subarray(0, f.filled);
    const y = g.payload === null ? null : g.payload.subarray(0, g.filled);
    if (!equalBytes(x ?? new Uint8Array(0), y ?? new Uint8Array(0))) return false;
  }
  if ((a.message === null) !== (b.message === null)) return false;
  if (a.message !== null) {
    const m = a.message;
    const o = b.message!;
    if (m.opcode !== o.opcode || m.rsv !== o.rsv || m.fragmentCount !== o.fragmentCount || m.length !== o.length) return false;
    for (let k = 0; k < m.fragmentCount; k++) if (!equalBytes(m.fragments[k]!, o.fragments[k]!)) return false;
  }
  return true;
}
