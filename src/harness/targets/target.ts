/**
 * Implementations under test that wscheck can start itself (`builtin:NAME`):
 * real libraries behind an echo application, and the project's deliberately
 * broken ones. A server target listens on 127.0.0.1 and echoes; a client
 * target opens one connection to a URL on request and echoes until it closes.
 */
import type { DeclaredLimits } from '../../model/limits.js';

/** A running server under test. */
export interface ServerUnderTest {
  readonly url: string;
  close(): Promise<void>;
}

/** A running client under test: it connects when asked. */
export interface ClientUnderTest {
  /**
   * Open one WebSocket connection to `url`, echo every message with its type
   * until the connection ends, then resolve. Never rejects: a refused or
   * failed connection simply ends.
   */
  connect(url: string): Promise<void>;
  close(): Promise<void>;
}

export interface TargetInfo {
  /** `builtin:NAME` names it. */
  readonly name: string;
  /** One line for `--help` and reports: the library and version, or the bug. */
  readonly description: string;
  /** Deliberately broken (for demonstrations and wscheck's own tests). */
  readonly broken?: boolean;
  /** The declared limits it can enforce (none when absent). */
  readonly limits?: LimitSupport;
}

/**
 * How to start a target: the limits the user declared (`--max-message`,
 * `--max-frame`), which a built-in target configures its library with, so
 * that the limits the oracle assumes are the ones it enforces.
 */
export interface TargetOptions {
  readonly limits?: DeclaredLimits;
}

export interface ServerTargetFactory extends TargetInfo {
  start(options?: TargetOptions): Promise<ServerUnderTest>;
}

export interface ClientTargetFactory extends TargetInfo {
  start(options?: TargetOptions): Promise<ClientUnderTest>;
}

/** Which declared limits a target can be configured with; one it cannot enforce is refused (`limitsRefusal`). */
export interface LimitSupport {
  readonly message: boolean;
  readonly frame: boolean;
}

/** Why `target` cannot run with `limits`, in one line, or null when it can. */
export function limitsRefusal(target: TargetInfo, limits: DeclaredLimits | undefined): string | null {
  const can = target.limits ?? { message: false, frame: false };
  if (limits?.maxMessage !== undefined && !can.message) return `builtin:${target.name} has no message limit wscheck can set; leave out --max-message`;
  if (limits?.maxFrame !== undefined && !can.frame) {
    return `builtin:${target.name} has no frame limit apart from its message limit; leave out --max-frame${can.message ? ' (--max-message bounds its frames too)' : ''}`;
  }
  return null;
}
