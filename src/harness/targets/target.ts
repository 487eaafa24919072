/**
 * Implementations under test that wscheck can start itself (`builtin:NAME`):
 * real libraries behind an echo application, and the project's deliberately
 * broken ones. A server target listens on 127.0.0.1 and echoes; a client
 * target opens one connection to a URL on request and echoes until it closes.
 */

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
}

export interface ServerTargetFactory extends TargetInfo {
  start(): Promise<ServerUnderTest>;
}

export interface ClientTargetFactory extends TargetInfo {
  start(): Promise<ClientUnderTest>;
}
