import fc from 'fast-check';
import { type CloseCodeRegistry, isValidCloseCode } from '../codec/close.js';
import { ordered } from './_internals/ordered.js';

/** Constraints of {@link closeCode}. */
export interface CloseCodeConstraints {
  /** Draw codes a Close frame may carry (`valid`, the default) or codes it must not (`invalid`). */
  readonly validity?: 'valid' | 'invalid';
  /**
   * The registry that decides validity (default `iana`: RFC 6455 plus 1012-1014).
   * With `rfc6455`, 1012-1014 are left out of both sets, since registries disagree on them.
   */
  readonly registry?: CloseCodeRegistry;
}

const VALID_NAMED = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
const INVALID_NAMED = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

function disputed(code: number): boolean {
  return isValidCloseCode(code, 'iana') !== isValidCloseCode(code, 'rfc6455');
}

/**
 * A status code for a Close frame body (RFC 6455 §7.4): a defined or
 * registered one (1000-1003, 1007-1011, 1012-1014 with IANA, 3000-4999), or
 * one a Close frame must not carry (below 1000, 1004 reserved, 1005/1006/1015
 * never sent, 1016-2999 reserved, 5000 and above). Shrinks towards 1000
 * (valid) or 0 (invalid).
 */
export function closeCode(constraints: CloseCodeConstraints = {}): fc.Arbitrary<number> {
  const registry = constraints.registry ?? 'iana';
  const keep = (code: number): boolean => registry === 'iana' || !disputed(code);
  if ((constraints.validity ?? 'valid') === 'valid') {
    const named = VALID_NAMED.filter(keep);
    return fc.oneof(
      { withCrossShrink: true },
      { arbitrary: ordered(named), weight: 3 },
      { arbitrary: fc.integer({ min: 3000, max: 4999 }), weight: 1 },
    );
  }
  const named = INVALID_NAMED.filter(keep);
  return fc
    .oneof(
      { withCrossShrink: true },
      { arbitrary: ordered(named), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 999 }), weight: 1 },
      { arbitrary: fc.integer({ min: 1016, max: 2999 }), weight: 1 },
      { arbitrary: fc.integer({ min: 5000, max: 65535 }), weight: 1 },
    )
    .filter((code) => !isValidCloseCode(code, 'iana') && keep(code));
}
