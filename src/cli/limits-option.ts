/**
 * `--max-message N` and `--max-frame N`: the limits of the implementation
 * under test, in octets, declared so that the oracle knows which messages it
 * must refuse with 1009 (categories 15 and 16).
 */
import { type DeclaredLimits, MAX_DECLARED_LIMIT } from '../model/limits.js';
import { UsageError } from './errors.js';

function octets(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_DECLARED_LIMIT) {
    throw new UsageError(
      `--${name} must be the peer's limit in octets, a whole number from 1 to ${MAX_DECLARED_LIMIT} (1 GiB: wscheck sends a message that long), got "${value}"`,
    );
  }
  return n;
}

/** The declared limits, or undefined when neither option was given. */
export function parseLimitOptions(maxMessage: string | undefined, maxFrame: string | undefined): DeclaredLimits | undefined {
  const message = octets('max-message', maxMessage);
  const frame = octets('max-frame', maxFrame);
  if (message === undefined && frame === undefined) return undefined;
  if (message !== undefined && frame !== undefined && frame > message) {
    throw new UsageError(`--max-frame ${frame} is larger than --max-message ${message}; a frame cannot be longer than its message, so give a frame limit at most the message limit`);
  }
  return { ...(message !== undefined ? { maxMessage: message } : {}), ...(frame !== undefined ? { maxFrame: frame } : {}) };
}

export const LIMIT_USAGE = `  --max-message N  the peer's message limit in octets (RFC 6455 §10.4): the model expects
                   1009 for longer messages; without it the cases that need it
                   (category 15) are UNIMPLEMENTED. builtin:NAME targets are
                   configured with it
  --max-frame N    the peer's frame limit in octets, when below its message limit`;
