/**
 * Lints: things RFC 6455 allows but that point at a bug in the peer. They never
 * change a verdict; reports list them beside it.
 */
import type { ClosingFields, Role } from './types.js';

export interface Lint {
  readonly id: 'close-reason-nul-padding' | 'zero-mask-key' | 'repeated-mask-key' | 'server-never-closed-tcp' | 'non-minimal-length' | 'pre-rfc-draft-handshake';
  readonly message: string;
  readonly rule: string;
}

export interface LintInput {
  readonly peerRole: Role;
  readonly closing: ClosingFields;
  /** Masking keys of every frame the peer sent, in order (null: unmasked). */
  readonly peerMaskKeys: readonly (number | null)[];
  /** Length encodings of the frames the peer sent, with their payload lengths. */
  readonly peerLengths?: readonly { readonly encoding: 7 | 16 | 64; readonly length: number }[];
}

export function lint(input: LintInput): Lint[] {
  const lints: Lint[] = [];
  const reason = input.closing.remoteCloseReason;
  if (reason !== null && reason.length > 0 && reason[reason.length - 1] === 0) {
    let pad = 0;
    while (pad < reason.length && reason[reason.length - 1 - pad] === 0) pad++;
    lints.push({
      id: 'close-reason-nul-padding',
      message: `the peer's close reason ends with ${pad} NUL octet${pad === 1 ? '' : 's'}: a fixed-size buffer was probably sent instead of the reason's own length`,
      rule: 'RFC 6455 §5.5.1',
    });
  }
  if (input.peerRole === 'client') {
    const keys = input.peerMaskKeys.filter((k): k is number => k !== null);
    if (keys.some((k) => k === 0)) {
      lints.push({
        id: 'zero-mask-key',
        message: `${keys.filter((k) => k === 0).length} frame(s) from the client were masked with the key 0, which leaves the payload readable to intermediaries`,
        rule: 'RFC 6455 §5.3 (the masking key must be unpredictable)',
      });
    }
    const repeats = keys.filter((k, i) => i > 0 && k === keys[i - 1] && k !== 0).length;
    if (repeats > 0) {
      lints.push({
        id: 'repeated-mask-key',
        message: `the client reused the previous frame's masking key ${repeats} time(s)`,
        rule: 'RFC 6455 §5.3 (a fresh masking key for every frame)',
      });
    }
  }
  if (input.peerRole === 'server' && input.closing.wasServerConnectionDropTimeout) {
    lints.push({
      id: 'server-never-closed-tcp',
      message: 'after the closing handshake the server did not close the TCP connection; the tester had to',
      rule: 'RFC 6455 §7.1.1 (the server should close TCP first)',
    });
  }
  const nonMinimal = (input.peerLengths ?? []).filter((f) => (f.encoding === 16 && f.length <= 125) || (f.encoding === 64 && f.length <= 0xffff)).length;
  if (nonMinimal > 0) {
    lints.push({
      id: 'non-minimal-length',
      message: `${nonMinimal} frame(s) from the peer used a longer length encoding than needed`,
      rule: 'RFC 6455 §5.2 (the minimal number of bytes MUST be used to encode the length)',
    });
  }
  return lints;
}
