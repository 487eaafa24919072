// ws 8.18.3 with permessage-deflate: a message delivered after the connection failed.
//
// The octets are those of a counterexample `wscheck explore builtin:ws --deflate`
// found (docs/findings.md, "Exploration"), with its masking keys: a compressed
// binary message in six frames (the first written in three pieces, as found),
// then a text message in four frames that is not UTF-8, then a compressed text
// frame. ws must fail the connection with 1007 at the end of the second message
// (RFC 6455 §8.1) and deliver nothing after it. It reports the error, but its
// application first gets a one-octet text message "l" that nobody sent: 0xc1,
// the first octet of the next frame's header, unmasked with the failed frame's
// key (0xad), read as more payload of the frame that failed. While ws inflates,
// the socket's next reads queue in its receiver's stream; when one of them fails
// the connection, the stream still hands the receiver the reads queued behind it,
// and the receiver, left in its read-the-payload state, parses them. Without
// permessage-deflate nothing queues, and nothing is delivered.
//
// Run: node examples/findings/ws-message-after-error.mjs (everything stays on 127.0.0.1).
import crypto from 'node:crypto';
import net from 'node:net';
import { WebSocketServer } from 'ws';

/** The tester's writes after the opening handshake, one TCP write each. */
const WRITES = [
  '4280000420', // binary, FIN 0, RSV1, empty; the write ends inside the masking key
  '210081040806010400849dcca8c59d',
  'cc573a',
  '00841255994f125599b0',
  '00848ef917d1714b12d1',
  '80802c6f5bd0', // last continuation: the message inflates to 0x3d
  '018025b2331a', // text, FIN 0, empty
  '008a19f91cb2c7810c7eb90d930da608', // de 78 …: not UTF-8
  '008277877125f724',
  '8081add0237433', // FIN 1: here ws must fail the connection with 1007
  'c1999e6002cb64d87a2194e0bcff733892a26d0cfb0fd26002ca9e9efdf79e', // a compressed text frame
  '8882591c97375af4', // Close 1000
];

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
await new Promise((resolve) => wss.on('listening', resolve));
const seen = [];
wss.on('connection', (ws) => {
  ws.on('message', (data, binary) => seen.push(`message ${binary ? 'binary' : 'text'} ${Buffer.from(data).toString('hex')}`));
  ws.on('error', (e) => seen.push(`error: ${e.message}`));
});

const socket = net.connect(wss.address().port, '127.0.0.1');
socket.setNoDelay(true);
await new Promise((resolve) => socket.on('connect', resolve));
socket.write(
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
    'Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n',
);
await new Promise((resolve) => socket.once('data', resolve));
for (const w of WRITES) {
  socket.write(Buffer.from(w, 'hex'));
  await new Promise((resolve) => setImmediate(resolve));
}
await new Promise((resolve) => setTimeout(resolve, 300));
socket.destroy();
wss.close();
console.log(seen.join('\n'));
// ws 8.18.3, Node 20: "message binary 3d", "message text 6c", "error: Invalid WebSocket frame: invalid UTF-8 sequence"
