import fc from 'fast-check';
import { encodeClosePayload } from '../codec/close.js';
import type { CloseCodeRegistry } from '../codec/close.js';
import { closeCode } from './closeCode.js';
import { textPayload } from './textPayload.js';

/** A valid Close frame body (RFC 6455 §5.5.1). */
export interface CloseBody {
  /** The status code, or null for an empty body. */
  readonly code: number | null;
  /** UTF-8 reason (empty when `code` is null). */
  readonly reason: Uint8Array;
  /** The body as sent: code (2 octets, big-endian) then reason. */
  readonly payload: Uint8Array;
}

/** Constraints of {@link closeBody}. */
export interface CloseBodyConstraints {
  /** Longest reason, in octets (default and at most 123: 125 less the code). */
  readonly maxReasonLength?: number;
  /** Registry of valid codes (default `iana`). */
  readonly registry?: CloseCodeRegistry;
}

/**
 * A valid Close body: empty; a code alone; or a code and a well-formed UTF-8
 * reason of up to 123 octets — exactly 123 often, the most a control frame
 * holds (RFC 6455 §5.5), with characters of every width so that the last one
 * may end exactly at the limit. Shrinks towards the empty body.
 */
export function closeBody(constraints: CloseBodyConstraints = {}): fc.Arbitrary<CloseBody> {
  const maxReason = constraints.maxReasonLength ?? 123;
  if (maxReason < 0 || maxReason > 123) throw new RangeError(`maxReasonLength must be 0..123, got ${maxReason}`);
  const code = closeCode({ validity: 'valid', ...(constraints.registry !== undefined ? { registry: constraints.registry } : {}) });
  const reason = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: textPayload({ maxLength: maxReason }), weight: 3 },
    { arbitrary: textPayload({ minLength: maxReason, maxLength: maxReason }), weight: 1 },
  );
  return fc.oneof(
    { withCrossShrink: true },
    fc.constant<CloseBody>({ code: null, reason: new Uint8Array(0), payload: new Uint8Array(0) }),
    code.map((c): CloseBody => ({ code: c, reason: new Uint8Array(0), payload: encodeClosePayload(c) })),
    fc.tuple(code, reason).map(([c, r]): CloseBody => ({ code: c, reason: r, payload: encodeClosePayload(c, r) })),
  );
}
