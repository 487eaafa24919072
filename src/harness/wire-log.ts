/**
 * What crossed the wire during one case: every read and write with its size,
 * every frame in both directions, the tester's timers; and statistics of read
 * and write sizes (chop sizes) and frames by opcode, both directions. Payloads
 * are kept only up to 64 octets, which is all any report shows.
 */

export const LOGGED_OCTETS = 64;

/**
 * Entries one case logs at most. The catalogue's longest logs are under 200
 * entries (2.11 against ws); a peer that floods small frames would otherwise
 * grow the log, and the report pages made from it, without bound. At the limit logging stops as a bulk case stops it (a WLM
 * entry) and statistics go on counting.
 */
export const WIRE_LOG_LIMIT = 2_000;

export type WireEntry =
  | { readonly tag: 'RO'; readonly at: number; readonly length: number; readonly head: Uint8Array }
  | { readonly tag: 'TO'; readonly at: number; readonly length: number; readonly head: Uint8Array; readonly sync: boolean }
  | {
      readonly tag: 'RF';
      readonly at: number;
      readonly length: number;
      readonly head: Uint8Array;
      readonly opcode: number;
      readonly fin: boolean;
      readonly rsv: number;
      readonly maskKey: number | null;
    }
  | {
      readonly tag: 'TF';
      readonly at: number;
      /** Length and head of the payload argument (the unit, for repeated payloads). */
      readonly length: number;
      readonly head: Uint8Array;
      readonly opcode: number;
      readonly fin: boolean;
      readonly rsv: number;
      readonly maskKey: number | null;
      /** Real payload length when the payload is a repeated unit. */
      readonly repeatLength: number | null;
      readonly chop: number | null;
      readonly sync: boolean;
    }
  | { readonly tag: 'CT'; readonly at: number; readonly delay: number; readonly label: string | null }
  | { readonly tag: 'CTE'; readonly at: number; readonly label: string | null }
  | { readonly tag: 'KL'; readonly at: number; readonly delay: number }
  | { readonly tag: 'KLE'; readonly at: number }
  | { readonly tag: 'TI'; readonly at: number; readonly delay: number }
  | { readonly tag: 'TIE'; readonly at: number }
  | { readonly tag: 'WLM'; readonly at: number; readonly enabled: boolean };

export interface WireStats {
  /** Read size in octets → number of reads of that size (handshake included). */
  readonly rxOctets: Map<number, number>;
  readonly txOctets: Map<number, number>;
  /** Opcode → complete frames. */
  readonly rxFrames: Map<number, number>;
  readonly txFrames: Map<number, number>;
  /** Payload octets of data frames (opcodes 0-2), as on the wire (after compression): the WebSocket level. */
  dataPayloadRx: number;
  dataPayloadTx: number;
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A copy (a view of a socket's chunk would keep all of the chunk alive for as long as the log). */
function head(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, 0, LOGGED_OCTETS);
}

type WireEntryInput = WireEntry extends infer E ? (E extends WireEntry ? Omit<E, 'at'> : never) : never;

export class WireRecorder {
  readonly entries: WireEntry[] = [];
  readonly stats: WireStats = { rxOctets: new Map(), txOctets: new Map(), rxFrames: new Map(), txFrames: new Map(), dataPayloadRx: 0, dataPayloadTx: 0 };
  /** Bulk cases switch the log off; statistics still count. */
  enabled = true;

  constructor(private readonly clock: () => number) {}

  /** Logging stopped for good at WIRE_LOG_LIMIT. */
  full = false;

  private push(entry: WireEntryInput): void {
    if (!this.enabled || this.full) return;
    if (this.entries.length >= WIRE_LOG_LIMIT - 1) {
      this.full = true;
      this.entries.push({ tag: 'WLM', enabled: false, at: this.clock() });
      return;
    }
    this.entries.push({ ...entry, at: this.clock() } as WireEntry);
  }

  /** Is an entry pushed now kept? (Bulk cases log nothing; entries are not even built.) */
  private get logging(): boolean {
    return this.enabled && !this.full;
  }

  read(chunk: Uint8Array): void {
    bump(this.stats.rxOctets, chunk.length);
    if (this.logging) this.push({ tag: 'RO', length: chunk.length, head: head(chunk) });
  }

  wrote(chunk: Uint8Array, sync: boolean): void {
    bump(this.stats.txOctets, chunk.length);
    if (this.logging) this.push({ tag: 'TO', length: chunk.length, head: head(chunk), sync });
  }

  frameReceived(f: { opcode: number; fin: boolean; rsv: number; maskKey: number | null; payload: Uint8Array }): void {
    bump(this.stats.rxFrames, f.opcode);
    if (f.opcode <= 2) this.stats.dataPayloadRx += f.payload.length;
    if (this.logging) this.push({ tag: 'RF', length: f.payload.length, head: head(f.payload), opcode: f.opcode, fin: f.fin, rsv: f.rsv, maskKey: f.maskKey });
  }

  frameSent(
    f: { opcode: number; fin: boolean; rsv: number; maskKey: number | null; payload: Uint8Array },
    how: { repeatUnit: Uint8Array | null; chop: number | null; sync: boolean },
  ): void {
    bump(this.stats.txFrames, f.opcode);
    if (f.opcode <= 2) this.stats.dataPayloadTx += f.payload.length;
    const argument = how.repeatUnit ?? f.payload;
    if (this.logging) this.push({
      tag: 'TF',
      length: argument.length,
      head: head(argument),
      opcode: f.opcode,
      fin: f.fin,
      rsv: f.rsv,
      maskKey: f.maskKey,
      repeatLength: how.repeatUnit !== null ? f.payload.length : null,
      chop: how.chop,
      sync: how.sync,
    });
  }

  note(entry: Extract<WireEntryInput, { tag: 'CT' | 'CTE' | 'KL' | 'KLE' | 'TI' | 'TIE' }>): void {
    this.push(entry);
  }

  /** Switch logging; unless `silent`, the switch itself is logged (Autobahn's WLM line). */
  setEnabled(enabled: boolean, silent = false): void {
    if (enabled === this.enabled) return;
    this.enabled = true;
    if (!silent) this.push({ tag: 'WLM', enabled });
    this.enabled = enabled;
  }
}
