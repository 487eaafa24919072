/**
 * The nonce and its proof in the opening handshake: `Sec-WebSocket-Key`
 * (RFC 6455 §4.1, §11.3.1) and `Sec-WebSocket-Accept` (§4.2.2, §11.3.3).
 */
import { encodeBase64 } from '../base64.js';
import { sha1 } from '../sha1.js';
import { encodeHeadText } from './octets.js';

/** The GUID RFC 6455 §1.3 and §4.2.2 append to the key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The protocol version RFC 6455 defines: "|Sec-WebSocket-Version| header
 * field, with a value of 13" (§4.1, §4.2.1).
 */
export const WEBSOCKET_VERSION = '13';

/**
 * `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455 §4.2.2 item 5.4):
 * "concatenate this with the Globally Unique Identifier … A SHA-1 hash
 * (160 bits) of this concatenated value is obtained … The value of this header
 * field is constructed by … base64-encoding (see Section 4 of [RFC4648]) this
 * SHA-1 hash." The key is used as received ("as a string, not base64-decoded",
 * §4.1), its characters taken as octets.
 *
 * `computeAccept('dGhlIHNhbXBsZSBub25jZQ==') === 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='`.
 */
export function computeAccept(key: string): string {
  return encodeBase64(sha1(encodeHeadText(key + WEBSOCKET_GUID)));
}

/**
 * A `Sec-WebSocket-Key` from caller-supplied randomness (RFC 6455 §4.1: "a
 * nonce consisting of a randomly selected 16-byte value that has been
 * base64-encoded"; "The nonce MUST be selected randomly for each connection").
 * The codec is pure, so the caller draws the 16 octets (for example with
 * `crypto.getRandomValues`). Exactly the given octets are encoded: other
 * lengths make deliberately invalid keys for testing servers.
 */
export function generateKey(random16: Uint8Array): string {
  return encodeBase64(random16);
}
