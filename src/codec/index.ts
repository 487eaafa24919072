/**
 * `wscheck/codec`: the pure reference codec of RFC 6455 (frames, messages,
 * UTF-8, close bodies, opening handshake). No I/O, no timers, no Node-only
 * APIs: it runs in any JavaScript runtime.
 */
export * from './opcode.js';
export * from './frame.js';
export * from './mask.js';
export * from './encode.js';
export * from './fragment.js';
export * from './utf8.js';
export * from './violation.js';
export * from './close.js';
export * from './extension.js';
export * from './decoder.js';
export * from './handshake.js';
export { sha1, SHA1_DIGEST_LENGTH } from './sha1.js';
export { encodeBase64, decodeBase64 } from './base64.js';
export * from './deflate/index.js';
