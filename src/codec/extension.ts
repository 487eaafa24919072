/**
 * The hook through which negotiated extensions (RFC 6455 §9) take part in
 * framing. A per-message extension such as permessage-deflate (RFC 7692) gives
 * meaning to RSV bits on the first frame of a data message and transforms the
 * message payload as a whole. The decoder and encoder only know this
 * interface; negotiation lives with the handshake.
 */
import type { DataOpcode } from './opcode.js';

export type ExtensionDecodeResult =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly reason: string; readonly code?: number };

export interface MessageExtension {
  /** Registered extension name, e.g. `permessage-deflate`. */
  readonly name: string;
  /**
   * RSV bits (RSV1 = 4, RSV2 = 2, RSV3 = 1) the extension defines. RFC 7692
   * §6.1: they may be set only on the first frame of a data message.
   */
  readonly rsvBits: number;
  /**
   * Transform a complete received message whose first frame carried `rsv`
   * (masked to this extension's bits; 0 means the message was not
   * transformed). The result must not exceed `maxLength` octets: stop and
   * fail (code 1009) rather than allocate more, which is the defence against
   * compression bombs.
   */
  decodeMessage(payload: Uint8Array, rsv: number, maxLength: number): ExtensionDecodeResult;
  /** Transform an outgoing message; returns the payload to frame and the RSV bits for its first frame. */
  encodeMessage(data: Uint8Array, opcode: DataOpcode): { readonly payload: Uint8Array; readonly rsv: number };
}
