/**
 * The choices RFC 6455 leaves to a conforming peer, as the oracle enumerates
 * them. Each combination is one reference peer; the traces of all of them are
 * the acceptable traces of a scenario.
 */
import type { CloseReplyPolicy, FailPolicy } from './types.js';

export interface PeerPolicy {
  /**
   * `immediate`: the peer's application echoes each message as soon as it is
   * delivered, even if later octets of the same read will fail the
   * connection. `after-batch`: the peer parses everything that arrived
   * together before its application runs, so a failure later in the batch
   * pre-empts the echo. The RFC allows both; Autobahn calls the second
   * NON-STRICT.
   */
  readonly echo: 'immediate' | 'after-batch';
  /**
   * `fail-fast`: fail at the first octet that makes a text message invalid;
   * `message-end`: only once the message is complete. RFC 6455 §8.1 allows
   * both; Autobahn 6.4 calls the second NON-STRICT.
   */
  readonly utf8: 'fail-fast' | 'message-end';
  readonly failBy: FailPolicy;
  readonly closeReply: CloseReplyPolicy;
  /** The code a peer fails with when a Close reason is not UTF-8 (1007 or 1002, both defensible). */
  readonly invalidCloseReason: 1007 | 1002;
  /** The code for a 64-bit length with its top bit set (1002 or 1009, both defensible). */
  readonly hugeLength: 1002 | 1009;
  /**
   * When a message over the limit fails the connection (§10.4, 1009):
   * `crossing`, at the header of the frame that takes the total over the
   * limit, before its payload or any later fragment is read; `message-end`,
   * only once the whole message has arrived. Both refuse the message, but
   * the second buffers what it should not have: NON-STRICT.
   */
  readonly messageLimit: 'crossing' | 'message-end';
  /**
   * A length not written in the minimal encoding (§5.2 binds the sender:
   * "the minimal number of bytes MUST be used"): `accept` it as the value it
   * encodes, or `reject` it as a protocol error (1002). The RFC asks nothing
   * of receivers, so accepting is the strict reading; refusing a frame whose
   * meaning is unambiguous is allowed but NON-STRICT.
   */
  readonly nonMinimalLength: 'accept' | 'reject';
}

/** Is this the strict reading of every choice? (Otherwise the trace is only NON-STRICT.) */
export function isStrictPolicy(p: PeerPolicy): boolean {
  return p.echo === 'immediate' && p.utf8 === 'fail-fast' && p.messageLimit === 'crossing' && p.nonMinimalLength === 'accept';
}

/**
 * Every policy combination, strict ones first; the first is the reference
 * (RFC's own wording at every choice). The same objects on every call, so
 * what is derived from a policy (its endpoint configuration) can be kept.
 */
export function allPolicies(): readonly PeerPolicy[] {
  return POLICIES;
}

const POLICIES: readonly PeerPolicy[] = Object.freeze(enumeratePolicies().map((p) => Object.freeze(p)));

function enumeratePolicies(): PeerPolicy[] {
  const out: PeerPolicy[] = [];
  for (const echo of ['immediate', 'after-batch'] as const) {
    for (const utf8 of ['fail-fast', 'message-end'] as const) {
      for (const failBy of ['close-then-drop', 'close-then-wait', 'drop'] as const) {
        for (const closeReply of ['echo-code', 'normal'] as const) {
          for (const messageLimit of ['crossing', 'message-end'] as const) {
            for (const nonMinimalLength of ['accept', 'reject'] as const) {
              // Paired with the reply policy rather than crossed with it: the two never interact, and
              // every value of each still occurs.
              out.push({
                echo,
                utf8,
                failBy,
                closeReply,
                invalidCloseReason: closeReply === 'echo-code' ? 1007 : 1002,
                hugeLength: closeReply === 'echo-code' ? 1002 : 1009,
                messageLimit,
                nonMinimalLength,
              });
            }
          }
        }
      }
    }
  }
  return out.sort((a, b) => Number(isStrictPolicy(b)) - Number(isStrictPolicy(a)));
}

/** The policy in words, for reports: which non-strict choice a peer made. */
export function describePolicy(p: PeerPolicy): string {
  const parts: string[] = [];
  parts.push(p.echo === 'immediate' ? 'echoes each message at once' : 'processes a whole read before echoing');
  parts.push(p.utf8 === 'fail-fast' ? 'fails fast on invalid UTF-8' : 'checks UTF-8 at message end');
  parts.push(
    p.failBy === 'close-then-drop'
      ? 'fails by Close frame then TCP close'
      : p.failBy === 'close-then-wait'
        ? 'fails by Close frame and waits for the reply'
        : 'fails by dropping TCP',
  );
  parts.push(p.closeReply === 'echo-code' ? 'echoes the close code' : 'replies 1000 to a Close');
  if (p.messageLimit === 'message-end') parts.push('refuses a message over the limit only once all of it has arrived');
  if (p.nonMinimalLength === 'reject') parts.push('refuses lengths not in their minimal encoding');
  return parts.join(', ');
}
