/**
 * Fuzz target `utf8`: wscheck's UTF-8 automaton (src/codec/utf8.ts), which
 * decides RFC 6455 §8.1's "MUST _Fail the WebSocket Connection_" for text
 * messages and close reasons, against four other judges of the same octets:
 *
 * - the platform's `TextDecoder('utf-8', { fatal: true })` (WHATWG Encoding);
 * - Node's `buffer.isUtf8` (simdutf);
 * - a plain scan written from the Unicode Standard's Table 3-7
 *   (fuzz/support/frames.ts), which also says where the input goes wrong;
 * - ws (a text message through its Receiver) and websocket-driver (its
 *   `UTF8_MATCH` regular expression).
 *
 * And, for the automaton alone: feeding the octets in any chunks (the
 * fuzzer picks the cuts) reaches the same state and the same first invalid
 * offset as feeding them at once.
 *
 * Input: a mode octet (reserved), the chop plan, then the octets.
 */
/// <reference path="../support/peers/websocket-driver.d.ts" />
import { isUtf8 } from 'node:buffer';
import Hybi from 'websocket-driver/lib/websocket/driver/hybi.js';
import { encodeFrame } from '../../src/codec/encode.js';
import { UTF8_ACCEPT, Utf8Validator, firstInvalidUtf8Offset, isValidUtf8, utf8Advance } from '../../src/codec/utf8.js';
import { firstIllFormed, wellFormed } from '../support/frames.js';
import { FuzzInput, chopAt, check, cutPoints, hex, readChop } from '../support/input.js';
import { wsPeer } from '../support/peers/ws.js';

const driverMatch = Hybi.prototype.UTF8_MATCH;
const ws = wsPeer('client', 0x7fffffff);

export function checkUtf8(data: Uint8Array): void {
  const input = new FuzzInput(data);
  input.byte();
  const chop = readChop(input);
  const bytes = new Uint8Array(input.rest());

  const ours = isValidUtf8(bytes);
  let platform = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    platform = false;
  }
  const table = wellFormed(bytes);
  const simd = isUtf8(bytes);
  const show = () => `${hex(bytes)}: wscheck ${ours}, TextDecoder ${platform}, Table 3-7 scan ${table}, Buffer.isUtf8 ${simd}`;
  check(ours === platform && ours === table && ours === simd, 'utf8-validity', show);

  // Where it goes wrong: the first octet no continuation can save, or the end when a character is cut off.
  const bad = firstIllFormed(bytes);
  const expected = bad >= 0 ? bad : table ? -1 : bytes.length;
  const offset = firstInvalidUtf8Offset(bytes);
  check(offset === expected, 'utf8-offset', () => `${hex(bytes)}: wscheck says octet ${offset}, the Table 3-7 scan ${expected}`);

  // Any chunking: the same automaton state, the same first invalid offset.
  const chunks = chopAt(bytes, cutPoints(chop, bytes.length));
  let state = UTF8_ACCEPT;
  let consumed = 0;
  let failedAt = -1;
  for (const c of chunks) {
    const r = utf8Advance(state, c);
    if (r < 0) {
      failedAt = consumed + (-r - 1);
      break;
    }
    state = r;
    consumed += c.length;
  }
  const whole = utf8Advance(UTF8_ACCEPT, bytes);
  check(failedAt < 0 ? whole === state : whole === -(failedAt + 1), 'utf8-chunking', () => `${hex(bytes)} in reads of [${chunks.map((c) => c.length).join(',')}]: state ${failedAt < 0 ? state : `failed at ${failedAt}`}, at once ${whole}`);
  const validator = new Utf8Validator();
  let pushed = -1;
  for (const c of chunks) pushed = validator.push(c);
  const ended = validator.end();
  check(ended === offset && (pushed < 0 || pushed === offset), 'utf8-chunking', () => `${hex(bytes)}: Utf8Validator says ${ended} (push ${pushed}), firstInvalidUtf8Offset ${offset}`);

  // ws: one unmasked text frame to a client; websocket-driver: its regular expression over the octets as latin1.
  const frame = encodeFrame({ opcode: 1, payload: bytes });
  const wsRun = ws.run([frame]);
  const wsValid = wsRun.outcome.kind === 'open' && wsRun.observations.length === 1;
  check(wsValid === ours, 'utf8-ws', () => `${hex(bytes)}: ws ${wsValid ? 'accepts' : 'rejects'} the text message (${wsRun.outcome.kind === 'failed' ? wsRun.outcome.detail : wsRun.outcome.kind}); wscheck says ${ours ? 'valid' : 'invalid'}`);
  const driverValid = driverMatch.test(Buffer.from(bytes).toString('latin1'));
  check(driverValid === ours, 'utf8-websocket-driver', () => `${hex(bytes)}: websocket-driver's UTF8_MATCH says ${driverValid}; wscheck ${ours}`);
}

export function fuzz(data: Buffer): void {
  checkUtf8(data);
}
