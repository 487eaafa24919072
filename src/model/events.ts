/**
 * What the tester records of a peer: the Autobahn testsuite's event list
 * (messages and pongs, in arrival order; pings are answered, not recorded) and
 * wscheck's richer observation list used to explain divergences.
 */
import { bytesEqual, ownBytes } from '../codec/bytes.js';

// Part of the model's public exports since it was defined here; it now lives with the other octet routines.
export { bytesEqual };

export type RecordedEvent =
  | { readonly type: 'message'; readonly payload: Uint8Array; readonly binary: boolean }
  | { readonly type: 'pong'; readonly payload: Uint8Array }
  /** The tester's own note that a wait elapsed with the connection still open (fail-fast cases). */
  | { readonly type: 'timeout'; readonly tag: string };

/** Where in the tester's script an observation happened: after its n-th frame (1-based), if any. */
export interface Cause {
  /** Frames the tester had sent (and the peer had received) before this observation; 0 = none. */
  readonly afterFrame: number;
  /** Opcode of that frame, for messages like "after frame 2 (reserved opcode 7)". */
  readonly opcode: number | null;
  /** Its RSV bits. */
  readonly rsv: number;
}

export type Observation =
  | { readonly kind: 'message'; readonly payload: Uint8Array; readonly binary: boolean; readonly cause: Cause }
  | { readonly kind: 'pong'; readonly payload: Uint8Array; readonly cause: Cause }
  | { readonly kind: 'close'; readonly code: number | null; readonly reason: Uint8Array; readonly cause: Cause }
  /** The peer sent something the tester's decoder rejects (its own protocol violation). */
  | { readonly kind: 'violation'; readonly reason: string; readonly code: number; readonly cause: Cause }
  /** The peer closed the TCP connection. */
  | { readonly kind: 'tcp-closed'; readonly cause: Cause };

export function eventsEqual(a: readonly RecordedEvent[], b: readonly RecordedEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eventEqual(a[i]!, b[i]!)) return false;
  return true;
}

export function eventEqual(a: RecordedEvent, b: RecordedEvent): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'timeout') return a.tag === (b as typeof a).tag;
  if (a.type === 'message' && a.binary !== (b as typeof a).binary) return false;
  return bytesEqual(a.payload, (b as typeof a).payload);
}

/** Do two observations say the same thing (causes aside)? */
export function observationsMatch(a: Observation, b: Observation): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'message':
      return a.binary === (b as typeof a).binary && bytesEqual(a.payload, (b as typeof a).payload);
    case 'pong':
      return bytesEqual(a.payload, (b as typeof a).payload);
    case 'close':
      return a.code === (b as typeof a).code;
    case 'violation':
      return true;
    case 'tcp-closed':
      return true;
  }
}

/**
 * `received` against `list` when the peer's application may lag behind its
 * library. A library answers Pings (and Closes) as frames arrive while its
 * application echoes the messages handed to it whenever it runs, so the
 * application's echoes may come after any number of the library's Pongs;
 * each stream keeps its own order. RFC 6455 orders neither against the
 * other: §5.5.2 asks for a Pong "as soon as is practical", and an echo not
 * yet started is no "current message" that §5.5.1 lets a Close wait for.
 * `complete`: the messages of `received` are those of `list`, and so are its
 * other events, each in order; `echoes-missing`: the other events are all
 * there and the messages are a proper prefix of the list's; `prefix`: each
 * stream of `received` is a prefix of the same stream of `list` (more may
 * come); otherwise `no`.
 */
export function laggedMatch(received: readonly RecordedEvent[], list: readonly RecordedEvent[]): 'complete' | 'echoes-missing' | 'prefix' | 'no' {
  let m = 0;
  let o = 0;
  let listMessages = 0;
  for (const e of list) if (e.type === 'message') listMessages++;
  const listOthers = list.length - listMessages;
  // Next message and next other event of `list`, found by walking it once per stream.
  let mAt = 0;
  let oAt = 0;
  for (const e of received) {
    if (e.type === 'message') {
      while (mAt < list.length && list[mAt]!.type !== 'message') mAt++;
      if (mAt === list.length || !eventEqual(e, list[mAt]!)) return 'no';
      mAt++;
      m++;
    } else {
      while (oAt < list.length && list[oAt]!.type === 'message') oAt++;
      if (oAt === list.length || !eventEqual(e, list[oAt]!)) return 'no';
      oAt++;
      o++;
    }
  }
  if (o < listOthers) return 'prefix';
  return m === listMessages ? 'complete' : 'echoes-missing';
}

/**
 * The tester's observation list, bounded. A performance case echoes
 * thousands of messages whose verdict rests on the goal, not on the list, and
 * a hostile peer can send without end; holding every payload would let either
 * exhaust memory. Performance cases keep no message or pong observations
 * (Autobahn's own `received` list stays empty there too); every case keeps at
 * most `limit` observations and `payloadBudget` octets of payload, and counts
 * what it dropped. Payloads are copied: a decoder may hand out views of a
 * socket's read, and a view keeps the whole read alive.
 */
export class ObservationLog {
  readonly entries: Observation[] = [];
  dropped = 0;
  private payloadOctets = 0;

  constructor(
    private readonly options: { readonly perfCase: boolean; readonly limit?: number; readonly payloadBudget?: number },
  ) {}

  record(o: Observation): void {
    const carriesPayload = o.kind === 'message' || o.kind === 'pong';
    if (this.options.perfCase && carriesPayload) return;
    const octets = carriesPayload ? o.payload.length : o.kind === 'close' ? o.reason.length : 0;
    if (this.entries.length >= (this.options.limit ?? OBSERVATION_LIMIT) || this.payloadOctets + octets > (this.options.payloadBudget ?? OBSERVATION_PAYLOAD_BUDGET)) {
      this.dropped++;
      return;
    }
    this.payloadOctets += octets;
    if (carriesPayload) this.entries.push({ ...o, payload: ownBytes(o.payload) });
    else if (o.kind === 'close') this.entries.push({ ...o, reason: ownBytes(o.reason) });
    else this.entries.push(o);
  }
}

/** Payload octets one case keeps: 64 times the largest message a non-performance case expects back (65536 octets). */
export const OBSERVATION_PAYLOAD_BUDGET = 4 * 1024 * 1024;

/** More than any acceptable trace in the catalogue is long, by two orders of magnitude. */
export const OBSERVATION_LIMIT = 10_000;

/** The tester's largest message: four times the catalogue's largest (16 MiB, cases 9.1.6 and 9.2.6). */
export const TESTER_MAX_MESSAGE = 64 * 1024 * 1024;
