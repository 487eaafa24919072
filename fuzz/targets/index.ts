/**
 * The built-in fuzz targets: what each one fuzzes, the file Jazzer.js loads,
 * its dictionaries, and the code it instruments for coverage.
 */
import path from 'node:path';

export interface TargetInfo {
  readonly name: string;
  /** The module exporting `fuzz(data: Buffer)`. */
  readonly file: string;
  /** One line for `npx tsx fuzz list`. */
  readonly summary: string;
  /** Dictionaries (file names in fuzz/dictionaries/). */
  readonly dictionaries: readonly string[];
  /** libFuzzer's -max_len unless the user sets one. */
  readonly maxLen: number;
  /**
   * What Jazzer.js instruments: `src/…/` a folder of wscheck's own code,
   * `!src/….ts` a file of it left out (the harness uses it, e.g. the encoder
   * for round trips), `pkg:NAME/DIR/` a folder of an installed package.
   */
  readonly instrument: readonly string[];
}

const here = import.meta.dirname;

/** fuzz/dictionaries/ */
export const DICTIONARY_DIR = path.resolve(here, '../dictionaries');

export const TARGETS: readonly TargetInfo[] = [
  {
    name: 'decoder',
    file: path.join(here, 'decoder.ts'),
    summary: 'reference frame decoder, both roles, any options and TCP chop: no throw, agrees with a naive reading, chop invariance, bounded buffers, encode round trip, purity',
    dictionaries: ['websocket.dict'],
    maxLen: 4096,
    // The per-octet loops (UTF-8 automaton, masking) run uninstrumented: every instrumented comparison and edge
    // costs a call into Jazzer.js, per octet there. The utf8 target fuzzes the automaton itself.
    instrument: ['src/codec/', '!src/codec/encode.ts', '!src/codec/utf8.ts', '!src/codec/mask.ts'],
  },
  {
    name: 'handshake',
    file: path.join(here, 'handshake.ts'),
    summary: 'opening handshake: request and response head parsers (restartable, round trip) and the RFC 6455 §4 checks of both sides',
    dictionaries: ['http.dict'],
    maxLen: 4096,
    instrument: ['src/codec/'],
  },
  {
    name: 'model',
    file: path.join(here, 'model.ts'),
    summary: 'endpoint reducer: random sequences of peer octets, timers and application requests keep its invariants',
    dictionaries: ['websocket.dict', 'http.dict'],
    maxLen: 4096,
    instrument: ['src/codec/', 'src/model/'],
  },
  {
    name: 'utf8',
    file: path.join(here, 'utf8.ts'),
    summary: 'UTF-8 automaton and validator against TextDecoder, Buffer.isUtf8, ws and websocket-driver, any chunking',
    dictionaries: ['websocket.dict'],
    maxLen: 1024,
    instrument: ['src/codec/', 'pkg:ws/lib/'],
  },
  {
    name: 'ws-diff',
    file: path.join(here, 'ws-diff.ts'),
    summary: 'differential: the same octets through the reference decoder and ws\'s Receiver (same limits, same role)',
    dictionaries: ['websocket.dict'],
    maxLen: 4096,
    instrument: ['src/codec/', 'pkg:ws/lib/'],
  },
  {
    name: 'driver-diff',
    file: path.join(here, 'driver-diff.ts'),
    summary: 'differential: the same octets through the reference decoder and websocket-driver\'s hybi parser',
    dictionaries: ['websocket.dict'],
    maxLen: 4096,
    instrument: ['src/codec/', 'pkg:websocket-driver/lib/'],
  },
  {
    name: 'deflate',
    file: path.join(here, 'deflate.ts'),
    summary: 'permessage-deflate receiver, any agreement, limit and fragmentation: bounded inflate (bombs stop at limit + 1), 1009/1007, the window kept or not, agrees with zlib, round trips',
    dictionaries: ['deflate.dict'],
    maxLen: 4096,
    // The extension and the Node engine (the only module of src/harness/ the target imports). The frame decoder
    // around them runs uninstrumented: the decoder target fuzzes it.
    instrument: ['src/codec/deflate/', 'src/harness/'],
  },
];

export function findTarget(name: string): TargetInfo | undefined {
  return TARGETS.find((t) => t.name === name);
}
