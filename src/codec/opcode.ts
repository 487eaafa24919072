/**
 * Frame opcodes (RFC 6455 §5.2, §11.8).
 *
 * Opcodes are 4-bit values; %x3-7 are reserved for further non-control frames
 * and %xB-F for further control frames.
 */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

export type KnownOpcode = (typeof Opcode)[keyof typeof Opcode];

/** The two opcodes that start a data message. */
export type DataOpcode = typeof Opcode.Text | typeof Opcode.Binary;

/** RFC 6455 §5.5: "Control frames are identified by opcodes where the most significant bit of the opcode is 1." */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** RFC 6455 §5.2: %x3-7 and %xB-F are reserved. */
export function isReservedOpcode(opcode: number): boolean {
  return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xb;
}

/** A human name for reports and divergence messages: `text`, `ping`, `reserved opcode 7`. */
export function opcodeName(opcode: number): string {
  switch (opcode) {
    case Opcode.Continuation:
      return 'continuation';
    case Opcode.Text:
      return 'text';
    case Opcode.Binary:
      return 'binary';
    case Opcode.Close:
      return 'close';
    case Opcode.Ping:
      return 'ping';
    case Opcode.Pong:
      return 'pong';
    default:
      return `reserved opcode ${opcode}`;
  }
}
