/**
 * The shared base of the deliberately broken implementations: one careful
 * echo endpoint for either role, written apart from wscheck's codec and model
 * (a broken peer must be able to accept what the reference rejects). Without
 * a variation it follows RFC 6455 strictly: it fails the connection at the
 * first violation with the status code §7.4.1 names, validates UTF-8 across
 * fragments as the octets arrive, answers Ping and Close, and closes TCP as
 * its role should. Each bug is one named `Variation`, checked at the one
 * place where it changes what the code does (grep for its name).
 */
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { ReadBuffer } from './read-buffer.js';
import { Utf8Validator, isUtf8 } from './utf8.js';
import { MessageInflater } from './deflate.js';

/** Every deliberate deviation the base knows. */
export type Variation =
  // framing (§5.2)
  | 'reserved-opcode-as-binary'
  | 'rsv-bits-ignored'
  // masking (§5.1, §5.3)
  | 'accepts-unmasked-frames'
  | 'accepts-masked-frames'
  | 'sends-unmasked-frames'
  | 'zero-mask-key'
  | 'constant-mask-key'
  // payload length (§5.2)
  | 'length16-signed'
  | 'length64-low-word-only'
  | 'header-size-from-length'
  // TCP read boundaries
  | 'partial-header-discarded'
  | 'extended-length-split'
  | 'mask-key-split'
  | 'one-frame-per-read'
  | 'payload-in-one-read'
  // fragmentation (§5.4)
  | 'continuation-without-start'
  | 'data-frame-inside-fragmented-message'
  | 'ping-resets-reassembly'
  // control frames (§5.5)
  | 'ping-over-125-answered'
  | 'fragmented-ping-answered'
  | 'pong-without-payload'
  | 'ping-answered-after-close'
  // UTF-8 (§8.1)
  | 'utf8-not-validated'
  | 'utf8-validated-per-frame'
  | 'utf8-replaced-not-rejected'
  | 'utf8-overlong-accepted'
  | 'utf8-surrogates-accepted'
  | 'close-reason-utf8-not-validated'
  // closing handshake (§5.5.1, §7)
  | 'close-code-byte-swapped'
  | 'close-not-answered'
  | 'never-closes-tcp'
  | 'close-1005-on-wire'
  | 'close-reason-truncated'
  | 'close-reason-nul-padding'
  | 'invalid-close-code-accepted'
  | 'iana-close-codes-rejected'
  | 'close-1015-accepted'
  | 'incomplete-utf8-fails-at-close'
  | 'processes-after-fail'
  | 'fail-waits-forever'
  // limits and resources (§10.4), against the declared limits
  | 'limit-per-frame'
  | 'limit-after-buffering'
  | 'limit-not-enforced'
  // lengths and masking, beyond the classes above
  | 'length-msb-ignored'
  | 'control-frames-unmasked-accepted'
  | 'continuation-masking-not-checked'
  // opening handshake (§4), see handshake.ts
  | 'wrong-accept-key'
  | 'version-not-checked'
  | 'accept-key-not-checked'
  | 'key-not-checked'
  | 'protocol-header-backtracking'
  | 'pipelined-frames-dropped'
  | 'unsolicited-selection-accepted'
  // permessage-deflate (RFC 7692), see deflate.ts: only these variations negotiate it
  | 'deflate-rsv1-continuation-accepted'
  | 'deflate-window-bits-not-checked';

export type Role = 'server' | 'client';

/** Largest message accepted unless a limit is declared; beyond it the connection fails with 1009 (§7.4.1). */
export const MAX_MESSAGE_OCTETS = 64 * 1024 * 1024;

/** The limits the base enforces: the declared ones (`--max-message`, `--max-frame`), or MAX_MESSAGE_OCTETS. */
export interface EchoLimits {
  readonly maxMessage?: number;
  readonly maxFrame?: number;
}
/** How long a client waits for the server to close TCP after the closing handshake (§7.1.1), and a server for a Close reply. */
const CLOSE_WAIT_MS = 2000;

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** The masking key of RFC 6455 §5.7's examples, which `constant-mask-key` uses for every frame. */
const RFC_EXAMPLE_KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/** Close status codes a receiver accepts (§7.4.1, §7.4.2, and 1012-1014 registered with IANA since). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** §5.2: a frame with the minimal length encoding, masked with `key` when given. */
export function encodeFrame(opcode: number, payload: Uint8Array, key: Buffer | null, fin = true): Buffer {
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (key === null ? 0 : 4));
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = (key === null ? 0 : 0x80) | (ext === 0 ? n : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(n, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(n), 2);
  const body = Buffer.from(payload);
  if (key !== null) {
    key.copy(head, 2 + ext);
    for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  }
  return Buffer.concat([head, body]);
}

interface FrameHeader {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly length: number;
  readonly key: readonly number[] | null;
}

interface PartialMessage {
  readonly opcode: typeof OP_TEXT | typeof OP_BINARY;
  readonly parts: Buffer[];
  size: number;
  readonly utf8: Utf8Validator;
  /** RSV1 on its first frame with permessage-deflate agreed: inflated once complete. */
  readonly compressed?: boolean;
}

/**
 * Echo on an open WebSocket connection until it ends. `leftover` holds the
 * octets that arrived with the handshake head.
 */
export function serveEcho(options: {
  readonly role: Role;
  readonly variation: Variation | null;
  readonly socket: net.Socket;
  readonly leftover: Buffer;
  readonly limits?: EchoLimits;
  /** permessage-deflate was agreed in the opening handshake. */
  readonly deflate?: boolean;
}): void {
  new EchoConnection(options.role, options.variation, options.socket, options.limits ?? {}, options.deflate ?? false).start(options.leftover);
}

class EchoConnection {
  private readonly input = new ReadBuffer();
  private message: PartialMessage | null = null;
  /** `ping-answered-after-close`: the Close reply waiting for the end of the read. */
  private deferredClose: { readonly code: number | null; readonly reason: Buffer } | null = null;
  /** The header of the frame whose payload is awaited. */
  private header: FrameHeader | null = null;
  private closeSent = false;
  private closeReceived = false;
  /** Set once nothing more is read (the connection failed or the closing handshake finished). */
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** `processes-after-fail`: the failure found in this read, acted on once the rest of the read was handled. */
  private deferredFailure: { readonly code: number; readonly reason: string } | null = null;
  /** `fail-waits-forever`: failed, and waiting (without a timer) for the peer's Close. */
  private awaitingCloseReply = false;
  private readonly maxMessage: number;
  private readonly maxFrame: number;
  /** Set when permessage-deflate was agreed. */
  private readonly inflater: MessageInflater | null;

  constructor(
    private readonly role: Role,
    private readonly variation: Variation | null,
    private readonly socket: net.Socket,
    limits: EchoLimits,
    deflate: boolean,
  ) {
    this.maxMessage = limits.maxMessage ?? MAX_MESSAGE_OCTETS;
    this.maxFrame = Math.min(limits.maxFrame ?? this.maxMessage, this.maxMessage);
    this.inflater = deflate ? new MessageInflater(this.maxMessage) : null;
  }

  start(leftover: Buffer): void {
    const s = this.socket;
    s.on('data', (chunk: Buffer) => this.onRead(chunk));
    // The peer closed its side: nothing more will come (allowHalfOpen is off, so Node ends ours).
    s.on('end', () => this.stop());
    s.on('error', () => s.destroy());
    s.on('close', () => this.clearTimer());
    if (leftover.length > 0) this.onRead(leftover);
  }

  private is(v: Variation): boolean {
    return this.variation === v;
  }

  private onRead(chunk: Buffer): void {
    if (this.stopped) return;
    this.input.push(chunk);
    try {
      this.parse();
    } catch {
      // A bug must not crash the process: treat it as a dropped connection.
      this.socket.destroy();
    }
  }

  /**
   * Parse what is buffered (§5.2), as a two-state machine: a frame header is
   * read and checked as soon as it is complete, then its payload is awaited.
   */
  private parse(): void {
    const q = this.input;
    for (;;) {
      if (this.stopped || (this.closeReceived && !this.is('ping-answered-after-close'))) break;
      if (this.header === null) {
        const header = this.readHeader();
        if (header === 'wait' || header === 'failed') break;
        if (header === 'skipped') continue;
        this.header = header;
      }
      const h = this.header;
      let length = h.length;
      if (q.length < length) {
        // `payload-in-one-read`: whatever this read holds is taken for the whole payload.
        if (this.is('payload-in-one-read')) length = q.length;
        else break;
      }
      this.header = null;
      const payload = q.take(length);
      if (h.key !== null) for (let i = 0; i < payload.length; i++) payload[i]! ^= h.key[i & 3]!;
      this.onFrame(h.fin, h.opcode, payload, h.rsv);
      if (this.is('one-frame-per-read')) {
        // Whatever followed the first frame in this read is dropped.
        q.clear();
        break;
      }
    }
    if (this.deferredFailure !== null) {
      // `processes-after-fail`: the connection is failed only now, after the rest of the read.
      const { code, reason } = this.deferredFailure;
      this.deferredFailure = null;
      this.fail(code, reason);
    }
    if (this.deferredClose !== null) {
      // `ping-answered-after-close`: the Close is answered once the rest of the read was handled.
      this.sendClose(this.deferredClose.code, this.deferredClose.reason);
      this.deferredClose = null;
      this.endTcp();
    }
  }

  /** Read and check the next frame header, consuming it; 'wait' until it is complete. */
  private readHeader(): FrameHeader | 'wait' | 'failed' | 'skipped' {
    const q = this.input;
    const available = q.length;
    if (available < 2) {
      if (available > 0 && this.is('partial-header-discarded')) q.clear();
      return 'wait';
    }
    const b0 = q.byte(0);
    const b1 = q.byte(1);
    const fin = (b0 & 0x80) !== 0;
    const rsv = (b0 >> 4) & 0x7;
    let opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    const extLength = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    if (available < 2 + extLength + (masked ? 4 : 0)) {
      const lengthArrived = available >= 2 + extLength;
      // These bugs read on as if the header were all there (missing octets read as 0).
      const readOn = (this.is('extended-length-split') && !lengthArrived) || (this.is('mask-key-split') && lengthArrived);
      if (!readOn) {
        if (this.is('partial-header-discarded')) q.clear();
        return 'wait';
      }
    }
    let length: number;
    let at = 2;
    if (len7 === 126) {
      length = this.is('length16-signed') ? ((q.byte(2) << 24) >> 16) | q.byte(3) : (q.byte(2) << 8) | q.byte(3);
      at = 4;
    } else if (len7 === 127) {
      const high = q.uint32(2);
      const low = q.uint32(6);
      at = 10;
      // §5.2: "the most significant bit MUST be 0". The bug masks the bit off instead.
      if (high >= 0x80000000 && !this.is('length-msb-ignored')) return this.failHeader(1002, 'length with the most significant bit set');
      length = this.is('length64-low-word-only') ? low : (high & 0x7fffffff) * 2 ** 32 + low;
    } else {
      length = len7;
    }
    // The encoder's rule ("minimal encoding for this length") used to find where the header ends.
    if (this.is('header-size-from-length')) at = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
    // Only a signed read can make it negative.
    if (length < 0) return this.failHeader(1002, 'negative payload length');
    const key = masked ? [q.byte(at), q.byte(at + 1), q.byte(at + 2), q.byte(at + 3)] : null;
    if (masked) at += 4;
    // The whole frame, for `processes-after-fail`, which steps over a frame it refused.
    const extent = at + length;

    // §5.2: "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values".
    // RFC 7692 §6.1: permessage-deflate's RSV1 belongs on the first frame of a data message only.
    const perMessageCompressed = this.inflater !== null && rsv === 4 && (opcode === OP_TEXT || opcode === OP_BINARY || (opcode === OP_CONTINUATION && this.is('deflate-rsv1-continuation-accepted')));
    if (rsv !== 0 && !this.is('rsv-bits-ignored') && !perMessageCompressed) return this.failHeader(1002, 'RSV bits set', extent);
    if ((opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xb) {
      // §5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
      if (this.is('reserved-opcode-as-binary') && opcode <= 0x7) opcode = OP_BINARY;
      else return this.failHeader(1002, 'reserved opcode', extent);
    }
    // These two bugs check the mask bit on some frames only: data frames, or a message's first frame.
    const maskingChecked = !(opcode >= 0x8 && this.is('control-frames-unmasked-accepted')) && !(opcode === OP_CONTINUATION && this.is('continuation-masking-not-checked'));
    if (this.role === 'server' && !masked && !this.is('accepts-unmasked-frames') && maskingChecked) {
      // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
      return this.failHeader(1002, 'unmasked frame', extent);
    }
    if (this.role === 'client' && masked && !this.is('accepts-masked-frames') && maskingChecked) {
      // §5.1: "A client MUST close a connection if it detects a masked frame."
      return this.failHeader(1002, 'masked frame');
    }
    if (opcode >= 0x8) {
      const ping = opcode === OP_PING;
      // §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
      if (length > 125 && !(ping && this.is('ping-over-125-answered'))) return this.failHeader(1002, 'control frame too long');
      if (!fin && !(ping && this.is('fragmented-ping-answered'))) return this.failHeader(1002, 'fragmented control frame');
    } else if (!this.is('limit-not-enforced') && !this.is('limit-after-buffering')) {
      // §10.4: refused at the header, before its payload is buffered; `limit-per-frame` forgets the fragments before.
      if (length > this.maxFrame) return this.failHeader(1009, 'frame too big');
      const soFar = this.is('limit-per-frame') ? 0 : (this.message?.size ?? 0);
      if (soFar + length > this.maxMessage) return this.failHeader(1009, 'message too big');
    }
    q.take(at);
    return { fin, rsv, opcode, length, key };
  }

  private failHeader(code: number, reason: string, extent?: number): 'failed' | 'skipped' {
    if (this.is('processes-after-fail') && extent !== undefined && this.input.length >= extent) {
      // The refused frame is stepped over and the rest of the read handled first.
      this.input.take(extent);
      this.deferredFailure ??= { code, reason };
      return 'skipped';
    }
    this.fail(code, reason);
    return 'failed';
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer, rsv = 0): void {
    // `fail-waits-forever`: after failing, only the peer's Close matters.
    if (this.awaitingCloseReply && opcode !== OP_CLOSE) return;
    if (this.closeReceived) {
      // Only `ping-answered-after-close` gets here: it still answers the Pings that came with the Close.
      if (opcode === OP_PING) this.send(OP_PONG, payload);
      return;
    }
    switch (opcode) {
      case OP_CLOSE:
        this.onClose(payload);
        return;
      case OP_PING:
        if (this.is('ping-resets-reassembly')) this.message = null;
        // §5.5.3: "A Pong frame sent in response to a Ping frame must have identical Application data".
        this.send(OP_PONG, this.is('pong-without-payload') ? Buffer.alloc(0) : payload);
        return;
      case OP_PONG:
        if (this.is('ping-resets-reassembly')) this.message = null;
        return;
      case OP_CONTINUATION:
        if (this.message === null) {
          // §5.4: a continuation frame continues a message; here none was started.
          if (!this.is('continuation-without-start')) {
            this.fail(1002, 'continuation frame without a message');
            return;
          }
          this.message = { opcode: OP_BINARY, parts: [], size: 0, utf8: this.newValidator() };
        }
        break;
      default:
        if (this.message !== null) {
          // §5.4: the fragments of one message are not interleaved with another message's.
          if (!this.is('data-frame-inside-fragmented-message')) {
            this.fail(1002, 'new message inside a fragmented message');
            return;
          }
        }
        this.message = { opcode: opcode === OP_TEXT ? OP_TEXT : OP_BINARY, parts: [], size: 0, utf8: this.newValidator(), compressed: this.inflater !== null && (rsv & 4) !== 0 };
    }
    const m = this.message!;
    m.parts.push(payload);
    m.size += payload.length;
    if (fin && this.is('limit-after-buffering') && m.size > this.maxMessage) {
      // The limit is applied to the message once all of it has been buffered.
      this.fail(1009, 'message too big');
      return;
    }
    // A compressed message's text is checked once inflated.
    if (m.opcode === OP_TEXT && !m.compressed && !this.is('utf8-not-validated') && !this.is('utf8-replaced-not-rejected')) {
      // §8.1: fail fast, at the first octet that cannot become valid UTF-8 ...
      const v = this.is('utf8-validated-per-frame') ? this.newValidator() : m.utf8;
      if (!v.push(payload)) {
        this.fail(1007, 'invalid UTF-8');
        return;
      }
      // ... and at the end of the message if a character is left incomplete (per frame for the bug).
      if ((fin || this.is('utf8-validated-per-frame')) && !v.complete) {
        this.fail(1007, 'incomplete UTF-8 character');
        return;
      }
    }
    if (!fin) return;
    this.message = null;
    let data = m.parts.length === 1 ? m.parts[0]! : Buffer.concat(m.parts, m.size);
    if (m.compressed && this.inflater !== null) {
      const inflated = this.inflater.inflate(data);
      if (!inflated.ok) {
        this.fail(inflated.code, inflated.reason);
        return;
      }
      data = inflated.data;
      if (m.opcode === OP_TEXT && !this.is('utf8-not-validated') && !isUtf8(data)) {
        this.fail(1007, 'invalid UTF-8');
        return;
      }
    }
    if (m.opcode === OP_TEXT && this.is('utf8-replaced-not-rejected')) {
      // Decoded without `fatal`: invalid sequences become U+FFFD instead of failing the connection.
      data = Buffer.from(new TextDecoder('utf-8').decode(data), 'utf8');
    }
    this.send(m.opcode, data);
    return;
  }

  private newValidator(): Utf8Validator {
    return new Utf8Validator({ overlong: this.is('utf8-overlong-accepted'), surrogates: this.is('utf8-surrogates-accepted') });
  }

  /** A Close frame arrived (§5.5.1, §7.1.5). */
  private onClose(body: Buffer): void {
    if (this.closeSent) {
      // The reply to our Close: the closing handshake is done.
      this.closeReceived = true;
      this.endTcp();
      return;
    }
    let code: number | null = null;
    let reason: Buffer = Buffer.alloc(0);
    if (body.length === 1) return this.fail(1002, 'close body of one octet');
    if (body.length >= 2) {
      code = body.readUInt16BE(0);
      reason = body.subarray(2);
      // §7.4: only defined, registered or private codes may appear in a Close frame. The bugs know
      // RFC 6455's list without IANA's later codes, or take 1015 (an API-only code) for valid.
      const valid = (isValidCloseCode(code) && !(this.is('iana-close-codes-rejected') && code >= 1012)) || (code === 1015 && this.is('close-1015-accepted'));
      if (!valid) {
        if (this.is('invalid-close-code-accepted')) code = 1000;
        else return this.fail(1002, 'invalid close code');
      }
      // §5.5.1: the reason "is not guaranteed to be human readable" but MUST be UTF-8.
      if (!this.is('close-reason-utf8-not-validated') && !isUtf8(reason)) return this.fail(1007, 'close reason is not UTF-8');
    }
    if (this.is('incomplete-utf8-fails-at-close') && this.message?.opcode === OP_TEXT && !this.message.utf8.complete) {
      // The unfinished message's text is judged as if the Close had ended it.
      return this.fail(1007, 'incomplete UTF-8 character');
    }
    this.closeReceived = true;
    if (this.is('close-not-answered')) {
      // TCP is closed as if the Close were the end of the stream.
      this.stop();
      this.socket.destroy();
      return;
    }
    // §5.5.1: answer with a Close, usually echoing the status code.
    if (this.is('close-reason-truncated')) reason = reason.subarray(0, 15); // a 16-octet buffer with a NUL terminator
    const replyCode = code === null && this.is('close-1005-on-wire') ? 1005 : code;
    if (this.is('ping-answered-after-close')) {
      this.deferredClose = { code: replyCode, reason };
      return;
    }
    this.sendClose(replyCode, reason);
    this.endTcp();
  }

  /** After the closing handshake (§7.1.1): the server closes TCP first; a client waits for it. */
  private endTcp(): void {
    this.stop();
    if (this.role === 'server') {
      // `never-closes-tcp` leaves it to the client (which then has to drop the connection).
      if (!this.is('never-closes-tcp')) this.socket.end();
    } else {
      this.armTimer(() => this.socket.destroy());
    }
  }

  /** _Fail the WebSocket Connection_ (§7.1.7) with a Close frame carrying `code`. */
  private fail(code: number, reason: string): void {
    if (this.closeSent) {
      this.socket.destroy();
      return;
    }
    this.sendClose(code, Buffer.from(reason));
    if (this.is('fail-waits-forever')) {
      // Waits for the peer's Close to close TCP, with no timer: a silent peer keeps the connection.
      this.input.clear();
      this.header = null;
      this.message = null;
      this.awaitingCloseReply = true;
      return;
    }
    this.stop();
    if (this.role === 'server') {
      this.socket.end();
    } else {
      // The server will answer the Close and close TCP; don't wait for ever.
      this.armTimer(() => this.socket.destroy());
    }
  }

  private sendClose(code: number | null, reason: Buffer): void {
    let body: Buffer;
    if (code === null) {
      body = Buffer.alloc(0);
    } else {
      const r = this.is('close-reason-nul-padding') ? Buffer.concat([reason, Buffer.alloc(Math.max(0, 48 - reason.length))]) : reason;
      body = Buffer.alloc(2 + r.length);
      // Network byte order (§5.5.1); the bug writes it in host (little-endian) order.
      if (this.is('close-code-byte-swapped')) body.writeUInt16LE(code, 0);
      else body.writeUInt16BE(code, 0);
      r.copy(body, 2);
    }
    this.send(OP_CLOSE, body);
    this.closeSent = true;
  }

  private send(opcode: number, payload: Uint8Array): void {
    // §5.5.1: nothing follows one's own Close.
    if (this.closeSent) return;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(encodeFrame(opcode, payload, this.maskKey()));
  }

  /** §5.3: a client masks every frame with a fresh, unpredictable key; a server never masks. */
  private maskKey(): Buffer | null {
    if (this.role === 'server' || this.is('sends-unmasked-frames')) return null;
    if (this.is('zero-mask-key')) return Buffer.alloc(4);
    if (this.is('constant-mask-key')) return RFC_EXAMPLE_KEY;
    return randomBytes(4);
  }

  private stop(): void {
    this.stopped = true;
    this.input.clear();
  }

  private armTimer(fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(fn, CLOSE_WAIT_MS);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
