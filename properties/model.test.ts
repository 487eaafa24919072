/**
 * Invariants of the endpoint reducer under random inputs: what it writes obeys
 * RFC 6455 whatever the peer sends and whatever the application asks, and the
 * reducer is pure and deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecoderOptions, decode, initialDecoderState } from '../src/codec/decoder.js';
import { encodeClosePayload } from '../src/codec/close.js';
import { encodeFrames } from '../src/codec/encode.js';
import { Opcode } from '../src/codec/opcode.js';
import { initialEndpointState, step } from '../src/model/endpoint.js';
import type { EndpointConfig, EndpointInput, EndpointOutput, EndpointState } from '../src/model/types.js';
import { brokenFrame, chop, chopping, conversation, maskKeys, maskedFor } from './support/streams.js';

const SEED = 0x1455;

type Role = 'client' | 'server';

const config = (role: Role): fc.Arbitrary<EndpointConfig> =>
  fc.record({
    failBy: fc.constantFrom('close-then-drop', 'close-then-wait', 'drop'),
    closeReply: fc.constantFrom('echo-code', 'normal'),
    app: fc.constantFrom('echo', 'none'),
    echoTiming: fc.constantFrom('inline', 'after-read'),
    pongWhileClosing: fc.boolean(),
    utf8: fc.constantFrom('fail-fast', 'message-end'),
  }).map((c) => ({
    role,
    failBy: c.failBy,
    closeReply: c.closeReply,
    app: c.app,
    echoTiming: c.echoTiming,
    pongWhileClosing: c.pongWhileClosing,
    maskSeed: 7,
    decoder: { utf8: c.utf8, maxFramePayload: 1 << 20, maxMessagePayload: 1 << 20 },
  }) as EndpointConfig);

/** What the peer sends: valid traffic, maybe a Close (valid or not), maybe a broken frame, cut anyhow. */
const peerBytes = (role: Role): fc.Arbitrary<Uint8Array[]> =>
  fc
    .tuple(
      conversation,
      fc.option(fc.constantFrom(encodeClosePayload(1000), encodeClosePayload(null), encodeClosePayload(4000, 'bye'), encodeClosePayload(1005), new Uint8Array([3])), { freq: 2 }),
      fc.option(brokenFrame(role), { freq: 4 }),
      conversation,
      maskKeys,
      chopping,
    )
    .map(([first, close, broken, after, keys, sizes]) => {
      const frames = [...maskedFor(role, first.frames, keys)];
      if (close !== null) frames.push(...maskedFor(role, [{ opcode: Opcode.Close, payload: close }], keys));
      if (broken !== null) frames.push(...maskedFor(role, broken.before, keys), broken.fixedMask ? broken.frame : maskedFor(role, [broken.frame], keys)[0]!);
      frames.push(...maskedFor(role, after.frames, keys));
      return chop(encodeFrames(frames), sizes);
    });

const appInput: fc.Arbitrary<EndpointInput> = fc.oneof(
  fc.record({ opcode: fc.constantFrom(1 as const, 2 as const), n: fc.nat({ max: 300 }), fragmentSize: fc.nat({ max: 100 }) }).map(
    (r) => ({ type: 'send-message' as const, opcode: r.opcode, payload: new Uint8Array(r.n).fill(0x61), fragmentSize: r.fragmentSize }),
  ),
  fc.constantFrom<EndpointInput>(
    { type: 'close', code: 1000 },
    { type: 'close', code: null },
    { type: 'fail', code: 1001 },
    { type: 'drop' },
    { type: 'tcp-end' },
    { type: 'timer', timer: 'close-handshake' },
    { type: 'timer', timer: 'server-drop' },
  ),
);

const scenario = (role: Role) =>
  fc.tuple(config(role), peerBytes(role), fc.array(fc.tuple(fc.nat(), appInput), { maxLength: 4 })).map(([cfg, chunks, apps]) => {
    const inputs: EndpointInput[] = chunks.map((data) => ({ type: 'receive' as const, data }));
    for (const [at, input] of apps) inputs.splice(at % (inputs.length + 1), 0, input);
    return { cfg, inputs };
  });

function run(cfg: EndpointConfig, inputs: readonly EndpointInput[]): { outputs: EndpointOutput[][]; states: EndpointState[] } {
  let s = initialEndpointState(cfg, { open: true });
  const outputs: EndpointOutput[][] = [];
  const states = [s];
  for (const i of inputs) {
    const r = step(s, i);
    outputs.push([...r.outputs]);
    s = r.state;
    states.push(s);
  }
  return { outputs, states };
}

/** Decode what the endpoint wrote, as its peer would (lenient about masking so a wrong mask is visible). */
function written(role: Role, outputs: readonly EndpointOutput[][]) {
  const options: DecoderOptions = { role: role === 'server' ? 'client' : 'server', acceptAnyMasking: true, validateClose: false, utf8: 'off', maxFramePayload: 1 << 20, maxMessagePayload: 1 << 20 };
  let state = initialDecoderState();
  const frames: { step: number; opcode: number; masked: boolean; payload: Uint8Array }[] = [];
  outputs.forEach((outs, k) => {
    for (const o of outs) {
      if (o.type !== 'write') continue;
      const r = decode(state, o.data, options);
      state = r.state;
      for (const e of r.events) if (e.type === 'frame') frames.push({ step: k, opcode: e.frame.opcode, masked: e.frame.maskKey !== null, payload: e.frame.payload });
    }
  });
  return frames;
}

for (const role of ['server', 'client'] as const) {
  describe(`endpoint reducer as ${role}`, () => {
    it('never sends a data frame after its Close, nor a second Close, nor anything after closing TCP', () => {
      fc.assert(
        fc.property(scenario(role), ({ cfg, inputs }) => {
          const { outputs } = run(cfg, inputs);
          const frames = written(role, outputs);
          const closeAt = frames.findIndex((f) => f.opcode === Opcode.Close);
          if (closeAt >= 0) {
            expect(frames.slice(closeAt + 1).filter((f) => f.opcode <= Opcode.Binary)).toEqual([]);
            expect(frames.filter((f) => f.opcode === Opcode.Close)).toHaveLength(1);
          }
          const flat = outputs.flat();
          const tcpAt = flat.findIndex((o) => o.type === 'close-tcp');
          if (tcpAt >= 0) expect(flat.slice(tcpAt + 1).filter((o) => o.type === 'write')).toEqual([]);
          expect(flat.filter((o) => o.type === 'close-tcp').length).toBeLessThanOrEqual(1);
        }),
        { seed: SEED, numRuns: 250 },
      );
    });

    it(role === 'server' ? 'masks nothing it sends' : 'masks everything it sends', () => {
      fc.assert(
        fc.property(scenario(role), ({ cfg, inputs }) => {
          for (const f of written(role, run(cfg, inputs).outputs)) expect(f.masked).toBe(role === 'client');
        }),
        { seed: SEED, numRuns: 100 },
      );
    });

    it('answers each Ping with a Pong carrying its data, in order, and only Pings', () => {
      fc.assert(
        fc.property(scenario(role), ({ cfg, inputs }) => {
          const { outputs } = run(cfg, inputs);
          const pings = outputs.flat().flatMap((o) => (o.type === 'ping' ? [Array.from(o.payload)] : []));
          const pongs = written(role, outputs).flatMap((f) => (f.opcode === Opcode.Pong ? [Array.from(f.payload)] : []));
          // Every pong answers a ping, in order (pings after our Close may go unanswered).
          expect(pongs).toEqual(pings.slice(0, pongs.length));
        }),
        { seed: SEED, numRuns: 150 },
      );
    });

    if (role === 'server') {
      it('closes TCP as soon as the closing handshake is complete (RFC 6455 §7.1.1)', () => {
        fc.assert(
          fc.property(scenario(role), ({ cfg, inputs }) => {
            const { outputs, states } = run(cfg, inputs);
            states.forEach((s, k) => {
              if (k === 0) return;
              const sentClose = s.closing.localCloseCode !== null || written(role, outputs.slice(0, k)).some((f) => f.opcode === Opcode.Close);
              if (s.receivedClose && sentClose && s.failure === null) expect(s.tcp).not.toBe('open');
            });
          }),
          { seed: SEED, numRuns: 150 },
        );
      });
    }

    it('is pure and deterministic: stepping leaves the old state untouched and replays give the same outputs', () => {
      fc.assert(
        fc.property(scenario(role), ({ cfg, inputs }) => {
          const first = run(cfg, inputs);
          const snapshot = first.states.map((s) => JSON.stringify(s, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
          // Step every intermediate state again with its input: same outputs, and the stored states are unchanged.
          inputs.forEach((input, k) => {
            const again = step(first.states[k]!, input);
            expect(JSON.stringify(again.outputs, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v))).toBe(
              JSON.stringify(first.outputs[k], (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)),
            );
          });
          const after = first.states.map((s) => JSON.stringify(s, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
          expect(after).toEqual(snapshot);
        }),
        { seed: SEED, numRuns: 100 },
      );
    });
  });
}
