/**
 * Compressed payloads that category 18 writes by hand (RFC 7692 §7.2.1: a
 * DEFLATE stream flushed to an octet boundary, the final `00 00 ff ff`
 * removed), so each case says exactly which octets go on the wire. What they
 * decompress to is left to the model (the codec's decoder); the tests check
 * them against zlib.
 */
import { BitWriter } from '../../codec/deflate/writer.js';
import { hex } from '../payload.js';

/** "Hello" compressed, as RFC 7692 §7.2.3.1 shows it (`f2 48 cd c9 c9 07 00`). */
export const DEFLATED_HELLO = hex('f248cdc9c90700');
/** "World" compressed the same way, with no reference to an earlier message. */
export const DEFLATED_WORLD = hex('0acf2fca490100');
/** The four octets a sync flush ends with, which the sender removes and the receiver appends (§7.2.1, §7.2.2). */
export const SYNC_TRAILER = hex('0000ffff');

/** RFC 1951 §3.2.6, fixed code of a literal octet below 144: 8 bits from 0x30. */
const literal = (w: BitWriter, octet: number): void => void w.code(0x30 + octet, 8);

/**
 * A decompression bomb: `octets` zero octets as one fixed-Huffman block
 * (a literal 0, then copies of 258 octets at distance 1, 13 bits each: about
 * 1/160 of the size it inflates to), followed by the header of the empty
 * stored block that the receiver's appended `00 00 ff ff` completes.
 */
export function deflatedZeros(octets: number): Uint8Array {
  const w = new BitWriter();
  w.bits(0, 1); // BFINAL 0
  w.bits(1, 2); // BTYPE 01: fixed Huffman codes
  let left = octets;
  if (left > 0) {
    literal(w, 0);
    left--;
  }
  for (; left >= 258; left -= 258) {
    w.code(0xc5, 8); // length symbol 285: 258 octets
    w.code(0, 5); // distance symbol 0: distance 1
  }
  for (; left > 0; left--) literal(w, 0);
  w.code(0, 7); // symbol 256: end of block
  w.bits(0, 3); // BFINAL 0, BTYPE 00: the stored block of the sync flush; LEN and NLEN come from the trailer
  return w.bytes();
}

/**
 * A fixed-Huffman block whose first symbol copies 3 octets from distance 1:
 * at the start of a connection there is nothing to copy (RFC 1951 §3.2:
 * "a distance … back in the uncompressed data").
 */
export function deflatedDistanceBeforeStart(): Uint8Array {
  const w = new BitWriter();
  w.bits(0, 1);
  w.bits(1, 2);
  w.code(1, 7); // length symbol 257: 3 octets
  w.code(0, 5); // distance 1
  w.code(0, 7); // end of block
  w.bits(0, 3);
  return w.bytes();
}
