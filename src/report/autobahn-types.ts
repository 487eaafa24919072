/**
 * The shape of the Autobahn|Testsuite report files that wscheck reads and
 * writes: `index.json` (formats.md §2) and the per-case report
 * `<agent>_case_<id>.json` (formats.md §3, wire log: semantics.md §5.4).
 * Types only, plus the verdict vocabularies as runtime lists.
 */
import type { TrafficStats } from '../harness/result.js';

/** Verdict values of `behavior` (semantics.md §3). */
export const BEHAVIORS = ['OK', 'NON-STRICT', 'FAILED', 'INFORMATIONAL', 'UNIMPLEMENTED'] as const;
/** How the observed events compare with the expected ones. */
export type Behavior = (typeof BEHAVIORS)[number];

/**
 * Verdict values of `behaviorClose` (semantics.md §3.2). wscheck itself writes
 * `OK`, `INFORMATIONAL` and `FAILED`; the others occur in Autobahn's reports.
 */
export const BEHAVIOR_CLOSES = ['OK', 'FAILED', 'UNCLEAN', 'WRONG CODE', 'FAILED BY CLIENT', 'INFORMATIONAL'] as const;
/** How the connection ended compared with how it should have ended. */
export type BehaviorClose = (typeof BEHAVIOR_CLOSES)[number];

// ---------------------------------------------------------------------------
// index.json

/** One case's entry in `index.json` as Autobahn and wscheck write it: exactly these five keys. */
export interface AutobahnIndexEntry {
  readonly behavior: Behavior;
  readonly behaviorClose: BehaviorClose;
  /** Milliseconds from the case's onOpen to TCP close, rounded. */
  readonly duration: number;
  readonly remoteCloseCode: number | null;
  /** File name of the per-case report, `caseReportFileName(agent, id)`. */
  readonly reportfile: string;
}

/** `index.json`: agent → case id (`"4.1.5"`) → entry. */
export type AutobahnIndex = Readonly<Record<string, Readonly<Record<string, AutobahnIndexEntry>>>>;

/**
 * An index entry as found in published files, which projects sometimes trim by
 * hand (CI "expected results" oracles): only the two verdicts are required;
 * `duration`, `remoteCloseCode` and `reportfile` may be missing, and `duration`
 * may be `null` (seen in one such file). Unknown keys are kept.
 */
export interface LenientAutobahnIndexEntry {
  readonly behavior: Behavior;
  readonly behaviorClose: BehaviorClose;
  readonly duration?: number | null;
  readonly remoteCloseCode?: number | null;
  readonly reportfile?: string;
}

/** A published `index.json` (or "expected results" file) read leniently. */
export type LenientAutobahnIndex = Readonly<Record<string, Readonly<Record<string, LenientAutobahnIndexEntry>>>>;

// ---------------------------------------------------------------------------
// events (`expected`, `received`)

/** A complete message: abbreviated payload text (see `abbreviatePayload`) and whether it was binary. */
export type AutobahnMessageEvent = readonly [kind: 'message', payload: string, isBinary: boolean];
/** A pong, with its abbreviated payload text. */
export type AutobahnPongEvent = readonly [kind: 'pong', payload: string];
/** A wait that elapsed with the connection still open (self-injected by 6.4.x: tag `"A"`, `"B"`). */
export type AutobahnTimeoutEvent = readonly [kind: 'timeout', tag: string];
/** One observed or expected event. */
export type AutobahnEvent = AutobahnMessageEvent | AutobahnPongEvent | AutobahnTimeoutEvent;

/** The event lists a case accepts, by the verdict they earn (`{}` for 9.x, 12.x, 13.x). */
export type AutobahnExpected = Readonly<Partial<Record<Behavior, readonly AutobahnEvent[]>>>;

/** How the connection must end. */
export interface AutobahnExpectedClose {
  readonly closedByMe: boolean;
  /** Acceptable close codes from the peer (a close without code is acceptable too). */
  readonly closeCode: readonly number[];
  readonly requireClean: boolean;
  /** Present (and true) on the UTF-8 cases where closing by the wrong endpoint forces behavior FAILED. */
  readonly closedByWrongEndpointIsFatal?: boolean;
}

// ---------------------------------------------------------------------------
// wire log (semantics.md §5.4)

/**
 * `[length, text]`: the true length in octets and the abbreviated text
 * (`abbreviatePayload` for frame payloads; lower-case hex of at most 64
 * octets, with `" ..."` when longer than 60, for raw octets).
 */
export type WirelogPayload = readonly [length: number, text: string];

/** Octets received in one read. */
export type WirelogRO = readonly [tag: 'RO', octets: WirelogPayload];
/** Octets written; `sync` is true for queued (chopped or sync) writes. */
export type WirelogTO = readonly [tag: 'TO', octets: WirelogPayload, sync: boolean];
/** A frame received; `mask` is the masking key in hex, null when unmasked. */
export type WirelogRF = readonly [
  tag: 'RF',
  payload: WirelogPayload,
  opcode: number,
  fin: boolean,
  rsv: number,
  masked: boolean,
  mask: string | null,
];
/**
 * A frame sent. `payload` describes the payload *argument*: for a repeated
 * payload that is the unit, and `repeatLength` the real frame length (null
 * otherwise). `chopsize` null means written at once.
 */
export type WirelogTF = readonly [
  tag: 'TF',
  payload: WirelogPayload,
  opcode: number,
  fin: boolean,
  rsv: number,
  mask: string | null,
  repeatLength: number | null,
  chopsize: number | null,
  sync: boolean,
];
/** A continuation scheduled after `delay` seconds. */
export type WirelogCT = readonly [tag: 'CT', delay: number, continuationTag: string | null];
/** A continuation executed. */
export type WirelogCTE = readonly [tag: 'CTE', continuationTag: string | null];
/** Kill timer armed (`killAfter`). */
export type WirelogKL = readonly [tag: 'KL', delay: number];
/** Kill timer fired. */
export type WirelogKLE = readonly [tag: 'KLE'];
/** Close timer armed (`closeAfter`). */
export type WirelogTI = readonly [tag: 'TI', delay: number];
/** Close timer fired. */
export type WirelogTIE = readonly [tag: 'TIE'];
/** Wire logging switched on or off. */
export type WirelogWLM = readonly [tag: 'WLM', enabled: boolean];

/** One line of the wire log. */
export type WirelogEntry =
  | WirelogRO
  | WirelogTO
  | WirelogRF
  | WirelogTF
  | WirelogCT
  | WirelogCTE
  | WirelogKL
  | WirelogKLE
  | WirelogTI
  | WirelogTIE
  | WirelogWLM;

/** Tags of the wire log entries. */
export type WirelogTag = WirelogEntry[0];

// ---------------------------------------------------------------------------
// per-case report

/**
 * Map of chunk size (octet stats) or opcode (frame stats) → count. Integer
 * keys; `serializeAutobahnJson` writes such maps in numeric key order.
 */
export type AutobahnCountMap = Readonly<Record<string, number>>;

/**
 * The engine's data-traffic counters after the opening handshake, reported
 * only by 12.x/13.x runs that ended OK (semantics.md §5.3). Ratios are floats,
 * null when their denominator is 0. The harness computes them (result.ts).
 */
export type AutobahnTrafficStats = TrafficStats;

/**
 * The per-case report `<agent>_case_<id>.json`: Autobahn's 39 keys
 * (formats.md §3). wscheck adds keys of its own; readers keep unknown keys.
 */
export interface AutobahnCaseReport {
  readonly agent: string;
  readonly behavior: Behavior;
  readonly behaviorClose: BehaviorClose;
  /** 1-based case number (fuzzingserver: N of `runCase`; fuzzingclient: index in the full list). */
  readonly case: number;
  readonly closedByMe: boolean;
  readonly createStats: boolean;
  readonly createWirelog: boolean;
  /** HTML fragment. */
  readonly description: string;
  readonly droppedByMe: boolean;
  /** Milliseconds from onOpen to TCP close, rounded. */
  readonly duration: number;
  /** HTML fragment. */
  readonly expectation: string;
  readonly expected: AutobahnExpected;
  readonly expectedClose: AutobahnExpectedClose;
  readonly failedByMe: boolean;
  /** Raw HTTP upgrade request, `"?"` if none. */
  readonly httpRequest: string;
  /** Raw HTTP upgrade response, `"?"` if none. */
  readonly httpResponse: string;
  /** Case id, e.g. `"4.1.5"`. */
  readonly id: string;
  /** True when the tester was the server (a client is tested). */
  readonly isServer: boolean;
  readonly localCloseCode: number | null;
  readonly localCloseReason: string | null;
  readonly received: readonly AutobahnEvent[];
  readonly remoteCloseCode: number | null;
  readonly remoteCloseReason: string | null;
  readonly reportCompressionRatio: boolean;
  readonly reportTime: boolean;
  /** Human text for `behavior`. */
  readonly result: string;
  /** Human text for `behaviorClose`. */
  readonly resultClose: string;
  readonly rxFrameStats: AutobahnCountMap;
  readonly rxOctetStats: AutobahnCountMap;
  /** UTC `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  readonly started: string;
  readonly trafficStats: AutobahnTrafficStats | null;
  readonly txFrameStats: AutobahnCountMap;
  readonly txOctetStats: AutobahnCountMap;
  readonly wasClean: boolean;
  readonly wasCloseHandshakeTimeout: boolean;
  readonly wasNotCleanReason: string | null;
  readonly wasOpenHandshakeTimeout: boolean;
  readonly wasServerConnectionDropTimeout: boolean;
  readonly wirelog: readonly WirelogEntry[];
}

/** A value as read from a file: the typed keys plus whatever other keys the file had. */
export type WithUnknownKeys<T> = T & { readonly [key: string]: unknown };
