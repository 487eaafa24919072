/**
 * A scenario is data: what the tester sends, how it cuts its writes, when it
 * waits, and the verdict rules of the case. The same scenario runs in the
 * oracle's simulation and against a real peer.
 */

/** A frame as a step describes it (no write scheduling). */
export interface FrameDescription {
  readonly opcode: number;
  readonly fin?: boolean;
  readonly rsv?: number;
  readonly payload: Uint8Array;
  /** Masking key; default: as the tester's role requires (random key as client, none as server). */
  readonly maskKey?: number | null | 'auto';
  readonly lengthEncoding?: 'minimal' | 7 | 16 | 64;
  readonly declaredLength?: number | bigint;
}

/** One action of the tester. */
export type Step =
  /**
   * Send frames as one byte stream cut at the given offsets (ascending, inside
   * the stream): each piece is its own TCP write, so a piece may end inside a
   * header, an extended length, a masking key or a character, and may hold
   * several frames. No cuts: one write for all the frames.
   */
  | { readonly kind: 'stream'; readonly frames: readonly FrameDescription[]; readonly cuts: readonly number[] }
  /** Send one frame exactly as described (no validation). */
  | {
      readonly kind: 'frame';
      readonly opcode: number;
      readonly fin?: boolean;
      readonly rsv?: number;
      readonly payload: Uint8Array;
      /** Shown in wire logs as the payload argument when the payload is a repeated unit (Autobahn's `payload_len`). */
      readonly repeatUnit?: Uint8Array;
      /** Write the frame in pieces of this many octets, each its own TCP write (TCP segmentation). */
      readonly chop?: number | null;
      /** Write the frame in its own TCP write (not coalesced with the next one). */
      readonly sync?: boolean;
      /** Masking key; default: as the tester's role requires (random key as client, none as server). */
      readonly maskKey?: number | null | 'auto';
      readonly lengthEncoding?: 'minimal' | 7 | 16 | 64;
      readonly declaredLength?: number | bigint;
    }
  /** Send a message through the tester's endpoint, fragmented into frames of `fragmentSize` octets (0: one frame). */
  | {
      readonly kind: 'message';
      readonly binary: boolean;
      readonly payload: Uint8Array;
      readonly repeatUnit?: Uint8Array;
      readonly fragmentSize?: number;
      readonly sync?: boolean;
    }
  /** Start the closing handshake (code null: empty Close body). */
  | { readonly kind: 'close'; readonly code: number | null; readonly reason?: Uint8Array }
  /** Start the closing handshake with a raw body, valid or not. */
  | { readonly kind: 'close-raw'; readonly payload: Uint8Array }
  /** After `seconds`, fail the connection with 1001 if it is not closed yet (a watchdog). */
  | { readonly kind: 'kill-after'; readonly seconds: number }
  /** After `seconds`, start a closing handshake with an empty Close if the connection is not closed yet. */
  | { readonly kind: 'close-after'; readonly seconds: number }
  /**
   * After `seconds`, run `steps` unless the connection is closed (or, with
   * `requireOpen`, unless it is closing too); with `recordTimeout` the waiting
   * itself is recorded as a `timeout` event when the steps run.
   */
  | {
      readonly kind: 'continue-later';
      readonly seconds: number;
      readonly tag: string;
      readonly steps: readonly Step[];
      readonly requireOpen?: boolean;
      readonly recordTimeout?: boolean;
    }
  /** Switch the wire log on or off (bulk cases). */
  | { readonly kind: 'wirelog'; readonly enabled: boolean };

/** Verdict rules of a case beyond the standard comparison (Autobahn's per-case post-rules). */
export interface VerdictRules {
  /** The peer must fail the connection itself; if the tester had to, behavior is FAILED (invalid UTF-8 cases). */
  readonly closedByWrongEndpointIsFatal?: boolean;
  /** A wrong close code makes behavior FAILED (close-handling cases). */
  readonly wrongCloseCodeIsFatal?: boolean;
  /** The RFC leaves the outcome open: report INFORMATIONAL. */
  readonly informational?: boolean;
}

export interface Scenario {
  readonly steps: readonly Step[];
  /** Do not start the closing handshake once the expected events arrived (Autobahn's `suppressClose`). */
  readonly suppressClose?: boolean;
  readonly rules?: VerdictRules;
}
