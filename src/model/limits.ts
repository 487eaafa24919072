/**
 * The limits of the implementation under test (RFC 6455 §10.4:
 * "implementations SHOULD impose implementation-specific limits on frame size
 * and total message size"). A tester cannot discover them without guessing,
 * so the user declares them; the reference peer then enforces the same
 * limits, and the oracle computes which messages must be refused with 1009
 * (§7.4.1) and which must come back.
 */

export interface DeclaredLimits {
  /** Largest message accepted, in octets, summed over its fragments. */
  readonly maxMessage?: number;
  /**
   * Largest frame payload accepted, in octets. Without it a frame is bounded
   * only by the message limit (a frame cannot be larger than its message).
   */
  readonly maxFrame?: number;
}

/**
 * The reference peer's limit when the peer under test declared none: far
 * above every message a case sends whole (the catalogue's largest is 16 MiB),
 * far below the lengths a frame header can announce (2^63 − 1).
 */
export const UNDECLARED_LIMIT = 256 * 1024 * 1024;

/** The largest limit that can be declared: wscheck sends a message of exactly this size, so it must fit in memory. */
export const MAX_DECLARED_LIMIT = 2 ** 30;

/** The message limit the reference peer enforces. */
export function messageLimitOf(limits: DeclaredLimits | undefined): number {
  return limits?.maxMessage ?? UNDECLARED_LIMIT;
}

/** The frame limit the reference peer enforces: the declared one, never above the message limit. */
export function frameLimitOf(limits: DeclaredLimits | undefined): number {
  const message = messageLimitOf(limits);
  return Math.min(limits?.maxFrame ?? message, message);
}

/** Were any limits declared? */
export function hasDeclaredLimits(limits: DeclaredLimits | undefined): limits is DeclaredLimits {
  return limits !== undefined && (limits.maxMessage !== undefined || limits.maxFrame !== undefined);
}

/** The limits in words, for reports and the terminal. */
export function describeLimits(limits: DeclaredLimits | undefined): string {
  if (!hasDeclaredLimits(limits)) return 'no limits declared';
  const parts: string[] = [];
  if (limits.maxMessage !== undefined) parts.push(`messages up to ${limits.maxMessage} octets`);
  if (limits.maxFrame !== undefined) parts.push(`frames up to ${limits.maxFrame} octets`);
  return parts.join(', ');
}

/** The command-line options that declare `limits` again (for replay commands). */
export function limitOptions(limits: DeclaredLimits | undefined): string {
  if (!hasDeclaredLimits(limits)) return '';
  return `${limits.maxMessage !== undefined ? ` --max-message ${limits.maxMessage}` : ''}${limits.maxFrame !== undefined ? ` --max-frame ${limits.maxFrame}` : ''}`;
}
