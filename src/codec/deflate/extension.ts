/**
 * `permessage-deflate` on the wire (RFC 7692 §6, §7.2): a `MessageExtension`
 * that compresses the messages an endpoint sends and decompresses the ones it
 * receives with RSV1 — the "Per-Message Compressed" bit — set, for either
 * role, with or without context takeover, within the negotiated windows.
 *
 * The decoder hands over a whole message (RSV1 is read from its first frame
 * only; §6.1: "An endpoint MUST NOT set the "Per-Message Compressed" bit of
 * control frames and non-first fragments of a data message", which the decoder
 * enforces), so compressed octets split across frames at any point arrive
 * joined.
 *
 * One instance per connection: it holds both directions' sliding windows.
 */
import { concatBytes } from '../bytes.js';
import type { ExtensionDecodeResult, MessageExtension } from '../extension.js';
import type { DataOpcode } from '../opcode.js';
import { CloseCode } from '../violation.js';
import { clientCompressorLimits } from './client.js';
import type { DeflateEngine, RawDeflater, RawInflater } from './engine.js';
import type { DeflateOffer } from './offer.js';
import { MAX_WINDOW_BITS, PERMESSAGE_DEFLATE, type WindowBits } from './params.js';
import type { DeflateParameters } from './response.js';
import { SlidingWindow } from './window.js';

/** RSV1, which RFC 7692 §6 calls the "Per-Message Compressed" bit. */
export const PER_MESSAGE_COMPRESSED = 4;

/**
 * The four octets a sync flush ends with — an empty stored block's LEN and
 * NLEN — that the sender removes (§7.2.1 step 3) and the receiver appends
 * (§7.2.2 step 1).
 */
export const DEFLATE_TRAILER: Uint8Array = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** Default compression level: zlib's fastest level that still finds LZ77 matches and builds Huffman codes. */
export const DEFAULT_DEFLATE_LEVEL = 1;
/** Default memory level: zlib's largest hash table, which is also its fastest. */
export const DEFAULT_DEFLATE_MEM_LEVEL = 9;

export interface PerMessageDeflateOptions {
  /** This endpoint's role: `server` compresses under the `server_*` parameters, `client` under the `client_*` ones. */
  readonly role: 'client' | 'server';
  /** The agreed parameters (the server's response). */
  readonly params: DeflateParameters;
  /**
   * Client only: the offer the response accepted (from `validateDeflateResponse`);
   * its hints bind the client's compressor too (see `clientCompressorLimits`).
   */
  readonly offer?: DeflateOffer | null;
  readonly engine: DeflateEngine;
  /** Compression level 0–9. Default {@link DEFAULT_DEFLATE_LEVEL}. Verdicts never depend on it. */
  readonly level?: number;
  /** Memory level 1–9. Default {@link DEFAULT_DEFLATE_MEM_LEVEL}. */
  readonly memLevel?: number;
  /**
   * Messages shorter than this are sent uncompressed (RSV1 clear), which RFC
   * 7692 allows for any message. Default 0: every message is compressed, as
   * the Autobahn testsuite does.
   */
  readonly threshold?: number;
  /**
   * When the peer agreed not to take over its window, decompress every
   * message from an empty window, so a peer that still refers to an earlier
   * message fails (§7.2.2: the receiver "MAY decompress each new message with
   * an empty LZ77 sliding window"). Default true; false keeps the window.
   */
  readonly emptyWindowWhenPeerResets?: boolean;
  /** Close code for compressed data that is not valid DEFLATE. Default 1007, as `ws` uses. */
  readonly invalidDataCode?: number;
}

/** What one direction's compressor is bound by. */
export interface CompressorLimits {
  readonly noContextTakeover: boolean;
  readonly maxWindowBits: WindowBits;
}

/** Counters for reports (e.g. Autobahn's compression ratio). */
export interface PerMessageDeflateStats {
  messagesCompressed: number;
  /** Octets given to the compressor, and octets of compressed payload sent. */
  octetsBeforeCompression: number;
  octetsAfterCompression: number;
  messagesDecompressed: number;
  /** Octets of compressed payload received, and octets they decompressed to. */
  octetsBeforeDecompression: number;
  octetsAfterDecompression: number;
}

const EMPTY = new Uint8Array(0);
/** Largest compressed payload whose input buffer is kept for the next message. */
const MAX_RETAINED_INPUT = 1024 * 1024;

/** The `permessage-deflate` extension of one connection. */
export class PerMessageDeflate implements MessageExtension {
  readonly name = PERMESSAGE_DEFLATE;
  readonly rsvBits = PER_MESSAGE_COMPRESSED;
  readonly role: 'client' | 'server';
  readonly params: DeflateParameters;
  /** What this endpoint's compressor is bound by. */
  readonly sending: CompressorLimits;
  /** What the peer's compressor agreed to (our decompressor always uses a 15-bit window, which fits any). */
  readonly receiving: CompressorLimits;
  readonly stats: PerMessageDeflateStats = {
    messagesCompressed: 0,
    octetsBeforeCompression: 0,
    octetsAfterCompression: 0,
    messagesDecompressed: 0,
    octetsBeforeDecompression: 0,
    octetsAfterDecompression: 0,
  };

  private readonly engine: DeflateEngine;
  private readonly level: number;
  private readonly memLevel: number;
  private readonly threshold: number;
  private readonly invalidDataCode: number;
  /** Reset the decompressor after every message (the peer does not take over). */
  private readonly inflateFromEmpty: boolean;
  private deflater: RawDeflater | null = null;
  private inflater: RawInflater | null = null;
  /** Nothing consumed since the inflater was created, reset or restarted. */
  private inflaterFresh = true;
  /** The peer's window across messages, kept only while it may take over. */
  private readonly window: SlidingWindow | null;
  /** Scratch for a compressed payload with the trailer appended. */
  private input: Uint8Array | null = null;
  /** Why decompression broke for good, once it has. */
  private broken: ExtensionDecodeResult | null = null;
  private closed = false;

  constructor(options: PerMessageDeflateOptions) {
    this.role = options.role;
    this.params = options.params;
    this.engine = options.engine;
    this.level = options.level ?? DEFAULT_DEFLATE_LEVEL;
    this.memLevel = options.memLevel ?? DEFAULT_DEFLATE_MEM_LEVEL;
    this.threshold = options.threshold ?? 0;
    this.invalidDataCode = options.invalidDataCode ?? CloseCode.InvalidPayload;
    const p = options.params;
    if (options.role === 'server') {
      this.sending = { noContextTakeover: p.serverNoContextTakeover, maxWindowBits: p.serverMaxWindowBits ?? MAX_WINDOW_BITS };
      // §7.2.2: "Note that even if the client has included the
      // "client_no_context_takeover" extension parameter in its offer, the
      // server MUST decompress each new message using the LZ77 sliding window
      // used to process the last compressed message if the "agreed parameters"
      // don't contain the "client_no_context_takeover" extension parameter."
      this.receiving = { noContextTakeover: p.clientNoContextTakeover, maxWindowBits: p.clientMaxWindowBits ?? MAX_WINDOW_BITS };
    } else {
      this.sending = clientCompressorLimits(p, options.offer ?? null);
      this.receiving = { noContextTakeover: p.serverNoContextTakeover, maxWindowBits: p.serverMaxWindowBits ?? MAX_WINDOW_BITS };
    }
    this.inflateFromEmpty = this.receiving.noContextTakeover && (options.emptyWindowWhenPeerResets ?? true);
    this.window = this.inflateFromEmpty ? null : new SlidingWindow();
  }

  /**
   * §7.2.2: "An endpoint uses the following algorithm to decompress a message.
   * 1. Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of
   * the message. 2. Decompress the resulting data using DEFLATE."
   *
   * Output past `maxLength` octets stops decompression at once and fails with
   * 1009; corrupt data fails with {@link PerMessageDeflateOptions.invalidDataCode}.
   */
  decodeMessage(payload: Uint8Array, rsv: number, maxLength: number): ExtensionDecodeResult {
    if ((rsv & PER_MESSAGE_COMPRESSED) === 0) return { ok: true, data: payload };
    if (this.broken !== null) return this.broken;
    if (this.closed) return { ok: false, reason: 'permessage-deflate extension used after close()', code: CloseCode.InternalError };
    const parts: Uint8Array[] = [];
    let total = 0;

    const feed = (input: Uint8Array): ExtensionDecodeResult | null => {
      let at = 0;
      while (at < input.length) {
        const inflater = (this.inflater ??= this.newInflater(null));
        const r = inflater.inflate(at === 0 ? input : input.subarray(at), maxLength - total);
        if (r.status === 'limit') {
          return this.breakWith(`decompressed message exceeds the limit of ${maxLength} octets`, CloseCode.MessageTooBig);
        }
        if (r.status === 'error') return this.breakWith(`invalid compressed data: ${r.message}`, this.invalidDataCode);
        if (r.output.length > 0) {
          parts.push(r.output);
          total += r.output.length;
        }
        at += r.consumed;
        if (r.consumed > 0) this.inflaterFresh = false;
        if (r.streamEnd) {
          if (this.inflaterFresh) return this.breakWith('invalid compressed data: a DEFLATE stream that ends before it starts', this.invalidDataCode);
          // A block with BFINAL set ended the DEFLATE stream. §7.2.1: "When any
          // DEFLATE block with the "BFINAL" bit set to 1 doesn't end at a byte
          // boundary, an endpoint MUST add minimal padding bits of 0 to make it
          // end at a byte boundary. The next DEFLATE block follows the padded
          // data if any." So decoding goes on with a new stream over the same
          // sliding window (§7.2.2: "the LZ77 sliding window used to process the
          // last compressed message").
          inflater.close();
          this.inflater = this.newInflater(this.windowWith(parts));
        }
      }
      return null;
    };

    // Step 1, in a buffer of our own: the engine then sees each message's data in
    // one call (one native call, and engines without streaming state can serve).
    const failure = feed(this.withTrailer(payload));
    if (failure !== null) return failure;
    const data = parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0]! : concatBytes(parts);

    if (this.inflateFromEmpty) {
      // §7.2.2: "If the "agreed parameters" contain the "server_no_context_takeover"
      // extension parameter, the client MAY decompress each new message with an
      // empty LZ77 sliding window." (And the server likewise for
      // "client_no_context_takeover".)
      this.inflater!.reset();
      this.inflaterFresh = true;
    } else {
      // "Otherwise, the client MUST decompress each new message using the LZ77
      // sliding window used to process the last compressed message."
      this.window!.push(data);
    }
    this.stats.messagesDecompressed++;
    this.stats.octetsBeforeDecompression += payload.length;
    this.stats.octetsAfterDecompression += data.length;
    return { ok: true, data };
  }

  /**
   * §7.2.1: "An endpoint uses the following algorithm to compress a message.
   * 1. Compress all the octets of the payload of the message using DEFLATE.
   * 2. If the resulting data does not end with an empty DEFLATE block with no
   * compression (the "BTYPE" bits are set to 00), append an empty DEFLATE block
   * with no compression to the tail end. 3. Remove 4 octets (that are 0x00 0x00
   * 0xff 0xff) from the tail end."
   */
  encodeMessage(data: Uint8Array, _opcode: DataOpcode): { readonly payload: Uint8Array; readonly rsv: number } {
    if (data.length < this.threshold) return { payload: data, rsv: 0 };
    if (this.closed) throw new Error('permessage-deflate extension used after close()');
    this.stats.messagesCompressed++;
    this.stats.octetsBeforeCompression += data.length;
    if (data.length === 0) {
      // Nothing to compress: the message is the empty stored block alone, whose
      // LEN and NLEN the receiver appends (§7.2.3.6, "Generating an Empty
      // Fragment": the octet 0x00). The window is not touched.
      this.stats.octetsAfterCompression += 1;
      return { payload: Uint8Array.of(0x00), rsv: PER_MESSAGE_COMPRESSED };
    }
    const deflater = (this.deflater ??= this.engine.createDeflater({
      // §7.2.1: "If the "agreed parameters" contain the "client_max_window_bits"
      // extension parameter with a value of w, the client MUST NOT use an LZ77
      // sliding window longer than the w-th power of 2 bytes to compress
      // messages to send." (The server likewise under "server_max_window_bits".)
      windowBits: this.sending.maxWindowBits,
      level: this.level,
      memLevel: this.memLevel,
    }));
    // Steps 1 and 2: the engine's sync flush ends with an empty stored block.
    const out = deflater.compress(data);
    const n = out.length;
    if (n < 5 || out[n - 4] !== 0x00 || out[n - 3] !== 0x00 || out[n - 2] !== 0xff || out[n - 1] !== 0xff) {
      throw new Error(`deflate engine ${this.engine.name}: output does not end with an empty stored block (00 00 ff ff)`);
    }
    if (this.sending.noContextTakeover) {
      // §7.2.1: "If the "agreed parameters" contain the "client_no_context_takeover"
      // extension parameter, the client MUST start compressing each new message
      // with an empty LZ77 sliding window." (The server likewise.)
      deflater.reset();
    }
    // Step 3.
    const payload = out.subarray(0, n - 4);
    this.stats.octetsAfterCompression += payload.length;
    return { payload, rsv: PER_MESSAGE_COMPRESSED };
  }

  /**
   * Release the engine's compressor and decompressor (call when the connection
   * ends: a zlib compressor holds about 384 KiB). Idempotent; the extension
   * refuses further messages.
   */
  close(): void {
    this.closed = true;
    this.deflater?.close();
    this.deflater = null;
    this.inflater?.close();
    this.inflater = null;
  }

  /** `payload` followed by 00 00 ff ff, in a scratch buffer reused for messages up to {@link MAX_RETAINED_INPUT}. */
  private withTrailer(payload: Uint8Array): Uint8Array {
    const n = payload.length + DEFLATE_TRAILER.length;
    let buffer = this.input;
    if (buffer === null || buffer.length < n) {
      buffer = new Uint8Array(Math.max(n, 256));
      if (n <= MAX_RETAINED_INPUT) this.input = buffer;
    }
    buffer.set(payload);
    buffer.set(DEFLATE_TRAILER, payload.length);
    return buffer.subarray(0, n);
  }

  private newInflater(dictionary: Uint8Array | null): RawInflater {
    this.inflaterFresh = true;
    return this.engine.createInflater(dictionary !== null && dictionary.length > 0 ? { windowBits: 15, dictionary } : { windowBits: 15 });
  }

  /** The sliding window so far: the kept window (if the peer takes over) followed by this message's output. */
  private windowWith(parts: readonly Uint8Array[]): Uint8Array {
    if (this.window !== null) return this.window.contentsWith(parts);
    return new SlidingWindow().contentsWith(parts);
  }

  private breakWith(reason: string, code: number): ExtensionDecodeResult {
    this.inflater?.close();
    this.inflater = null;
    this.broken = { ok: false, reason, code };
    return this.broken;
  }
}

/** The `permessage-deflate` extension of one connection; see {@link PerMessageDeflate}. */
export function createPerMessageDeflate(options: PerMessageDeflateOptions): PerMessageDeflate {
  return new PerMessageDeflate(options);
}

