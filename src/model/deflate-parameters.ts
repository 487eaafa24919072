/**
 * permessage-deflate negotiation outside RFC 7692's grammar, as data: offers
 * a server must decline (§7: a server must not accept an offer whose
 * parameters are invalid, and may decline it) and answers a client must fail
 * the connection for (§7: a client must fail it on a response it cannot
 * accept). The catalogue makes a case of each (18.1, 18.2), and
 * exploration's varied handshakes draw from the same lists.
 */
export interface BadDeflateParameters {
  /** The Sec-WebSocket-Extensions value. */
  readonly value: string;
  /** What is wrong with it, in a few words. */
  readonly why: string;
  /** The rule it breaks. */
  readonly rfc: string;
}

export const OFFERS_TO_DECLINE: readonly BadDeflateParameters[] = [
  { value: 'permessage-deflate; server_max_window_bits=7', why: 'a window below 8', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=16', why: 'a window above 15', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=08', why: 'a leading zero', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=abc', why: 'not a number', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits', why: 'a window parameter without its value', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; client_max_window_bits=0', why: 'a client window of 0', rfc: 'RFC 7692 §7, §7.1.2.2' },
  { value: 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', why: 'a parameter twice', rfc: 'RFC 7692 §7' },
  { value: 'permessage-deflate; x_wscheck_unknown', why: 'a parameter RFC 7692 does not define', rfc: 'RFC 7692 §7' },
  { value: 'permessage-deflate; server_no_context_takeover=1', why: 'a value on a parameter that takes none', rfc: 'RFC 7692 §7, §7.1.1.1' },
];

export const ANSWERS_TO_FAIL: readonly BadDeflateParameters[] = [
  { value: 'permessage-deflate; server_max_window_bits=7', why: 'a window below 8', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=16', why: 'a window above 15', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=1000000000000', why: 'a window no zlib accepts', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; server_max_window_bits=08', why: 'a leading zero', rfc: 'RFC 7692 §7, §7.1.2.1' },
  { value: 'permessage-deflate; client_max_window_bits', why: 'client_max_window_bits without the value a response needs', rfc: 'RFC 7692 §7, §7.1.2.2' },
  { value: 'permessage-deflate; client_max_window_bits=16', why: 'a client window above 15', rfc: 'RFC 7692 §7, §7.1.2.2' },
  { value: 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', why: 'a parameter twice', rfc: 'RFC 7692 §7' },
  { value: 'permessage-deflate; x_wscheck_unknown', why: 'a parameter RFC 7692 does not define', rfc: 'RFC 7692 §7' },
  { value: 'permessage-deflate; client_no_context_takeover=1', why: 'a value on a parameter that takes none', rfc: 'RFC 7692 §7, §7.1.1.2' },
  { value: 'permessage-deflate, permessage-deflate', why: 'the extension accepted twice', rfc: 'RFC 7692 §5' },
];
