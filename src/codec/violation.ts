/**
 * Protocol violations a receiver detects, each with the close code RFC 6455
 * §7.4.1 assigns to its class. Violations are values, never thrown: a decoder
 * that detects one returns it and stops.
 */

/** Close codes a receiver fails the connection with (RFC 6455 §7.4.1). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  NoStatusReceived: 1005,
  Abnormal: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  TlsHandshake: 1015,
} as const;

export type ViolationKind =
  | 'reserved-rsv' // RSV bit set that no negotiated extension defines (§5.2)
  | 'reserved-opcode' // %x3-7 or %xB-F (§5.2)
  | 'fragmented-control' // control frame with FIN=0 (§5.5)
  | 'control-too-long' // control frame payload over 125 octets (§5.5)
  | 'unmasked-client-frame' // server received an unmasked frame (§5.1)
  | 'masked-server-frame' // client received a masked frame (§5.1)
  | 'length-msb-set' // most significant bit of a 64-bit length (§5.2)
  | 'non-minimal-length' // length not in its minimal encoding (§5.2), only when asked to reject
  | 'continuation-without-start' // opcode 0 with no message in progress (§5.4)
  | 'data-inside-fragmented' // text/binary frame while a fragmented message is open (§5.4)
  | 'invalid-utf8' // text message or close reason not UTF-8 (§8.1)
  | 'close-payload-length-1' // close body of one octet (§5.5.1)
  | 'invalid-close-code' // close code outside the valid ranges (§7.4)
  | 'frame-too-big' // frame payload over the configured limit (§10.4)
  | 'message-too-big' // message over the configured limit, counted over fragments (§10.4)
  | 'extension-error'; // a negotiated extension rejected the data (e.g. bad deflate stream)

export interface ProtocolViolation {
  readonly kind: ViolationKind;
  /** The status code to fail the WebSocket connection with. */
  readonly code: number;
  /** One line for people: what was wrong. */
  readonly reason: string;
  /** Where the RFC says so, e.g. `RFC 6455 §5.2`. */
  readonly rule: string;
  /** Octet offset in the received stream where the violation became certain. */
  readonly offset: number;
}

const CODE_OF: Record<ViolationKind, number> = {
  'reserved-rsv': CloseCode.ProtocolError,
  'reserved-opcode': CloseCode.ProtocolError,
  'fragmented-control': CloseCode.ProtocolError,
  'control-too-long': CloseCode.ProtocolError,
  'unmasked-client-frame': CloseCode.ProtocolError,
  'masked-server-frame': CloseCode.ProtocolError,
  'length-msb-set': CloseCode.ProtocolError,
  'non-minimal-length': CloseCode.ProtocolError,
  'continuation-without-start': CloseCode.ProtocolError,
  'data-inside-fragmented': CloseCode.ProtocolError,
  'invalid-utf8': CloseCode.InvalidPayload,
  'close-payload-length-1': CloseCode.ProtocolError,
  'invalid-close-code': CloseCode.ProtocolError,
  'frame-too-big': CloseCode.MessageTooBig,
  'message-too-big': CloseCode.MessageTooBig,
  'extension-error': CloseCode.ProtocolError,
};

const RULE_OF: Record<ViolationKind, string> = {
  'reserved-rsv': 'RFC 6455 §5.2',
  'reserved-opcode': 'RFC 6455 §5.2',
  'fragmented-control': 'RFC 6455 §5.5',
  'control-too-long': 'RFC 6455 §5.5',
  'unmasked-client-frame': 'RFC 6455 §5.1',
  'masked-server-frame': 'RFC 6455 §5.1',
  'length-msb-set': 'RFC 6455 §5.2',
  'non-minimal-length': 'RFC 6455 §5.2',
  'continuation-without-start': 'RFC 6455 §5.4',
  'data-inside-fragmented': 'RFC 6455 §5.4',
  'invalid-utf8': 'RFC 6455 §8.1',
  'close-payload-length-1': 'RFC 6455 §5.5.1',
  'invalid-close-code': 'RFC 6455 §7.4',
  'frame-too-big': 'RFC 6455 §10.4',
  'message-too-big': 'RFC 6455 §10.4',
  'extension-error': 'RFC 7692 §6',
};

/** The close code a receiver uses for each class of violation. */
export function closeCodeFor(kind: ViolationKind): number {
  return CODE_OF[kind];
}

export function violation(kind: ViolationKind, reason: string, offset: number, code = CODE_OF[kind]): ProtocolViolation {
  return { kind, code, reason, rule: RULE_OF[kind], offset };
}
