/**
 * What the peer receives when the tester runs a scenario, computed with the
 * model's own driver and tester endpoint (no network): every write, in order,
 * cut as the scenario cuts it. Pauses are taken as if the connection stayed
 * open (their steps run in order); the peer's replies are not simulated.
 */
import { concatBytes } from '../../../src/codec/bytes.js';
import { encodeFrames } from '../../../src/codec/encode.js';
import type { FrameSpec } from '../../../src/codec/encode.js';
import { type DecodeEvent, type DecoderOptions, decode, initialDecoderState } from '../../../src/codec/decoder.js';
import { cutStream, driverStart } from '../../../src/model/driver.js';
import { initialEndpointState, step } from '../../../src/model/endpoint.js';
import type { FrameDescription, Scenario, Step } from '../../../src/model/scenario.js';
import { testerEndpointConfig } from '../../../src/model/simulate.js';
import type { EndpointState, Role } from '../../../src/model/types.js';

function flatten(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => (s.kind === 'continue-later' ? flatten(s.steps) : s.kind === 'kill-after' || s.kind === 'close-after' ? [] : [s]));
}

/** The chunks the peer of `peerRole` reads (one per tester write). */
export function wireChunks(scenario: Scenario, peerRole: Role): Uint8Array[] {
  const testerRole: Role = peerRole === 'server' ? 'client' : 'server';
  let tester: EndpointState = initialEndpointState(testerEndpointConfig(testerRole, 0x1234), { open: true });
  const chunks: Uint8Array[] = [];
  const writes = (outputs: ReturnType<typeof step>['outputs']): Uint8Array[] =>
    outputs.flatMap((o) => (o.type === 'write' ? [o.data] : []));
  for (const a of driverStart({ steps: flatten(scenario.steps) }).actions) {
    if (a.type === 'input') {
      const r = step(tester, a.input);
      tester = r.state;
      chunks.push(...writes(r.outputs));
    } else if (a.type === 'stream') {
      const parts: Uint8Array[] = [];
      for (const frame of a.frames) {
        const r = step(tester, { type: 'send-frame', frame });
        tester = r.state;
        parts.push(...writes(r.outputs));
      }
      chunks.push(...cutStream(concatBytes(parts), a.cuts));
    }
  }
  return chunks;
}

export { concatBytes as concat };

/** Decode chunks in order with the reference decoder. */
export function decodeChunks(chunks: readonly Uint8Array[], options: DecoderOptions): DecodeEvent[] {
  let state = initialDecoderState();
  const events: DecodeEvent[] = [];
  for (const c of chunks) {
    const r = decode(state, c, options);
    state = r.state;
    events.push(...r.events);
  }
  return events;
}

/** Frame descriptions as encoder specs for a tester facing a peer of `peerRole` (`auto` masks with `key`). */
export function specsFor(frames: readonly FrameDescription[], peerRole: Role, key = 0x37fa213d): FrameSpec[] {
  return frames.map((f) => {
    const m = f.maskKey === undefined ? 'auto' : f.maskKey;
    return {
      opcode: f.opcode,
      payload: f.payload,
      ...(f.fin !== undefined ? { fin: f.fin } : {}),
      ...(f.rsv !== undefined ? { rsv: f.rsv } : {}),
      maskKey: m === 'auto' ? (peerRole === 'server' ? key : null) : m === 'wrong' ? (peerRole === 'server' ? null : key) : m,
      ...(f.lengthEncoding !== undefined ? { lengthEncoding: f.lengthEncoding } : {}),
      ...(f.declaredLength !== undefined ? { declaredLength: f.declaredLength } : {}),
    };
  });
}

/** Encode frames as one stream written to a peer of `peerRole`. */
export function encodeFor(frames: readonly FrameDescription[], peerRole: Role): Uint8Array {
  return encodeFrames(specsFor(frames, peerRole));
}

/** The decoder options of a peer (reference limits large enough for every generated payload). */
export function peerDecoder(peerRole: Role): DecoderOptions {
  return { role: peerRole, maxFramePayload: 1 << 24, maxMessagePayload: 1 << 24 };
}
