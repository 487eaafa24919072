/**
 * Frames the tester sends in the same TCP write as its opening handshake
 * (a request's, or a 101's): encoded by the tester's own endpoint, as the
 * frames of its steps are, before that endpoint has a connection to run on.
 */
import { concatBytes } from '../codec/bytes.js';
import { initialEndpointState, step } from './endpoint.js';
import type { FrameDescription } from './scenario.js';
import { testerEndpointConfig } from './simulate.js';
import type { Role, SentFrame } from './types.js';

export interface PipelinedFrames {
  readonly bytes: Uint8Array;
  /** The frames as sent (masking keys included), in order, for wire logs and the causes of what the peer does. */
  readonly sent: readonly SentFrame[];
}

/** Encode `frames` as the tester in `testerRole` sends them; `maskSeed` seeds a client's masking keys. */
export function encodePipelined(frames: readonly FrameDescription[], testerRole: Role, maskSeed: number): PipelinedFrames {
  let state = initialEndpointState(testerEndpointConfig(testerRole, maskSeed), { open: true });
  const parts: Uint8Array[] = [];
  const sent: SentFrame[] = [];
  for (const f of frames) {
    const r = step(state, {
      type: 'send-frame',
      frame: {
        opcode: f.opcode,
        fin: f.fin ?? true,
        rsv: f.rsv ?? 0,
        payload: f.payload,
        maskKey: f.maskKey === undefined ? 'auto' : f.maskKey,
        ...(f.lengthEncoding !== undefined ? { lengthEncoding: f.lengthEncoding } : {}),
        ...(f.declaredLength !== undefined ? { declaredLength: f.declaredLength } : {}),
      },
    });
    state = r.state;
    for (const o of r.outputs) {
      if (o.type !== 'write') continue;
      parts.push(o.data);
      if (o.frame !== null) sent.push(o.frame);
    }
  }
  return { bytes: concatBytes(parts), sent };
}
