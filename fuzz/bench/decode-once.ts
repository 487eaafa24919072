/**
 * The least a decoder target can do: read the setup octets and decode the
 * stream in one read, every line instrumented, no checks. The ceiling for
 * the `decoder` target's speed (docs/performance.md).
 *
 *   npx tsx fuzz fuzz/bench/decode-once.ts --corpus .fuzz-cache/corpus/decode-once --corpus corpus/decoder --time 30
 */
import { decode, initialDecoderState } from '../../src/codec/decoder.js';
import { readDecoderSetup } from '../support/decoder-setup.js';

export function fuzz(data: Buffer): void {
  const { options, stream } = readDecoderSetup(data);
  decode(initialDecoderState(), new Uint8Array(stream), options);
}
