/**
 * Fuzz target `model`: the endpoint reducer (`step` in
 * src/model/endpoint.ts) driven by a sequence of inputs the fuzzer writes —
 * octets from the peer (opening handshake and frames), TCP end, timer
 * expiries and application requests — in either role, under any policy.
 *
 * Invariants, whatever the sequence:
 *
 * 1. `step` never throws, and is pure: stepping an earlier state again with
 *    the same input gives the same outputs and leaves that state unchanged;
 * 2. everything it writes after the opening handshake is a well-formed frame
 *    stream a conforming peer accepts (RFC 6455 §5), masked by a client and
 *    only by a client (§5.1, §5.3);
 * 3. no data frame after its own Close, at most one Close (§5.5.1), nothing
 *    written after it closed TCP, TCP closed at most once, one `closed`
 *    output and nothing after it;
 * 4. each Pong answers a Ping with its payload, in order (§5.5.2, §5.5.3);
 * 5. a server that has both sent and received a Close (and did not fail the
 *    connection) has closed TCP (§7.1.1);
 * 6. the ready state only moves forward (connecting, open, closing,
 *    closed); no timer is pending twice, none once TCP is closed; the
 *    handshake buffer stays within the head limit;
 * 7. delivered text messages are UTF-8.
 *
 * Input: two configuration octets, then operations (see `readOperation`).
 */
import { DEFAULT_MAX_HEAD_OCTETS } from '../../src/codec/handshake.js';
import { decode, initialDecoderState } from '../../src/codec/decoder.js';
import { initialEndpointState, step } from '../../src/model/endpoint.js';
import type { EndpointConfig, EndpointInput, EndpointOutput, EndpointState, ReadyState } from '../../src/model/types.js';
import { stateSnapshot } from '../support/events.js';
import { FuzzInput, check, equalBytes, hex } from '../support/input.js';

/** The key the client sends (the RFC's sample); seeds carry the matching 101 response. */
export const MODEL_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const LIMITS = [1 << 20, 125, 1000, 65535] as const;
const CLOSE_CODES = [1000, 1001, 1002, 1003, 1007, 1011, 3000, 4999, null] as const;
const ORDER: Record<ReadyState, number> = { connecting: 0, open: 1, closing: 2, closed: 3 };

export function readConfig(input: FuzzInput): { config: EndpointConfig; open: boolean; pureAt: number } {
  const a = input.byte();
  const b = input.byte();
  const config: EndpointConfig = {
    role: (a & 1) === 0 ? 'server' : 'client',
    failBy: (['close-then-drop', 'close-then-wait', 'drop', 'close-then-drop'] as const)[(a >> 1) & 3],
    closeReply: (a & 8) === 0 ? 'echo-code' : 'normal',
    app: (a & 16) === 0 ? 'echo' : 'none',
    echoTiming: (a & 32) === 0 ? 'inline' : 'after-read',
    pongWhileClosing: (a & 64) === 0,
    maskSeed: 7,
    subprotocols: ['chat'],
    decoder: { utf8: (b & 1) === 0 ? 'fail-fast' : 'message-end', maxFramePayload: LIMITS[(b >> 1) & 3], maxMessagePayload: LIMITS[(b >> 1) & 3] },
  };
  return { config, open: (a & 0x80) !== 0, pureAt: b >> 3 };
}

/**
 * One operation: an octet whose low 4 bits say what (0-7 receive the next
 * `n` octets, n from the following octet; 8 TCP end; 9-11 a timer fires;
 * 12 send a message; 13 start the closing handshake; 14 fail; 15 connect or
 * drop) and whose high bits, with following octets, say how.
 */
export function readOperation(input: FuzzInput): EndpointInput | null {
  if (input.remaining === 0) return null;
  const op = input.byte();
  const kind = op & 0x0f;
  const high = op >> 4;
  // A copy, as a plain Uint8Array: how the decoder treats a caller's Buffer is the decoder target's business.
  if (kind < 8) return { type: 'receive', data: new Uint8Array(input.take(input.byte())) };
  switch (kind) {
    case 8:
      return { type: 'tcp-end' };
    case 9:
      return { type: 'timer', timer: 'close-handshake' };
    case 10:
      return { type: 'timer', timer: 'server-drop' };
    case 11:
      return { type: 'timer', timer: 'open-handshake' };
    case 12: {
      const n = input.byte();
      const payload = new Uint8Array(n).fill((high & 1) === 0 ? 0x61 : 0xfe);
      return { type: 'send-message', opcode: (high & 1) === 0 ? 1 : 2, payload, fragmentSize: input.byte() };
    }
    case 13:
      return { type: 'close', code: CLOSE_CODES[high % CLOSE_CODES.length]! };
    case 14:
      return { type: 'fail', code: (high & 1) === 0 ? 1001 : 1011 };
    default:
      return (high & 1) === 0 ? { type: 'connect', host: 'localhost', path: '/', key: MODEL_KEY, protocols: ['chat'] } : { type: 'drop' };
  }
}

/** Outputs as comparable text (payloads in hex). */
function outputsText(outputs: readonly EndpointOutput[]): string {
  return JSON.stringify(outputs, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v, 1 << 20) : v));
}

/**
 * The state as comparable text. The decoder part by what it means (its
 * buffers are shared with later states, which write past what this one
 * holds: see src/codec/decoder.ts), the rest as it is.
 */
function stateText(s: EndpointState): string {
  return JSON.stringify({ ...s, decoder: stateSnapshot(s.decoder, 1 << 20) }, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v, 1 << 20) : v));
}

export function checkModel(data: Uint8Array): void {
  const input = new FuzzInput(data);
  const { config, open, pureAt } = readConfig(input);
  const client = config.role === 'client';
  let state = initialEndpointState(config, { open });
  const steps: { before: EndpointState; input: EndpointInput; outputs: readonly EndpointOutput[] }[] = [];
  let written = initialDecoderState();
  const peerOptions = { role: client ? ('server' as const) : ('client' as const), utf8: 'fail-fast' as const };
  let sentClose = false;
  let tcpClosed = false;
  let closedOutputs = 0;
  const pings: Uint8Array[] = [];
  const pongs: Uint8Array[] = [];
  let k = 0;
  let snapshot: string | null = null;
  for (let operation = readOperation(input); operation !== null; operation = readOperation(input), k++) {
    const before = state;
    if (k === pureAt) snapshot = stateText(before);
    const r = step(state, operation);
    steps.push({ before, input: operation, outputs: r.outputs });
    const at = `step ${k} (${operation.type})`;

    // 3: nothing after the connection is over.
    check(closedOutputs === 0 || r.outputs.length === 0, 'after-closed', () => `${at} outputs ${outputsText(r.outputs)} after the closed output`);
    for (const o of r.outputs) {
      if (o.type === 'write') {
        check(!tcpClosed, 'after-tcp-close', () => `${at} writes after closing TCP`);
        if (o.frame === null) continue;
        // 2: what it writes is well formed, for the peer's decoder.
        const d = decode(written, o.data, peerOptions);
        written = d.state;
        for (const e of d.events) {
          check(e.type !== 'violation', 'writes-valid-frames', () => `${at} writes ${hex(o.data)}, which its peer rejects: ${e.type === 'violation' ? e.violation.reason : ''}`);
          if (e.type !== 'frame') continue;
          const op = e.frame.opcode;
          check(!sentClose || op > 2, 'data-after-close', () => `${at} sends opcode ${op} after its Close`);
          check(!(sentClose && op === 8), 'second-close', () => `${at} sends a second Close`);
          if (op === 8) sentClose = true;
          if (op === 10) pongs.push(e.frame.payload);
        }
      } else if (o.type === 'close-tcp') {
        check(!tcpClosed, 'close-tcp-twice', () => `${at} closes TCP twice`);
        tcpClosed = true;
      } else if (o.type === 'closed') {
        closedOutputs++;
        check(closedOutputs === 1, 'closed-twice', () => `${at} reports closed twice`);
      } else if (o.type === 'ping') {
        pings.push(o.payload);
      } else if (o.type === 'message' && o.opcode === 1) {
        // 7.
        let text = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(o.payload);
        } catch {
          text = false;
        }
        check(text, 'text-is-utf8', () => `${at} delivers a text message that is not UTF-8: ${hex(o.payload)}`);
      }
    }
    state = r.state;
    // 6.
    check(ORDER[state.readyState] >= ORDER[before.readyState], 'ready-state', () => `${at} goes from ${before.readyState} back to ${state.readyState}`);
    check(new Set(state.timers).size === state.timers.length, 'timers', () => `${at} leaves timers ${state.timers.join(',')}`);
    check(state.tcp === 'open' || state.timers.length === 0, 'timers', () => `${at} leaves timers ${state.timers.join(',')} with TCP closed`);
    check(state.handshakeBuffer === null || state.handshakeBuffer.length <= DEFAULT_MAX_HEAD_OCTETS, 'handshake-buffer', () => `${at} buffers ${state.handshakeBuffer!.length} handshake octets`);
    // 5.
    if (!client && state.receivedClose && sentClose && state.failure === null) {
      check(state.tcp !== 'open', 'server-closes-tcp', () => `${at}: the closing handshake is complete and the server keeps TCP open`);
    }
  }
  // 2: masking.
  // (checked by the peer decoder above: a server's peer is a client decoder, which rejects masked frames, and vice versa)
  // 4.
  check(pongs.length <= pings.length && pongs.every((p, i) => equalBytes(p, pings[i]!)), 'pong-answers-ping', () => `pongs [${pongs.map((p) => hex(p)).join(' ')}] for pings [${pings.map((p) => hex(p)).join(' ')}]`);

  // 1: purity, at one step (the fuzzer picks which; the last one when there are fewer).
  if (steps.length > 0) {
    const at = pureAt < steps.length ? pureAt : steps.length - 1;
    const s = steps[at]!;
    const taken = snapshot ?? stateText(s.before);
    const again = step(s.before, s.input);
    check(outputsText(again.outputs) === outputsText(s.outputs), 'purity', () => `stepping the state before step ${at} again gives other outputs`);
    check(stateText(s.before) === taken, 'purity', () => `the state before step ${at} changed after it was stepped`);
  }
}

export function fuzz(data: Buffer): void {
  checkModel(data);
}
