/**
 * Collects the octets of an HTTP head as they arrive, for the tester's two
 * opening handshakes (reading a server's response, reading a client's request).
 */
import { latin1Decode } from '../codec/handshake.js';

export class HeadReader {
  private buffered = new Uint8Array(0);

  /** Append a chunk; returns everything received so far. */
  push(chunk: Uint8Array): Uint8Array {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    this.buffered = joined;
    return joined;
  }

  get bytes(): Uint8Array {
    return this.buffered;
  }

  /** The first `length` octets as text (the head), or everything when no length is given. */
  text(length = this.buffered.length): string {
    return latin1Decode(this.buffered, 0, length);
  }
}
