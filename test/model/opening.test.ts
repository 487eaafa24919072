/**
 * The opening handshake inside the endpoint reducer: two reducers connect to
 * each other; a server refuses what RFC 6455 §4.2.1 refuses; frames pipelined
 * after the request are processed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/codec/encode.js';
import { initialEndpointState, step } from '../../src/model/endpoint.js';
import type { EndpointInput, EndpointOutput, EndpointState } from '../../src/model/types.js';

const te = new TextEncoder();
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function feed(s: EndpointState, inputs: EndpointInput[]): { state: EndpointState; outputs: EndpointOutput[] } {
  const outputs: EndpointOutput[] = [];
  for (const i of inputs) {
    const r = step(s, i);
    s = r.state;
    outputs.push(...r.outputs);
  }
  return { state: s, outputs };
}

function written(outputs: readonly EndpointOutput[]): Uint8Array {
  const parts = outputs.flatMap((o) => (o.type === 'write' ? [o.data] : []));
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('opening handshake in the reducer', () => {
  it('a client and a server reducer connect, agree on a subprotocol and exchange a message', () => {
    let client = initialEndpointState({ role: 'client', maskSeed: 1 });
    let server = initialEndpointState({ role: 'server', app: 'echo', subprotocols: ['chat', 'superchat'] });
    const c1 = feed(client, [{ type: 'connect', host: '127.0.0.1', port: 9001, path: '/x', key: KEY, protocols: ['superchat', 'chat'] }]);
    client = c1.state;
    const s1 = feed(server, [{ type: 'receive', data: written(c1.outputs) }]);
    server = s1.state;
    expect(server.readyState).toBe('open');
    expect(s1.outputs.find((o) => o.type === 'open')).toMatchObject({ protocol: 'superchat' });
    expect(new TextDecoder().decode(written(s1.outputs))).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    const c2 = feed(client, [{ type: 'receive', data: written(s1.outputs) }, { type: 'send-message', opcode: 1, payload: te.encode('hi') }]);
    client = c2.state;
    expect(client.readyState).toBe('open');
    expect(client.protocol).toBe('superchat');
    const s2 = feed(server, [{ type: 'receive', data: written(c2.outputs.filter((o) => o.type === 'write' && o.frame !== null)) }]);
    const c3 = feed(client, [{ type: 'receive', data: written(s2.outputs) }]);
    expect(c3.outputs.filter((o) => o.type === 'message').map((o) => o.type === 'message' && new TextDecoder().decode(o.payload))).toEqual(['hi']);
  });

  it('a server processes frames pipelined with the request, however the octets are cut', () => {
    const request = te.encode(`GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const frame = encodeFrame({ opcode: 1, payload: te.encode('early'), maskKey: 0x01020304 });
    const all = Uint8Array.from([...request, ...frame]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: all.length }), { maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let at = 0;
        const inputs: EndpointInput[] = [];
        for (const p of [...points, all.length]) {
          if (p > at) inputs.push({ type: 'receive', data: all.subarray(at, p) });
          at = p;
        }
        const r = feed(initialEndpointState({ role: 'server', app: 'echo' }), inputs);
        expect(r.outputs.filter((o) => o.type === 'message')).toHaveLength(1);
        expect(r.state.readyState).toBe('open');
      }),
      { seed: 4455, numRuns: 100 },
    );
  });

  it('a server answers a request without Sec-WebSocket-Version 13 with 426 and closes', () => {
    const request = te.encode(`GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 8\r\n\r\n`);
    const r = feed(initialEndpointState({ role: 'server' }), [{ type: 'receive', data: request }]);
    const reply = new TextDecoder().decode(written(r.outputs));
    expect(reply).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(reply).toContain('Sec-WebSocket-Version: 13');
    expect(r.outputs.map((o) => o.type)).toContain('close-tcp');
    expect(r.state.readyState).toBe('closed');
  });

  it('a client fails a response with the wrong Sec-WebSocket-Accept, and times out a silent server', () => {
    const c = feed(initialEndpointState({ role: 'client' }), [{ type: 'connect', host: 'h', path: '/', key: KEY }]);
    const bad = te.encode('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n');
    const r = feed(c.state, [{ type: 'receive', data: bad }]);
    expect(r.outputs.find((o) => o.type === 'handshake-failed')).toBeDefined();
    expect(r.state.tcp).toBe('closed-by-me');
    const t = feed(c.state, [{ type: 'timer', timer: 'open-handshake' }]);
    expect(t.state.closing.wasOpenHandshakeTimeout).toBe(true);
    expect(t.state.tcp).toBe('closed-by-me');
  });
});
