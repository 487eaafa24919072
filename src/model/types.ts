/**
 * The endpoint model's data: configuration, state, inputs and outputs.
 * Everything here is plain data (printable, comparable, replayable) apart from
 * negotiated extension objects, which only appear inside decoder options.
 */
import type { DecoderOptions, DecoderState } from '../codec/decoder.js';
import type { FrameSpec } from '../codec/encode.js';
import type { FragmentTail } from '../codec/fragment.js';
import type { ProtocolViolation } from '../codec/violation.js';
import type { ExtensionOffer } from '../codec/handshake.js';

export type Role = 'client' | 'server';

/**
 * RFC 6455 §4-§7 connection states. `closing`: we sent a Close frame and wait
 * for the peer's. `closed`: the closing handshake is over or the connection
 * failed; TCP may still be open (`tcp`).
 */
export type ReadyState = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * How an endpoint fails the WebSocket connection (RFC 6455 §7.1.7):
 * `close-then-drop` sends a Close frame and closes TCP at once (the RFC's text:
 * send Close, then _Close the WebSocket Connection_); `close-then-wait` sends a
 * Close frame and waits for the peer's before closing TCP (what many
 * implementations and the Autobahn testsuite do); `drop` closes TCP without a
 * Close frame (allowed: the Close frame is a SHOULD).
 */
export type FailPolicy = 'close-then-drop' | 'close-then-wait' | 'drop';

/**
 * The status code of a Close frame sent in reply (RFC 6455 §5.5.1: the reply
 * "typically echos the status code it received"): `echo-code` repeats the
 * received code (an empty close is answered with an empty close), `normal`
 * always answers 1000.
 */
export type CloseReplyPolicy = 'echo-code' | 'normal';

/** The application on top of the endpoint, as far as the model needs one. */
export type Application =
  /** Echo every message with the same type, unfragmented, while open (the testee convention). */
  | 'echo'
  /** Nothing: the host drives the endpoint with application inputs. */
  | 'none';

export interface EndpointConfig {
  readonly role: Role;
  readonly decoder?: Omit<DecoderOptions, 'role' | 'emitFrames'>;
  readonly failBy?: FailPolicy;
  readonly closeReply?: CloseReplyPolicy;
  /** Answer pings after we sent Close (RFC 6455 §5.5.2 requires a Pong until a Close was *received*). Default true. */
  readonly pongWhileClosing?: boolean;
  /** Seconds to wait for the peer's Close after sending ours; null waits forever. Default 1. */
  readonly closeHandshakeTimeout?: number | null;
  /** Client: seconds to wait for the server to close TCP after the closing handshake; null waits forever. Default 1. */
  readonly serverDropTimeout?: number | null;
  readonly app?: Application;
  /**
   * When the echo application answers: `inline` as each message is delivered
   * (before the rest of the same read is parsed), `after-read` once the whole
   * read was processed (an application fed by an event queue), which may be
   * too late if a later frame in the same read failed the connection.
   */
  readonly echoTiming?: 'inline' | 'after-read';
  /** Seed of the masking-key generator (clients). */
  readonly maskSeed?: number;
  /** Mask with the key 0 (still a masked frame on the wire). Only for simulations: real clients need unpredictable keys. */
  readonly zeroMaskKeys?: boolean;
  /** Emit a `frame-received` output for every frame (wire logs need them). Default true. */
  readonly reportFrames?: boolean;
  /** How outgoing messages that end on a fragment boundary are framed. Default `exact`. */
  readonly fragmentTail?: FragmentTail;
  /** Put the violation's reason in the Close frame sent when failing the connection. Default true. */
  readonly failReasons?: boolean;
  /** Seconds for the opening handshake; null waits forever. Default 5. */
  readonly openHandshakeTimeout?: number | null;
  /** Server: subprotocols it supports, in preference order (it selects the client's first supported offer). */
  readonly subprotocols?: readonly string[];
  /**
   * After the peer's Close, answer nothing and keep TCP open, also once our own Close was answered
   * (a silent tester: the peer must close TCP itself). Default false.
   */
  readonly holdTcpOpen?: boolean;
}

/** What a client offered in its opening handshake, kept to check the server's answer. */
export interface HandshakeOffer {
  readonly key: string;
  readonly protocols: readonly string[];
  /** The request as sent (for reports). */
  readonly request: string;
  /** The extensions it offered (none when absent); a response may accept only these. */
  readonly extensions?: readonly ExtensionOffer[];
}

export type TimerName = 'open-handshake' | 'close-handshake' | 'server-drop';

/**
 * How the connection ended, in the Autobahn testsuite's vocabulary (its report
 * fields); see ../shared/autobahn/semantics.md §2 for their exact meaning.
 */
export interface ClosingFields {
  readonly closedByMe: boolean;
  readonly failedByMe: boolean;
  readonly droppedByMe: boolean;
  readonly wasClean: boolean;
  readonly wasNotCleanReason: string | null;
  readonly wasServerConnectionDropTimeout: boolean;
  readonly wasOpenHandshakeTimeout: boolean;
  readonly wasCloseHandshakeTimeout: boolean;
  readonly localCloseCode: number | null;
  readonly localCloseReason: Uint8Array | null;
  readonly remoteCloseCode: number | null;
  readonly remoteCloseReason: Uint8Array | null;
}

export interface EndpointState {
  readonly config: EndpointConfig;
  readonly readyState: ReadyState;
  readonly tcp: 'open' | 'closed-by-me' | 'closed-by-peer';
  readonly decoder: DecoderState;
  /** A Close frame was received (no Pong is owed after it, §5.5.2). */
  readonly receivedClose: boolean;
  /** We failed the connection because of the peer's data (§7.1.7: stop processing it). */
  readonly failure: ProtocolViolation | null;
  readonly rng: number;
  readonly timers: readonly TimerName[];
  readonly closing: ClosingFields;
  /** Handshake bytes received so far (connecting state only). */
  readonly handshakeBuffer: Uint8Array | null;
  /** Client: the offer made in its request (connecting state only). */
  readonly offer: HandshakeOffer | null;
  /** The subprotocol agreed in the opening handshake. */
  readonly protocol: string | null;
  /** A frame whose header was written and whose payload is still being written (`begin-frame`). */
  readonly openFrame: { readonly maskKey: number | null; readonly offset: number } | null;
}

/**
 * A frame to send: any header (the tester breaks rules on purpose); `maskKey: 'auto'` masks as the role
 * requires, `'wrong'` as it forbids (unmasked from a client, masked from a server, RFC 6455 §5.1).
 */
export type OutgoingFrame = Omit<FrameSpec, 'maskKey'> & { readonly maskKey?: number | null | 'auto' | 'wrong' };

export type EndpointInput =
  /** Client, connecting: send the opening handshake (RFC 6455 §4.1). The key's randomness comes from the host. */
  | {
      readonly type: 'connect';
      readonly host: string;
      readonly port?: number;
      readonly path: string;
      readonly key: string;
      readonly protocols?: readonly string[];
    }
  /** Octets from the peer. */
  | { readonly type: 'receive'; readonly data: Uint8Array }
  /** The peer closed (or reset) the TCP connection. */
  | { readonly type: 'tcp-end' }
  /** A timer the endpoint asked for has expired. */
  | { readonly type: 'timer'; readonly timer: TimerName }
  /** Application: send a message (through negotiated extensions), optionally fragmented. */
  | {
      readonly type: 'send-message';
      readonly opcode: 1 | 2;
      readonly payload: Uint8Array;
      readonly fragmentSize?: number;
    }
  /** Application: send one frame exactly as given, whatever the state of the connection. */
  | { readonly type: 'send-frame'; readonly frame: OutgoingFrame }
  /** Application: write only the header of a frame of `length` octets; its payload follows in `frame-data` inputs. */
  | {
      readonly type: 'begin-frame';
      readonly opcode: number;
      readonly fin?: boolean;
      readonly rsv?: number;
      readonly length: number;
      readonly maskKey?: number | null | 'auto' | 'wrong';
    }
  /** Application: write the next payload octets of the frame begun with `begin-frame`. */
  | { readonly type: 'frame-data'; readonly payload: Uint8Array }
  /** Application: start the closing handshake with this code and reason (null code: empty body). */
  | { readonly type: 'close'; readonly code: number | null; readonly reason?: Uint8Array }
  /** Application: start the closing handshake with a raw close body, valid or not. */
  | { readonly type: 'close-raw'; readonly payload: Uint8Array }
  /** Application: fail the connection (e.g. a watchdog) with a code and reason. */
  | { readonly type: 'fail'; readonly code: number; readonly reason?: Uint8Array }
  /** Application: close TCP now. */
  | { readonly type: 'drop' };

/** What a sent frame was, for wire logs and statistics. */
export interface SentFrame {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly maskKey: number | null;
  readonly payload: Uint8Array;
}

export type EndpointOutput =
  /** The opening handshake completed (RFC 6455 §4: _The WebSocket Connection is Established_). */
  | { readonly type: 'open'; readonly protocol: string | null; readonly request: string; readonly response: string }
  /** The opening handshake failed; the connection is closed without ever opening. */
  | { readonly type: 'handshake-failed'; readonly reason: string; readonly rule: string }
  /** Octets to write to TCP, in order. */
  | { readonly type: 'write'; readonly data: Uint8Array; readonly frame: SentFrame | null }
  /** A complete frame was received (for wire logs). */
  | {
      readonly type: 'frame-received';
      readonly fin: boolean;
      readonly rsv: number;
      readonly opcode: number;
      readonly maskKey: number | null;
      readonly payload: Uint8Array;
      readonly lengthEncoding: 7 | 16 | 64;
    }
  | { readonly type: 'message'; readonly opcode: 1 | 2; readonly payload: Uint8Array }
  | { readonly type: 'ping'; readonly payload: Uint8Array }
  | { readonly type: 'pong'; readonly payload: Uint8Array }
  | { readonly type: 'close-received'; readonly code: number | null; readonly reason: Uint8Array }
  /** We failed the WebSocket connection. */
  | {
      readonly type: 'failed';
      readonly code: number;
      readonly reason: string;
      readonly violation: ProtocolViolation | null;
    }
  | { readonly type: 'set-timer'; readonly timer: TimerName; readonly seconds: number }
  | { readonly type: 'clear-timer'; readonly timer: TimerName }
  /** Close the TCP connection (we are the side that closes it). */
  | { readonly type: 'close-tcp' }
  /** The connection is over (TCP closed by either side); the closing fields are final. */
  | { readonly type: 'closed'; readonly closing: ClosingFields };

export interface StepResult {
  readonly state: EndpointState;
  readonly outputs: readonly EndpointOutput[];
}
