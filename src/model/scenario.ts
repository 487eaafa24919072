/**
 * A scenario is data: what the tester sends, how it cuts its writes, when it
 * waits, and the verdict rules of the case. The same scenario runs in the
 * oracle's simulation and against a real peer.
 */
import type { DeclaredLimits } from './limits.js';
import type { Segmentation } from './segmentation.js';
import type { OpeningVariation } from './handshake-variation.js';

/** A frame as a step describes it (no write scheduling). */
export interface FrameDescription {
  readonly opcode: number;
  readonly fin?: boolean;
  readonly rsv?: number;
  readonly payload: Uint8Array;
  /**
   * Masking key; default: as the tester's role requires (random key as client, none as server);
   * `wrong`: the masking the tester's role forbids (none as client, a random key as server).
   */
  readonly maskKey?: number | null | 'auto' | 'wrong';
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
      /** Masking key; default: as the tester's role requires; `wrong`: as it forbids (see FrameDescription). */
      readonly maskKey?: number | null | 'auto' | 'wrong';
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
      /** Shown in wire logs; null when the continuation has no name. */
      readonly tag: string | null;
      readonly steps: readonly Step[];
      readonly requireOpen?: boolean;
      readonly recordTimeout?: boolean;
    }
  /**
   * Start a frame whose payload is sent later by `frame-data` steps: write only
   * its header, announcing `length` octets (a frame that spans time).
   */
  | { readonly kind: 'begin-frame'; readonly opcode: number; readonly fin?: boolean; readonly rsv?: number; readonly length: number }
  /** Write the next payload octets of the frame begun by `begin-frame` (masked as its header says). */
  | { readonly kind: 'frame-data'; readonly payload: Uint8Array }
  /** Switch the wire log on or off (bulk cases); `silent` leaves no mark in the log. */
  | { readonly kind: 'wirelog'; readonly enabled: boolean; readonly silent?: boolean }
  /** Close TCP now, without a Close frame (the end of a wait that the peer should have ended). */
  | { readonly kind: 'drop' };

/**
 * Cases judged by their own goal instead of an event list (Autobahn's
 * limits/performance cases): only the type and length of echoes count.
 */
export type PerfGoal =
  /** One big message goes out (by the steps); its echo must come back, right type and length. */
  | { readonly kind: 'single-echo'; readonly binary: boolean; readonly length: number; readonly timeoutSeconds: number }
  /** `count` messages, each sent when the previous echo arrived; every echo must match. */
  | {
      readonly kind: 'round-trips';
      readonly binary: boolean;
      /** Every message the same payload… */
      readonly payload?: Uint8Array;
      readonly repeatUnit?: Uint8Array;
      /**
       * …or consecutive windows of `length` units over `data`, wrapping
       * around (units are characters for text messages, octets for binary).
       */
      readonly source?: { readonly data: Uint8Array; readonly length: number };
      readonly count: number;
      readonly timeoutSeconds: number;
      /** Compare each echo with what was sent (`content`), or only its type and length (default). */
      readonly compare?: 'length' | 'content';
      /** Send each message in frames of this many octets (after compression). */
      readonly fragmentSize?: number;
    };

/** A case that needs permessage-deflate (Autobahn 12.x/13.x): its negotiation, by Autobahn's rule names. */
export interface DeflateRequirement {
  /** `accept_deflate`, `accept1` … `accept7`: what the tester offers as a client and accepts as a server. */
  readonly accept: 'accept_deflate' | 'accept1' | 'accept2' | 'accept3' | 'accept4' | 'accept5' | 'accept6' | 'accept7';
  /**
   * The simulation compresses too: the tester's and the reference peer's
   * endpoints apply permessage-deflate (the model's stored engine), so frames
   * a case writes by hand with RSV1 carry meaning (category 18). Off for
   * Autobahn's cases, whose compression is transparent to what the tester
   * records. Needs `accept_deflate` (no parameters agreed).
   */
  readonly modelled?: boolean;
}

/** Verdict rules of a case beyond the standard comparison (Autobahn's per-case post-rules). */
export interface VerdictRules {
  /** Frames the tester itself must have sent, by opcode (Autobahn 10.1.1 checks its own fragmenter). */
  readonly ownFrames?: Readonly<Record<number, number>>;
  /**
   * The peer must fail the connection itself; if the tester had to, behavior
   * is FAILED (Autobahn's invalid-UTF-8 cases). `when-peer-must-fail` applies
   * the rule exactly when the model says a conforming peer fails the
   * connection (so UTF-8 vectors need not be labelled valid or invalid by hand).
   */
  readonly closedByWrongEndpointIsFatal?: boolean | 'when-peer-must-fail';
  /** A wrong close code makes behavior FAILED (close-handling cases). */
  readonly wrongCloseCodeIsFatal?: boolean;
  /** The RFC leaves the outcome open: report INFORMATIONAL. */
  readonly informational?: boolean;
  /**
   * The request is valid, but the RFC's own wording can be read to let a
   * server refuse it (e.g. an Upgrade list, §4.1 against §4.2.1): a 4xx is
   * NON-STRICT instead of FAILED.
   */
  readonly refusalAllowed?: boolean;
  /**
   * What RFC 6455 §10.4 leaves to the implementation's own limits, which the
   * user did not declare: a run that agrees with the expected events as far
   * as it goes and then stops at such a limit is INFORMATIONAL (the point it
   * stopped at is reported) instead of FAILED.
   */
  readonly ownLimits?: {
    /** The peer may fail the connection with one of these codes before the case completes (e.g. a cap on fragments). */
    readonly failCodes?: readonly number[];
    /** The peer may keep waiting for the rest of a frame whose length it accepts, until the tester gives up. */
    readonly mayWait?: boolean;
  };
}

export interface Scenario {
  readonly steps: readonly Step[];
  /** For performance cases: the goal that decides the verdict (no event lists). */
  readonly perf?: PerfGoal;
  /** The case needs permessage-deflate; without it the tester closes at once and the verdict is UNIMPLEMENTED. */
  readonly deflate?: DeflateRequirement;
  /**
   * The case cannot be run as configured (a limit case without a declared
   * limit): the tester closes at once and the verdict is UNIMPLEMENTED, with
   * this text saying what is missing and how to supply it.
   */
  readonly unimplemented?: string;
  /** Do not start the closing handshake once the expected events arrived (Autobahn's `suppressClose`). */
  readonly suppressClose?: boolean;
  /**
   * When the tester closes once the events arrived (see `ExpectationOptions`):
   * `autobahn` (default) only when every conforming peer gives the same events;
   * `complete` after any acceptable event list that no other extends.
   */
  readonly finish?: 'autobahn' | 'complete';
  readonly rules?: VerdictRules;
  /**
   * The limits the peer under test declared (`--max-message`, `--max-frame`):
   * the reference peer enforces them. Absent: the model's own limit,
   * `UNDECLARED_LIMIT`, far above every message a case sends whole.
   */
  readonly limits?: DeclaredLimits;
  /**
   * After the peer's Close frame the tester goes silent: it neither answers
   * it nor closes TCP, and after its own Close was answered it keeps TCP
   * open too. The peer must then close TCP itself (RFC 6455 §5.5.1, §7.1.1,
   * §7.1.7: after the Close frames, or after failing, an endpoint closes the
   * underlying connection; it cannot wait for ever).
   */
  readonly holdTcpOpen?: boolean;
  /**
   * Least milliseconds between two scheduled pieces of the tester's writes
   * (default the harness's, a fraction of a millisecond). A counterexample
   * whose bug needs the peer to read pieces apart is saved with a wider gap,
   * so that a replay does not depend on how busy the peer's event loop is.
   * The oracle ignores it: no conforming peer's answer depends on it.
   */
  readonly pieceIntervalMs?: number;
  /**
   * Seed of the tester's masking keys (a client tester's). Absent: a fresh,
   * unpredictable one for every run, as a real client's. A counterexample
   * keeps the seed of a run that failed, so that a bug that depends on the
   * key octets (a peer that reads them where the payload is) replays.
   */
  readonly maskSeed?: number;
  /**
   * A chopped replay: every write of the tester is re-cut by this pattern
   * (the frames stay the same). Absent: writes as the steps say.
   */
  readonly segmentation?: Segmentation;
  /**
   * The opening handshake changed on purpose (a request edit when testing a
   * server, a 101 edit when testing a client; see handshake-variation.ts).
   * Absent: the tester's usual handshake.
   */
  readonly opening?: OpeningVariation;
  /**
   * After the case, a liveness probe (P1): a new connection must open and echo
   * a short message, or the case FAILS with "the peer no longer accepts
   * connections". Testing a client, the new connection is the client's next
   * one (its next case, or /updateReports); see docs/design.md.
   */
  readonly probeAfter?: boolean;
}
