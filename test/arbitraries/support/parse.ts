/**
 * An independent reading of an encoded stream, octet by octet from the wire
 * format of RFC 6455 §5.2 (not through the arbitraries' own layout code), to
 * say where cuts fell.
 */

export interface ParsedFrame {
  readonly start: number;
  readonly ext: readonly [number, number];
  readonly key: readonly [number, number];
  readonly payloadStart: number;
  readonly end: number;
  /** Unmasked payload octets present in the stream. */
  readonly payload: Uint8Array;
  readonly text: boolean;
}

export function parseStream(stream: Uint8Array): ParsedFrame[] {
  const frames: ParsedFrame[] = [];
  let at = 0;
  let openText: boolean | null = null;
  while (at + 2 <= stream.length) {
    const b0 = stream[at]!;
    const b1 = stream[at + 1]!;
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    const extLen = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    let length = len7;
    if (extLen === 2) length = (stream[at + 2]! << 8) | stream[at + 3]!;
    if (extLen === 8) {
      length = 0;
      for (let k = 0; k < 8; k++) length = length * 256 + stream[at + 2 + k]!;
    }
    const masked = (b1 & 0x80) !== 0;
    const keyStart = at + 2 + extLen;
    const payloadStart = keyStart + (masked ? 4 : 0);
    const end = Math.min(stream.length, payloadStart + length);
    const payload = stream.slice(payloadStart, end);
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= stream[keyStart + (i % 4)]!;
    let text = false;
    if (opcode === 1 || opcode === 2) {
      text = opcode === 1;
      openText = fin ? null : text;
    } else if (opcode === 0) {
      text = openText === true;
      if (fin) openText = null;
    }
    frames.push({ start: at, ext: [at + 2, at + 2 + extLen], key: [keyStart, masked ? keyStart + 4 : keyStart], payloadStart, end, payload, text });
    at = end;
  }
  return frames;
}

export type CutPlace = 'frame-boundary' | 'header' | 'extended-length' | 'mask-key' | 'payload' | 'character';

/** Where each cut falls. */
export function placesOf(frames: readonly ParsedFrame[], cut: number): CutPlace[] {
  const out: CutPlace[] = [];
  for (const f of frames) {
    if (cut === f.start && cut > 0) out.push('frame-boundary');
    if (cut <= f.start || cut >= f.end) continue;
    if (cut < f.payloadStart) out.push('header');
    if (cut > f.ext[0] && cut < f.ext[1]) out.push('extended-length');
    if (cut > f.key[0] && cut < f.key[1]) out.push('mask-key');
    if (cut > f.payloadStart) {
      out.push('payload');
      const octet = f.payload[cut - f.payloadStart];
      if (f.text && octet !== undefined && (octet & 0xc0) === 0x80) out.push('character');
    }
  }
  return out;
}

/** Most whole frames inside one piece of the stream cut at `cuts`. */
export function mostFramesInOnePiece(frames: readonly ParsedFrame[], length: number, cuts: readonly number[]): number {
  const bounds = [0, ...cuts, length];
  let most = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const [a, b] = [bounds[k]!, bounds[k + 1]!];
    most = Math.max(most, frames.filter((f) => f.start >= a && f.end <= b).length);
  }
  return most;
}
