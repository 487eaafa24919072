/**
 * The raw DEFLATE (RFC 1951) engine that `permessage-deflate` is injected
 * with. The codec stays pure — no zlib, no Node — and every engine call is
 * synchronous, because the decoder and the endpoint reducer are.
 *
 * An engine keeps one LZ77 sliding window per compressor and per
 * decompressor across calls; that window is the "context" RFC 7692 lets
 * endpoints take over from one message to the next. wscheck's Node engine is
 * `createNodeDeflateEngine()` in `wscheck/harness` (node:zlib).
 */

/** Settings of one compressor. */
export interface DeflaterOptions {
  /**
   * Base-2 logarithm of the largest sliding window the compressor may use,
   * 8–15. A hard limit: RFC 7692 §7.2.1 says an endpoint "MUST NOT use an LZ77
   * sliding window longer than the w-th power of 2 bytes", so an engine that
   * cannot compress with a window this small must still never emit a distance
   * beyond it.
   */
  readonly windowBits: number;
  /** zlib-style level 0 (store) to 9 (smallest output). */
  readonly level: number;
  /** zlib-style memory level 1–9 (hash table size; speed, not correctness). */
  readonly memLevel: number;
}

/** Settings of one decompressor. */
export interface InflaterOptions {
  /** Window of the decompressor, 8–15. wscheck always uses 15 (any peer window fits). */
  readonly windowBits: number;
  /**
   * Preset dictionary: the sliding window to start from (at most its last
   * 2^windowBits octets count). Used to continue a window across the end of a
   * DEFLATE stream.
   */
  readonly dictionary?: Uint8Array;
}

/** A compressor holding its sliding window from one call to the next. */
export interface RawDeflater {
  /**
   * Compress all of `data` and flush to a byte boundary with an empty stored
   * block (zlib's `Z_SYNC_FLUSH`): the output ends with `00 00 ff ff` and
   * contains no block with BFINAL set. The window keeps `data` for the next call.
   * `data` is not empty.
   */
  compress(data: Uint8Array): Uint8Array;
  /** Forget the window: the next call compresses as a fresh compressor would. */
  reset(): void;
  /** Release the engine's resources; the deflater is unusable afterwards. */
  close(): void;
}

/** The outcome of one {@link RawInflater.inflate} call. */
export type InflateResult =
  | {
      readonly status: 'ok';
      /** What the consumed input decompressed to. */
      readonly output: Uint8Array;
      /** Octets of the input consumed. */
      readonly consumed: number;
      /**
       * The DEFLATE stream ended (a block with BFINAL set was completed) and
       * input remains unconsumed from `consumed` on. A stream that ends exactly
       * at the end of the input is reported by the next call (with `consumed` 0).
       */
      readonly streamEnd: boolean;
    }
  /** Output reached `maxOutput + 1` octets: decompression stopped there. */
  | { readonly status: 'limit'; readonly produced: number }
  /** The input is not valid DEFLATE data; the decompressor is unusable afterwards. */
  | { readonly status: 'error'; readonly message: string };

/** A decompressor holding its sliding window from one call to the next. */
export interface RawInflater {
  /**
   * Decompress `input`, which continues the data of earlier calls, until it is
   * consumed or the DEFLATE stream ends. Never produces more than
   * `maxOutput + 1` octets: past `maxOutput` it stops with `limit`, so a
   * compression bomb costs at most that much memory. The extension passes a
   * whole message per call (payload and the appended 00 00 ff ff), and the
   * rest of it after a stream end, so an engine that decodes each call on its
   * own — carrying only the window over — serves as well as a streaming one.
   */
  inflate(input: Uint8Array, maxOutput: number): InflateResult;
  /** Forget the window and any partial block: the next call starts a new stream. */
  reset(): void;
  /** Release the engine's resources; the inflater is unusable afterwards. */
  close(): void;
  /** Octets this inflater has produced over its life (the engine's own accounting). */
  readonly produced: number;
}

/** Creates compressors and decompressors. */
export interface DeflateEngine {
  readonly name: string;
  createDeflater(options: DeflaterOptions): RawDeflater;
  createInflater(options: InflaterOptions): RawInflater;
}
