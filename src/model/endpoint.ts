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
class Stepper {
  readonly out: EndpointOutput[] = [];
  readonly server: boolean;
  readyState: ReadyState;
  tcp: EndpointState['tcp'];
  decoder: EndpointState['decoder'];
  receivedClose: boolean;
  failure: ProtocolViolation | null;
  rng: number;
  // The timers and closing fields are copied before their first change: most steps change neither.
  timers: readonly TimerName[];
  closing: ClosingFields;
  private timersOwned = false;
  private closingOwned = false;
  handshakeBuffer: Uint8Array | null;
  offer: EndpointState['offer'];
  protocol: string | null;
  openFrame: EndpointState['openFrame'];

  readonly config: EndpointConfig;

  // Field by field, here and in `next`: a spread copy of the state, changed in place and returned, made the
  // oracle measurably slower when tried.
  constructor(state: EndpointState) {
    this.config = state.config;
    this.server = state.config.role === 'server';
    this.readyState = state.readyState;
    this.tcp = state.tcp;
    this.decoder = state.decoder;
    this.receivedClose = state.receivedClose;
    this.failure = state.failure;
    this.rng = state.rng;
    this.timers = state.timers;
    this.closing = state.closing;
    this.handshakeBuffer = state.handshakeBuffer;
    this.offer = state.offer;
    this.protocol = state.protocol;
    this.openFrame = state.openFrame;
  }

  private ownTimers(): TimerName[] {
    if (!this.timersOwned) {
      this.timers = [...this.timers];
      this.timersOwned = true;
    }
    return this.timers as TimerName[];
  }

  private ownClosing(): { -readonly [K in keyof ClosingFields]: ClosingFields[K] } {
    if (!this.closingOwned) {
      this.closing = { ...this.closing };
      this.closingOwned = true;
    }
    return this.closing;
  }

  next(): EndpointState {
    return {
      config: this.config,
      readyState: this.readyState,
      tcp: this.tcp,
      decoder: this.decoder,
      receivedClose: this.receivedClose,
      failure: this.failure,
      rng: this.rng,
      timers: this.timers,
      closing: this.closing,
      handshakeBuffer: this.handshakeBuffer,
      offer: this.offer,
      protocol: this.protocol,
      openFrame: this.openFrame,
    };
  }

  private chooseMask(requested: number | null | 'auto' | 'wrong' | undefined): number | null {
    // §5.1: the masking a role must not use, sent on purpose.
    if (requested === 'wrong' && !this.server) return null;
    if (requested !== 'auto' && requested !== 'wrong' && requested !== undefined) return requested;
    if (this.server && requested !== 'wrong') return null;
    if (this.config.zeroMaskKeys) return 0;
    this.rng = nextRandom(this.rng);
    return this.rng;
  }

  private write(frame: OutgoingFrame): void {
    if (this.tcp !== 'open') return;
    const maskKey = this.chooseMask(frame.maskKey);
    const spec = { ...frame, maskKey };
    const sent: SentFrame = {
      fin: frame.fin ?? true,
      rsv: frame.rsv ?? 0,
      opcode: frame.opcode,
      maskKey,
      payload: frame.payload ?? new Uint8Array(0),
    };
    this.out.push({ type: 'write', data: encodeFrame(spec), frame: sent });
  }

  private setTimer(timer: TimerName, seconds: number | null | undefined): void {
    if (seconds === null || seconds === undefined) return;
    if (!this.timers.includes(timer)) this.ownTimers().push(timer);
    this.out.push({ type: 'set-timer', timer, seconds });
  }

  private clearTimer(timer: TimerName): void {
    const k = this.timers.indexOf(timer);
    if (k < 0) return;
    this.ownTimers().splice(k, 1);
    this.out.push({ type: 'clear-timer', timer });
  }

  private closeTcp(): void {
    if (this.tcp !== 'open') return;
    this.tcp = 'closed-by-me';
    this.ownClosing().droppedByMe = true;
    this.readyState = 'closed';
    if (!this.closing.wasClean && this.closing.wasNotCleanReason === null) {
      this.ownClosing().wasNotCleanReason = NotCleanReason.failedByDrop;
    }
    for (const t of [...this.timers]) this.clearTimer(t);
    this.out.push({ type: 'close-tcp' });
    this.out.push({ type: 'closed', closing: { ...this.closing } });
  }

  private sendClose(body: Uint8Array, code: number | null, reason: Uint8Array | null): void {
    this.write({ opcode: Opcode.Close, payload: body, maskKey: 'auto' });
    this.ownClosing().localCloseCode = code;
    this.ownClosing().localCloseReason = reason;
  }

  // Both Close frames have been exchanged: RFC 6455 §7.1.1, the this.server closes TCP
  // first; the client waits for that, but not forever (§7.1.1 lets it close after a while).
  private closingHandshakeDone(): void {
    this.readyState = 'closed';
    this.ownClosing().wasClean = true;
    this.clearTimer('close-handshake');
    if (this.server) this.closeTcp();
    else this.setTimer('server-drop', this.config.serverDropTimeout === undefined ? 1 : this.config.serverDropTimeout);
  }

  // RFC 6455 §7.1.7 _Fail the WebSocket Connection_.
  private failConnection(code: number, reason: string, cause: ProtocolViolation | null): void {
    if (this.tcp !== 'open') return;
    this.ownClosing().failedByMe = true;
    this.out.push({ type: 'failed', code, reason, violation: cause });
    const policy = this.config.failBy ?? 'close-then-drop';
    if (this.readyState === 'open' && policy !== 'drop') {
      const reasonBytes = this.config.failReasons === false ? new Uint8Array(0) : truncateReason(textEncoder.encode(reason));
      this.sendClose(encodeClosePayload(code, reasonBytes), code, reasonBytes.length > 0 ? reasonBytes : null);
      this.ownClosing().closedByMe = true;
      this.readyState = 'closing';
      if (policy === 'close-then-drop') this.closeTcp();
      else this.setTimer('close-handshake', closeHandshakeTimeoutOf(this.config));
      return;
    }
    // Already closing (or dropping on purpose): nothing more to say, close TCP.
    this.closeTcp();
  }

  private onClose(code: number | null, reason: Uint8Array): void {
    this.receivedClose = true;
    this.ownClosing().remoteCloseCode = code;
    this.ownClosing().remoteCloseReason = code === null || reason.length === 0 ? null : reason;
    this.out.push({ type: 'close-received', code, reason });
    if (this.config.holdTcpOpen) {
      // Silent: no reply and no TCP close; 'closing' (not 'closed') so that the script's waits still run.
      if (this.readyState === 'closing') {
        this.ownClosing().wasClean = true;
        this.clearTimer('close-handshake');
      }
      this.readyState = 'closing';
      return;
    }
    if (this.readyState === 'open') {
      // §5.5.1: "If an endpoint receives a Close frame and did not previously send a
      // Close frame, the endpoint MUST send a Close frame in response."
      const replyCode = (this.config.closeReply ?? 'echo-code') === 'normal' ? 1000 : code;
      this.sendClose(encodeClosePayload(replyCode), replyCode, null);
      this.closingHandshakeDone();
    } else if (this.readyState === 'closing') {
      this.closingHandshakeDone();
    }
  }

  private sendMessage(opcode: 1 | 2, data: Uint8Array, fragmentSize: number | undefined): void {
    let payload = data;
    let rsv = 0;
    for (const ext of this.config.decoder?.extensions ?? []) {
      const r = ext.encodeMessage(payload, opcode);
      payload = r.payload;
      rsv |= r.rsv;
    }
    const lengths = fragmentLengths(payload.length, fragmentSize ?? 0, this.config.fragmentTail ?? 'exact');
    let at = 0;
    lengths.forEach((n, k) => {
      this.write({
        opcode: k === 0 ? opcode : Opcode.Continuation,
        fin: k === lengths.length - 1,
        rsv: k === 0 ? rsv : 0,
        payload: payload.subarray(at, at + n),
        maskKey: 'auto',
      });
      at += n;
    });
  }

  private receive(data: Uint8Array): void {
    if (this.tcp !== 'open' || this.failure !== null || this.readyState === 'closed') return;
    const r = decode(this.decoder, data, decoderOptionsOf(this.config));
    this.decoder = r.state;
    const afterRead = this.config.echoTiming === 'after-read';
    const toEcho: { opcode: 1 | 2; payload: Uint8Array }[] = [];
    for (const e of r.events) {
      // A step may have closed or failed the connection: the rest of the read is discarded.
      if (this.tcp !== 'open' || (this.readyState as ReadyState) === 'closed' || this.failure !== null) break;
      switch (e.type) {
        case 'frame':
          this.out.push({
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
          this.out.push({ type: 'message', opcode: e.opcode, payload: e.payload });
          // After sending a Close frame no data frames may follow (§5.5.1), so echo only while open.
          if (this.config.app === 'echo' && this.readyState === 'open') {
            if (afterRead) toEcho.push(e);
            else this.sendMessage(e.opcode, e.payload, undefined);
          }
          break;
        case 'ping':
          this.out.push({ type: 'ping', payload: e.payload });
          // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
          // response, unless it already received a Close frame."
          if (this.readyState === 'open' || (this.readyState === 'closing' && (this.config.pongWhileClosing ?? true))) {
            this.write({ opcode: Opcode.Pong, payload: e.payload, maskKey: 'auto' });
          }
          break;
        case 'pong':
          this.out.push({ type: 'pong', payload: e.payload });
          break;
        case 'close':
          this.onClose(e.code, e.reason);
          break;
        case 'violation':
          this.failure = e.violation;
          this.failConnection(e.violation.code, e.violation.reason, e.violation);
          break;
      }
    }
    for (const m of toEcho) if (this.readyState === 'open') this.sendMessage(m.opcode, m.payload, undefined);
  }

  // RFC 6455 §4: until the opening handshake completes, octets are HTTP.
  private receiveHandshake(data: Uint8Array): void {
    if (this.tcp !== 'open') return;
    let r;
    if (this.server) {
      if (this.handshakeBuffer === null && !this.timers.includes('open-handshake')) this.setTimer('open-handshake', openHandshakeTimeoutOf(this.config));
      r = serverReceives(this.handshakeBuffer, data, this.config.subprotocols ?? []);
    } else {
      if (this.offer === null) return; // nothing was asked yet: octets from a this.server that speaks first are ignored
      r = clientReceives(this.handshakeBuffer, data, this.offer, this.offer.request);
    }
    if (r.kind === 'incomplete') {
      this.handshakeBuffer = r.buffered;
      return;
    }
    this.handshakeBuffer = null;
    if (r.reply !== null) this.out.push({ type: 'write', data: r.reply, frame: null });
    if (r.kind === 'refused') {
      this.out.push({ type: 'handshake-failed', reason: r.reason, rule: r.rule });
      this.ownClosing().wasNotCleanReason = `opening handshake failed: ${r.reason} (RFC 6455 §${r.rule})`;
      this.closeTcp();
      return;
    }
    this.readyState = 'open';
    this.protocol = r.protocol;
    this.offer = null;
    this.clearTimer('open-handshake');
    this.out.push({ type: 'open', protocol: r.protocol, request: r.request, response: r.response });
    if (r.rest.length > 0) this.receive(r.rest);
  }


  apply(input: EndpointInput): void {
    switch (input.type) {
      case 'connect':
        if (this.server || this.readyState !== 'connecting' || this.offer !== null || this.tcp !== 'open') break;
        {
          const request = clientRequest(input);
          this.out.push({ type: 'write', data: request, frame: null });
          this.offer = { key: input.key, protocols: input.protocols ?? [], request: latin1Decode(request) };
          this.setTimer('open-handshake', openHandshakeTimeoutOf(this.config));
        }
        break;
      case 'receive':
        if (this.readyState === 'connecting') this.receiveHandshake(input.data);
        else this.receive(input.data);
        break;
      case 'tcp-end':
        if (this.tcp === 'open') {
          this.tcp = 'closed-by-peer';
          this.readyState = 'closed';
          if (!this.closing.wasClean && this.closing.wasNotCleanReason === null) {
            this.ownClosing().wasNotCleanReason = NotCleanReason.peerDropped;
          }
          for (const t of [...this.timers]) this.clearTimer(t);
          this.out.push({ type: 'closed', closing: { ...this.closing } });
        }
        break;
      case 'timer': {
        const k = this.timers.indexOf(input.timer);
        if (k < 0) break;
        this.ownTimers().splice(k, 1);
        if (input.timer === 'close-handshake') {
          this.ownClosing().wasCloseHandshakeTimeout = true;
          this.ownClosing().wasClean = false;
          this.ownClosing().wasNotCleanReason = NotCleanReason.closeTimeout;
        } else if (input.timer === 'server-drop') {
          this.ownClosing().wasServerConnectionDropTimeout = true;
          this.ownClosing().wasClean = false;
          this.ownClosing().wasNotCleanReason = NotCleanReason.serverDropTimeout;
        } else {
          this.ownClosing().wasOpenHandshakeTimeout = true;
          this.ownClosing().wasNotCleanReason = NotCleanReason.openTimeout;
        }
        this.closeTcp();
        break;
      }
      case 'send-message':
        // §5.5.1: "After sending a Close frame, the endpoint MUST NOT send any more data frames."
        if (this.readyState === 'open') this.sendMessage(input.opcode, input.payload, input.fragmentSize);
        break;
      case 'send-frame':
        if (this.readyState !== 'connecting') this.write(input.frame);
        break;
      case 'begin-frame': {
        if (this.readyState === 'connecting' || this.tcp !== 'open') break;
        const maskKey = this.chooseMask(input.maskKey);
        const header = encodeFrame({ opcode: input.opcode, fin: input.fin ?? true, rsv: input.rsv ?? 0, maskKey, declaredLength: input.length });
        const sent: SentFrame = { fin: input.fin ?? true, rsv: input.rsv ?? 0, opcode: input.opcode, maskKey, payload: new Uint8Array(0) };
        this.out.push({ type: 'write', data: header, frame: sent });
        this.openFrame = { maskKey, offset: 0 };
        break;
      }
      case 'frame-data': {
        if (this.openFrame === null || this.tcp !== 'open') break;
        const data = this.openFrame.maskKey === null ? input.payload : masked(input.payload, this.openFrame.maskKey, this.openFrame.offset);
        this.out.push({ type: 'write', data, frame: null });
        this.openFrame = { maskKey: this.openFrame.maskKey, offset: this.openFrame.offset + input.payload.length };
        break;
      }
      case 'close':
      case 'close-raw': {
        if (this.readyState !== 'open') break;
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
        this.sendClose(body, code, reason);
        this.ownClosing().closedByMe = true;
        this.readyState = 'closing';
        this.setTimer('close-handshake', closeHandshakeTimeoutOf(this.config));
        break;
      }
      case 'fail':
        this.failConnection(input.code, input.reason ? new TextDecoder().decode(input.reason) : '', null);
        break;
      case 'drop':
        this.closeTcp();
        break;
    }
  }
}

const textEncoder = new TextEncoder();

/** Advance the endpoint by one input. Pure: `state` is not modified. */
export function step(state: EndpointState, input: EndpointInput): StepResult {
  const s = new Stepper(state);
  s.apply(input);
  return { state: s.next(), outputs: s.out };
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
