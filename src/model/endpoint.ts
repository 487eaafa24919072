/**
 * The WebSocket endpoint as a reducer: `step(state, input) -> { state, outputs }`.
 *
 * Sans-I/O: octets, TCP end and timer expiry come in as inputs; octets to
 * write, delivered messages, timers to arm and TCP closure go out as outputs.
 * Replies the protocol requires (Pong, the Close reply) are outputs of the
 * same step. The same reducer is the reference peer in the oracle's
 * simulations and the tester's own endpoint in the harness.
 */
import { encodeClosePayload } from '../codec/close.js';
import { type DecoderOptions, decode, initialDecoderState } from '../codec/decoder.js';
import { encodeFrame } from '../codec/encode.js';
import { masked } from '../codec/mask.js';
import { latin1Decode } from '../codec/handshake.js';
import { fragmentLengths } from '../codec/fragment.js';
import { Opcode } from '../codec/opcode.js';
import type { ProtocolViolation } from '../codec/violation.js';
import { clientReceives, clientRequest, serverReceives } from './opening.js';
import { nextRandom } from './rng.js';
import type {
  ClosingFields,
  EndpointConfig,
  EndpointInput,
  EndpointOutput,
  EndpointState,
  OutgoingFrame,
  ReadyState,
  SentFrame,
  StepResult,
  TimerName,
} from './types.js';

export const INITIAL_CLOSING: ClosingFields = {
  closedByMe: false,
  failedByMe: false,
  droppedByMe: false,
  wasClean: false,
  wasNotCleanReason: null,
  wasServerConnectionDropTimeout: false,
  wasOpenHandshakeTimeout: false,
  wasCloseHandshakeTimeout: false,
  localCloseCode: null,
  localCloseReason: null,
  remoteCloseCode: null,
  remoteCloseReason: null,
};

/** Why an unclean end was unclean, in words for reports. */
export const NotCleanReason = {
  peerDropped: 'peer dropped the TCP connection without a closing handshake',
  closeTimeout: 'peer did not answer our Close frame in time',
  serverDropTimeout: 'server did not close the TCP connection after the closing handshake',
  openTimeout: 'opening handshake did not complete in time',
  failedByDrop: 'we failed the connection by closing TCP',
} as const;

/** A fresh endpoint. `open: true` starts after the opening handshake (for simulations that do not model it). */
export function initialEndpointState(config: EndpointConfig, options: { open?: boolean } = {}): EndpointState {
  return {
    config,
    readyState: options.open ? 'open' : 'connecting',
    tcp: 'open',
    decoder: initialDecoderState(),
    receivedClose: false,
    failure: null,
    rng: config.maskSeed ?? 0x2545f491,
    timers: [],
    closing: INITIAL_CLOSING,
    handshakeBuffer: null,
    offer: null,
    protocol: null,
    openFrame: null,
  };
}

const decoderOptionsCache = new WeakMap<EndpointConfig, DecoderOptions>();

/** The decoder options an endpoint uses for what it receives. */
export function decoderOptionsOf(config: EndpointConfig): DecoderOptions {
  let o = decoderOptionsCache.get(config);
  if (o === undefined) {
    o = { ...config.decoder, role: config.role, emitFrames: config.reportFrames ?? true };
    decoderOptionsCache.set(config, o);
  }
  return o;
}

/** Mutable working copy of one step; never escapes `step`. */
interface Draft {
  readyState: ReadyState;
  tcp: EndpointState['tcp'];
  decoder: EndpointState['decoder'];
  receivedClose: boolean;
  failure: ProtocolViolation | null;
  rng: number;
  timers: TimerName[];
  closing: { -readonly [K in keyof ClosingFields]: ClosingFields[K] };
  handshakeBuffer: Uint8Array | null;
  offer: EndpointState['offer'];
  protocol: string | null;
  openFrame: EndpointState['openFrame'];
}

const textEncoder = new TextEncoder();

/** Advance the endpoint by one input. Pure: `state` is not modified. */
export function step(state: EndpointState, input: EndpointInput): StepResult {
  const config = state.config;
  const d: Draft = {
    readyState: state.readyState,
    tcp: state.tcp,
    decoder: state.decoder,
    receivedClose: state.receivedClose,
    failure: state.failure,
    rng: state.rng,
    timers: [...state.timers],
    closing: { ...state.closing },
    handshakeBuffer: state.handshakeBuffer,
    offer: state.offer,
    protocol: state.protocol,
    openFrame: state.openFrame,
  };
  const out: EndpointOutput[] = [];
  const server = config.role === 'server';

  const chooseMask = (requested: number | null | 'auto' | 'wrong' | undefined): number | null => {
    // §5.1: the masking a role must not use, sent on purpose.
    if (requested === 'wrong' && !server) return null;
    if (requested !== 'auto' && requested !== 'wrong' && requested !== undefined) return requested;
    if (server && requested !== 'wrong') return null;
    if (config.zeroMaskKeys) return 0;
    d.rng = nextRandom(d.rng);
    return d.rng;
  };

  const write = (frame: OutgoingFrame): void => {
    if (d.tcp !== 'open') return;
    const maskKey = chooseMask(frame.maskKey);
    const spec = { ...frame, maskKey };
    const sent: SentFrame = {
      fin: frame.fin ?? true,
      rsv: frame.rsv ?? 0,
      opcode: frame.opcode,
      maskKey,
      payload: frame.payload ?? new Uint8Array(0),
    };
    out.push({ type: 'write', data: encodeFrame(spec), frame: sent });
  };

  const setTimer = (timer: TimerName, seconds: number | null | undefined): void => {
    if (seconds === null || seconds === undefined) return;
    if (!d.timers.includes(timer)) d.timers.push(timer);
    out.push({ type: 'set-timer', timer, seconds });
  };

  const clearTimer = (timer: TimerName): void => {
    const k = d.timers.indexOf(timer);
    if (k < 0) return;
    d.timers.splice(k, 1);
    out.push({ type: 'clear-timer', timer });
  };

  const closeTcp = (): void => {
    if (d.tcp !== 'open') return;
    d.tcp = 'closed-by-me';
    d.closing.droppedByMe = true;
    d.readyState = 'closed';
    if (!d.closing.wasClean && d.closing.wasNotCleanReason === null) {
      d.closing.wasNotCleanReason = NotCleanReason.failedByDrop;
    }
    for (const t of [...d.timers]) clearTimer(t);
    out.push({ type: 'close-tcp' });
    out.push({ type: 'closed', closing: { ...d.closing } });
  };

  const sendClose = (body: Uint8Array, code: number | null, reason: Uint8Array | null): void => {
    write({ opcode: Opcode.Close, payload: body, maskKey: 'auto' });
    d.closing.localCloseCode = code;
    d.closing.localCloseReason = reason;
  };

  // Both Close frames have been exchanged: RFC 6455 §7.1.1, the server closes TCP
  // first; the client waits for that, but not forever (§7.1.1 lets it close after a while).
  const closingHandshakeDone = (): void => {
    d.readyState = 'closed';
    d.closing.wasClean = true;
    clearTimer('close-handshake');
    if (server) closeTcp();
    else setTimer('server-drop', config.serverDropTimeout === undefined ? 1 : config.serverDropTimeout);
  };

  // RFC 6455 §7.1.7 _Fail the WebSocket Connection_.
  const failConnection = (code: number, reason: string, cause: ProtocolViolation | null): void => {
    if (d.tcp !== 'open') return;
    d.closing.failedByMe = true;
    out.push({ type: 'failed', code, reason, violation: cause });
    const policy = config.failBy ?? 'close-then-drop';
    if (d.readyState === 'open' && policy !== 'drop') {
      const reasonBytes = config.failReasons === false ? new Uint8Array(0) : truncateReason(textEncoder.encode(reason));
      sendClose(encodeClosePayload(code, reasonBytes), code, reasonBytes.length > 0 ? reasonBytes : null);
      d.closing.closedByMe = true;
      d.readyState = 'closing';
      if (policy === 'close-then-drop') closeTcp();
      else setTimer('close-handshake', closeHandshakeTimeoutOf(config));
      return;
    }
    // Already closing (or dropping on purpose): nothing more to say, close TCP.
    closeTcp();
  };

  const onClose = (code: number | null, reason: Uint8Array): void => {
    d.receivedClose = true;
    d.closing.remoteCloseCode = code;
    d.closing.remoteCloseReason = code === null || reason.length === 0 ? null : reason;
    out.push({ type: 'close-received', code, reason });
    if (config.holdTcpOpen) {
      // Silent: no reply and no TCP close; 'closing' (not 'closed') so that the script's waits still run.
      if (d.readyState === 'closing') {
        d.closing.wasClean = true;
        clearTimer('close-handshake');
      }
      d.readyState = 'closing';
      return;
    }
    if (d.readyState === 'open') {
      // §5.5.1: "If an endpoint receives a Close frame and did not previously send a
      // Close frame, the endpoint MUST send a Close frame in response."
      const replyCode = (config.closeReply ?? 'echo-code') === 'normal' ? 1000 : code;
      sendClose(encodeClosePayload(replyCode), replyCode, null);
      closingHandshakeDone();
    } else if (d.readyState === 'closing') {
      closingHandshakeDone();
    }
  };

  const sendMessage = (opcode: 1 | 2, data: Uint8Array, fragmentSize: number | undefined): void => {
    let payload = data;
    let rsv = 0;
    for (const ext of config.decoder?.extensions ?? []) {
      const r = ext.encodeMessage(payload, opcode);
      payload = r.payload;
      rsv |= r.rsv;
    }
    const lengths = fragmentLengths(payload.length, fragmentSize ?? 0, config.fragmentTail ?? 'exact');
    let at = 0;
    lengths.forEach((n, k) => {
      write({
        opcode: k === 0 ? opcode : Opcode.Continuation,
        fin: k === lengths.length - 1,
        rsv: k === 0 ? rsv : 0,
        payload: payload.subarray(at, at + n),
        maskKey: 'auto',
      });
      at += n;
    });
  };

  const receive = (data: Uint8Array): void => {
    if (d.tcp !== 'open' || d.failure !== null || d.readyState === 'closed') return;
    const r = decode(d.decoder, data, decoderOptionsOf(config));
    d.decoder = r.state;
    const afterRead = config.echoTiming === 'after-read';
    const toEcho: { opcode: 1 | 2; payload: Uint8Array }[] = [];
    for (const e of r.events) {
      // A step may have closed or failed the connection: the rest of the read is discarded.
      if (d.tcp !== 'open' || (d.readyState as ReadyState) === 'closed' || d.failure !== null) break;
      switch (e.type) {
        case 'frame':
          out.push({
            type: 'frame-received',
            fin: e.frame.fin,
            rsv: e.frame.rsv,
            opcode: e.frame.opcode,
            maskKey: e.frame.maskKey,
            payload: e.frame.payload,
            lengthEncoding: e.lengthEncoding,
          });
          break;
        case 'message':
          out.push({ type: 'message', opcode: e.opcode, payload: e.payload });
          // After sending a Close frame no data frames may follow (§5.5.1), so echo only while open.
          if (config.app === 'echo' && d.readyState === 'open') {
            if (afterRead) toEcho.push(e);
            else sendMessage(e.opcode, e.payload, undefined);
          }
          break;
        case 'ping':
          out.push({ type: 'ping', payload: e.payload });
          // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
          // response, unless it already received a Close frame."
          if (d.readyState === 'open' || (d.readyState === 'closing' && (config.pongWhileClosing ?? true))) {
            write({ opcode: Opcode.Pong, payload: e.payload, maskKey: 'auto' });
          }
          break;
        case 'pong':
          out.push({ type: 'pong', payload: e.payload });
          break;
        case 'close':
          onClose(e.code, e.reason);
          break;
        case 'violation':
          d.failure = e.violation;
          failConnection(e.violation.code, e.violation.reason, e.violation);
          break;
      }
    }
    for (const m of toEcho) if (d.readyState === 'open') sendMessage(m.opcode, m.payload, undefined);
  };

  // RFC 6455 §4: until the opening handshake completes, octets are HTTP.
  const receiveHandshake = (data: Uint8Array): void => {
    if (d.tcp !== 'open') return;
    let r;
    if (server) {
      if (d.handshakeBuffer === null && !d.timers.includes('open-handshake')) setTimer('open-handshake', openHandshakeTimeoutOf(config));
      r = serverReceives(d.handshakeBuffer, data, config.subprotocols ?? []);
    } else {
      if (d.offer === null) return; // nothing was asked yet: octets from a server that speaks first are ignored
      r = clientReceives(d.handshakeBuffer, data, d.offer, d.offer.request);
    }
    if (r.kind === 'incomplete') {
      d.handshakeBuffer = r.buffered;
      return;
    }
    d.handshakeBuffer = null;
    if (r.reply !== null) out.push({ type: 'write', data: r.reply, frame: null });
    if (r.kind === 'refused') {
      out.push({ type: 'handshake-failed', reason: r.reason, rule: r.rule });
      d.closing.wasNotCleanReason = `opening handshake failed: ${r.reason} (RFC 6455 §${r.rule})`;
      closeTcp();
      return;
    }
    d.readyState = 'open';
    d.protocol = r.protocol;
    d.offer = null;
    clearTimer('open-handshake');
    out.push({ type: 'open', protocol: r.protocol, request: r.request, response: r.response });
    if (r.rest.length > 0) receive(r.rest);
  };

  switch (input.type) {
    case 'connect':
      if (server || d.readyState !== 'connecting' || d.offer !== null || d.tcp !== 'open') break;
      {
        const request = clientRequest(input);
        out.push({ type: 'write', data: request, frame: null });
        d.offer = { key: input.key, protocols: input.protocols ?? [], request: latin1Decode(request) };
        setTimer('open-handshake', openHandshakeTimeoutOf(config));
      }
      break;
    case 'receive':
      if (d.readyState === 'connecting') receiveHandshake(input.data);
      else receive(input.data);
      break;
    case 'tcp-end':
      if (d.tcp === 'open') {
        d.tcp = 'closed-by-peer';
        d.readyState = 'closed';
        if (!d.closing.wasClean && d.closing.wasNotCleanReason === null) {
          d.closing.wasNotCleanReason = NotCleanReason.peerDropped;
        }
        for (const t of [...d.timers]) clearTimer(t);
        out.push({ type: 'closed', closing: { ...d.closing } });
      }
      break;
    case 'timer': {
      const k = d.timers.indexOf(input.timer);
      if (k < 0) break;
      d.timers.splice(k, 1);
      if (input.timer === 'close-handshake') {
        d.closing.wasCloseHandshakeTimeout = true;
        d.closing.wasClean = false;
        d.closing.wasNotCleanReason = NotCleanReason.closeTimeout;
      } else if (input.timer === 'server-drop') {
        d.closing.wasServerConnectionDropTimeout = true;
        d.closing.wasClean = false;
        d.closing.wasNotCleanReason = NotCleanReason.serverDropTimeout;
      } else {
        d.closing.wasOpenHandshakeTimeout = true;
        d.closing.wasNotCleanReason = NotCleanReason.openTimeout;
      }
      closeTcp();
      break;
    }
    case 'send-message':
      // §5.5.1: "After sending a Close frame, the endpoint MUST NOT send any more data frames."
      if (d.readyState === 'open') sendMessage(input.opcode, input.payload, input.fragmentSize);
      break;
    case 'send-frame':
      if (d.readyState !== 'connecting') write(input.frame);
      break;
    case 'begin-frame': {
      if (d.readyState === 'connecting' || d.tcp !== 'open') break;
      const maskKey = chooseMask(input.maskKey);
      const header = encodeFrame({ opcode: input.opcode, fin: input.fin ?? true, rsv: input.rsv ?? 0, maskKey, declaredLength: input.length });
      const sent: SentFrame = { fin: input.fin ?? true, rsv: input.rsv ?? 0, opcode: input.opcode, maskKey, payload: new Uint8Array(0) };
      out.push({ type: 'write', data: header, frame: sent });
      d.openFrame = { maskKey, offset: 0 };
      break;
    }
    case 'frame-data': {
      if (d.openFrame === null || d.tcp !== 'open') break;
      const data = d.openFrame.maskKey === null ? input.payload : masked(input.payload, d.openFrame.maskKey, d.openFrame.offset);
      out.push({ type: 'write', data, frame: null });
      d.openFrame = { maskKey: d.openFrame.maskKey, offset: d.openFrame.offset + input.payload.length };
      break;
    }
    case 'close':
    case 'close-raw': {
      if (d.readyState !== 'open') break;
      let body: Uint8Array;
      let code: number | null;
      let reason: Uint8Array | null;
      if (input.type === 'close') {
        body = encodeClosePayload(input.code, input.reason ?? new Uint8Array(0));
        code = input.code;
        reason = input.reason !== undefined && input.reason.length > 0 ? input.reason : null;
      } else {
        body = input.payload;
        code = body.length >= 2 ? (body[0]! << 8) | body[1]! : null;
        reason = body.length > 2 ? body.subarray(2) : null;
      }
      sendClose(body, code, reason);
      d.closing.closedByMe = true;
      d.readyState = 'closing';
      setTimer('close-handshake', closeHandshakeTimeoutOf(config));
      break;
    }
    case 'fail':
      failConnection(input.code, input.reason ? new TextDecoder().decode(input.reason) : '', null);
      break;
    case 'drop':
      closeTcp();
      break;
  }

  const next: EndpointState = {
    config,
    readyState: d.readyState,
    tcp: d.tcp,
    decoder: d.decoder,
    receivedClose: d.receivedClose,
    failure: d.failure,
    rng: d.rng,
    timers: d.timers,
    closing: d.closing,
    handshakeBuffer: d.handshakeBuffer,
    offer: d.offer,
    protocol: d.protocol,
    openFrame: d.openFrame,
  };
  return { state: next, outputs: out };
}

function openHandshakeTimeoutOf(config: EndpointConfig): number | null {
  return config.openHandshakeTimeout === undefined ? 5 : config.openHandshakeTimeout;
}

function closeHandshakeTimeoutOf(config: EndpointConfig): number | null {
  return config.closeHandshakeTimeout === undefined ? 1 : config.closeHandshakeTimeout;
}

/** A close reason must fit the 125-octet control payload with its 2-octet code (§5.5). */
function truncateReason(reason: Uint8Array): Uint8Array {
  if (reason.length <= 123) return reason;
  let end = 123;
  // Do not cut a UTF-8 sequence: back up to the start of the character.
  while (end > 0 && (reason[end]! & 0xc0) === 0x80) end--;
  return reason.subarray(0, end);
}
