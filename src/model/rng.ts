/**
 * A seeded 32-bit generator (xorshift32) for the masking keys a client must
 * choose (RFC 6455 §5.3 wants them unpredictable to intermediaries; a tester
 * wants them replayable). Its state is one number, so it lives in plain-data
 * model state. Seed it from a cryptographic source when talking to real peers
 * and record the seed.
 */
export function nextRandom(state: number): number {
  let x = state >>> 0 || 0x9e3779b9;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}
