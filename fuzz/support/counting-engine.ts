/**
 * A `DeflateEngine` in front of another one that holds every decompressor to
 * its contract (src/codec/deflate/engine.ts), call by call, by the engine's
 * own count (`RawInflater.produced`): never more than `maxOutput + 1` octets
 * out of one call; `limit` exactly when that many came out; `ok` output as
 * long as what was counted and within `maxOutput`; consumption within the
 * input. It also adds up what the decompressors produced, so the target can
 * hold a whole message to its limit (a bomb stops at limit + 1 octets).
 */
import type { DeflateEngine, InflateResult, RawInflater } from '../../src/codec/deflate/index.js';
import { check } from './input.js';

export class CountingEngine implements DeflateEngine {
  readonly name: string;
  /** Octets all decompressors produced since the last {@link take}. */
  private produced = 0;

  constructor(private readonly inner: DeflateEngine) {
    this.name = `counted ${inner.name}`;
  }

  createDeflater(options: Parameters<DeflateEngine['createDeflater']>[0]): ReturnType<DeflateEngine['createDeflater']> {
    return this.inner.createDeflater(options);
  }

  createInflater(options: Parameters<DeflateEngine['createInflater']>[0]): RawInflater {
    const inner = this.inner.createInflater(options);
    const add = (n: number) => {
      this.produced += n;
    };
    return {
      inflate(input: Uint8Array, maxOutput: number): InflateResult {
        const before = inner.produced;
        const r = inner.inflate(input, maxOutput);
        const produced = inner.produced - before;
        add(produced);
        check(produced >= 0 && produced <= maxOutput + 1, 'inflate-bound', () => `one inflate call produced ${produced} octets (engine count) with maxOutput ${maxOutput}: a bomb must stop at maxOutput + 1`);
        if (r.status === 'ok') {
          check(r.output.length === produced && r.output.length <= maxOutput, 'inflate-bound', () => `inflate returned ${r.output.length} octets, counted ${produced}, maxOutput ${maxOutput}`);
          check(r.consumed >= 0 && r.consumed <= input.length, 'inflate-consumed', () => `inflate consumed ${r.consumed} of ${input.length} octets`);
        } else if (r.status === 'limit') {
          check(r.produced === maxOutput + 1 && produced === maxOutput + 1, 'inflate-bound', () => `inflate stopped at the limit having produced ${r.produced} octets (engine count ${produced}); the limit was ${maxOutput}, so ${maxOutput + 1}`);
        }
        return r;
      },
      reset: () => inner.reset(),
      close: () => inner.close(),
      get produced() {
        return inner.produced;
      },
    };
  }

  /** What was produced since the last call, and start counting again. */
  take(): number {
    const n = this.produced;
    this.produced = 0;
    return n;
  }
}
