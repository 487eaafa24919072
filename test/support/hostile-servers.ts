/**
 * WebSocket servers that misbehave on purpose, for the harness's robustness
 * tests: each accepts TCP on 127.0.0.1 (port 0) and then does one hostile
 * thing. They run in the test process; the tester runs in a child process so
 * that its memory can be measured alone.
 */
import net from 'node:net';
import { computeAccept } from '../../src/codec/handshake/accept.js';

export type Hostility =
  /** Reads the request and never answers it. */
  | 'handshake-never-completes'
  /** Answers the handshake with an endless header that never ends in an empty line. */
  | 'endless-handshake-header'
  /** Completes the handshake, then reads and never writes. */
  | 'silent-after-handshake'
  /** Completes the handshake, then writes binary frames of 64 KiB until 1 GiB is out or TCP closes. */
  | 'flood-1gib'
  /** Completes the handshake, then announces a frame of 2^63 − 1 octets and streams its payload. */
  | 'huge-frame'
  /** Completes the handshake, sends half a frame, then resets the connection. */
  | 'reset-mid-frame'
  /** Echoes properly and answers a Close, but never closes TCP itself. */
  | 'never-closes-tcp';

export interface HostileServer {
  readonly url: string;
  /** Octets the server managed to write in all, for the flood. */
  written(): number;
  close(): Promise<void>;
}

function acceptResponse(request: string): string | null {
  const key = /^sec-websocket-key:\s*(\S+)/im.exec(request)?.[1];
  if (key === undefined) return null;
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${computeAccept(key)}\r\n\r\n`;
}

const GIB = 1024 * 1024 * 1024;

/** A frame header; `masked` sets the MASK bit (the key follows the header, written by the caller). */
export function header(opcode: number, length: number | bigint, fin = true, masked = false): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  const mask = masked ? 0x80 : 0;
  if (typeof length === 'bigint' || length > 0xffff) {
    const h = Buffer.alloc(10);
    h[0] = first;
    h[1] = 127 | mask;
    h.writeBigUInt64BE(BigInt(length), 2);
    return h;
  }
  if (length > 125) {
    const h = Buffer.alloc(4);
    h[0] = first;
    h[1] = 126 | mask;
    h.writeUInt16BE(length, 2);
    return h;
  }
  return Buffer.from([first, length | mask]);
}

/** Write `chunk` repeatedly, respecting backpressure, until `total` octets are out or the socket closes. */
export function pour(socket: net.Socket, chunk: Buffer, total: number, count: (n: number) => void): void {
  let sent = 0;
  const more = (): void => {
    while (sent < total && !socket.destroyed) {
      sent += chunk.length;
      count(chunk.length);
      if (!socket.write(chunk)) {
        socket.once('drain', more);
        return;
      }
    }
  };
  more();
}

/** Frames a minimal echo server would write for the unmasked payload of a client frame. */
function unmask(buf: Buffer, at: number, key: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = buf[at + i]! ^ key[i & 3]!;
  return out;
}

/**
 * An echo that handles one frame at a time, enough for the cases these tests
 * pick (single unfragmented frames and a Close).
 */
function echoForever(socket: net.Socket, start: Buffer): void {
  let buf = start;
  const onData = (): void => {
    for (;;) {
      if (buf.length < 2) return;
      const opcode = buf[0]! & 0x0f;
      let length = buf[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      if (buf.length < at + 4 + length) return;
      const payload = unmask(buf, at + 4, buf.subarray(at, at + 4), length);
      buf = buf.subarray(at + 4 + length);
      if (opcode === 0x9) socket.write(Buffer.concat([header(0xa, payload.length), payload]));
      else if (opcode !== 0xa) socket.write(Buffer.concat([header(opcode, payload.length), payload]));
    }
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    onData();
  });
  onData();
}

export async function startHostileServer(kind: Hostility): Promise<HostileServer> {
  let written = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let request = Buffer.alloc(0);
    const onRequest = (d: Buffer): void => {
      request = Buffer.concat([request, d]);
      const end = request.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onRequest);
      const rest = request.subarray(end + 4);
      const response = acceptResponse(request.subarray(0, end + 4).toString('latin1'));
      if (kind === 'handshake-never-completes') return;
      if (kind === 'endless-handshake-header') {
        socket.write('HTTP/1.1 101 Switching Protocols\r\n');
        pour(socket, Buffer.from(`X-Filler: ${'y'.repeat(1000)}\r\n`), GIB, (n) => (written += n));
        return;
      }
      if (response === null) return void socket.destroy();
      socket.write(response);
      switch (kind) {
        case 'silent-after-handshake':
          socket.resume();
          return;
        case 'flood-1gib': {
          const frame = Buffer.concat([header(0x2, 65536), Buffer.alloc(65536, 0x61)]);
          pour(socket, frame, GIB, (n) => (written += n));
          socket.resume();
          return;
        }
        case 'huge-frame': {
          socket.write(header(0x2, 2n ** 63n - 1n));
          pour(socket, Buffer.alloc(65536, 0x62), GIB, (n) => (written += n));
          socket.resume();
          return;
        }
        case 'reset-mid-frame': {
          const frame = Buffer.concat([header(0x1, 100), Buffer.alloc(100, 0x63)]);
          socket.write(frame.subarray(0, 40), () => socket.resetAndDestroy());
          return;
        }
        case 'never-closes-tcp':
          echoForever(socket, rest);
          return;
      }
    };
    socket.on('data', onRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    written: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
