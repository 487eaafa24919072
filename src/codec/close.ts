/**
 * Close frame bodies (RFC 6455 §5.5.1, §7.4).
 */
import { utf8Advance, UTF8_ACCEPT } from './utf8.js';
import { type ProtocolViolation, violation } from './violation.js';

/**
 * Which status codes a receiver accepts. `iana` is RFC 6455 plus the codes IANA
 * registered later (1012 Service Restart, 1013 Try Again Later, 1014 Bad
 * Gateway); `rfc6455` is the RFC alone (the set the Autobahn testsuite's engine
 * accepts).
 */
export type CloseCodeRegistry = 'iana' | 'rfc6455';

/**
 * May `code` appear in a Close frame? 1000-1003 and 1007-1011 are defined by
 * RFC 6455 §7.4.1; 1004 is reserved; 1005, 1006 and 1015 "MUST NOT be set as a
 * status code in a Close control frame"; the rest of 1000-2999 is reserved for
 * future revisions (§7.4.2); 3000-3999 are IANA-registered and 4000-4999 private;
 * everything below 1000 or above 4999 is not a status code.
 */
export function isValidCloseCode(code: number, registry: CloseCodeRegistry = 'iana'): boolean {
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1011) return true;
  if (registry === 'iana' && code >= 1012 && code <= 1014) return true;
  return false;
}

export interface ClosePayload {
  /** Status code, or null for an empty body (reported as 1005 by APIs). */
  readonly code: number | null;
  /** Reason octets (valid UTF-8 when parsed by `parseClosePayload`). */
  readonly reason: Uint8Array;
}

export type ClosePayloadResult =
  | { readonly ok: true; readonly close: ClosePayload }
  | { readonly ok: false; readonly violation: ProtocolViolation };

/**
 * Parse and validate a received close body. `offset` is the stream offset of
 * the body, for the violation's position.
 */
export function parseClosePayload(
  body: Uint8Array,
  options: {
    registry?: CloseCodeRegistry;
    offset?: number;
    /**
     * Close code for a reason that is not UTF-8: 1007 (invalid payload data,
     * RFC 6455 §7.4.1) by default; 1002 (protocol error) is as defensible,
     * since a close reason is not a message.
     */
    invalidReasonCode?: 1007 | 1002;
  } = {},
): ClosePayloadResult {
  const offset = options.offset ?? 0;
  if (body.length === 0) return { ok: true, close: { code: null, reason: body } };
  // §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer".
  if (body.length === 1) {
    return { ok: false, violation: violation('close-payload-length-1', 'close frame body of 1 octet', offset) };
  }
  const code = (body[0]! << 8) | body[1]!;
  if (!isValidCloseCode(code, options.registry)) {
    return { ok: false, violation: violation('invalid-close-code', `invalid close code ${code}`, offset) };
  }
  const reason = body.subarray(2);
  const r = utf8Advance(UTF8_ACCEPT, reason);
  if (r !== UTF8_ACCEPT) {
    const at = r < 0 ? -r - 1 : reason.length;
    return {
      ok: false,
      violation: violation('invalid-utf8', `close reason is not UTF-8 (octet ${at})`, offset + 2 + at, options.invalidReasonCode ?? 1007),
    };
  }
  return { ok: true, close: { code, reason } };
}

/** Read the code and reason of a close body without validating (what a report records). */
export function peekClosePayload(body: Uint8Array): { code: number | null; reason: Uint8Array | null } {
  if (body.length < 2) return { code: null, reason: null };
  return { code: (body[0]! << 8) | body[1]!, reason: body.length > 2 ? body.subarray(2) : null };
}

const textEncoder = new TextEncoder();

/**
 * Build a close body. No validation: a tester sends invalid codes and reasons
 * on purpose. `code` null gives an empty body (and then a reason is an error).
 */
export function encodeClosePayload(code: number | null, reason: string | Uint8Array = ''): Uint8Array {
  const reasonBytes = typeof reason === 'string' ? textEncoder.encode(reason) : reason;
  if (code === null) {
    if (reasonBytes.length > 0) throw new RangeError('a close reason needs a close code (RFC 6455 §5.5.1)');
    return new Uint8Array(0);
  }
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) throw new RangeError(`close code ${code} is not 16 bits`);
  const body = new Uint8Array(2 + reasonBytes.length);
  body[0] = code >>> 8;
  body[1] = code & 0xff;
  body.set(reasonBytes, 2);
  return body;
}
