/**
 * Testing a client with a varied 101 written in pieces: a client that resets
 * the connection while the pieces are still going out ends that run (it
 * failed the connection, as §4.1 lets it) instead of ending the process with
 * an unhandled socket error, and the next run goes on.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { explorationCase } from '../../src/harness/explore/exploration-case.js';
import { clientLiveTarget } from '../../src/harness/explore/live-target.js';
import type { ClientUnderTest } from '../../src/harness/targets/target.js';

/** Sends a valid request, then resets TCP as soon as the first octets of the answer arrive. */
const resettingClient: ClientUnderTest = {
  connect: (text) =>
    new Promise<void>((resolve) => {
      const url = new URL(text);
      const socket = net.connect(Number(url.port), '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => resolve());
      socket.on('connect', () =>
        socket.write(
          `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      socket.once('data', () => socket.resetAndDestroy());
    }),
  close: async () => {},
};

describe('a varied 101 in pieces', () => {
  it('survives a client that resets the connection halfway through it', async () => {
    const target = await clientLiveTarget('resetting', resettingClient);
    try {
      for (let k = 0; k < 3; k++) {
        const scenario = { steps: [{ kind: 'kill-after' as const, seconds: 1 }], opening: { response: { chop: 1, edits: [{ kind: 'remove' as const, name: 'Upgrade' }] } } };
        const r = await target.run(explorationCase(scenario, 'reset'), 'replay');
        // A reset while the answer is still going out is seen as the client's failure of the connection, perhaps late.
        expect(['OK', 'NON-STRICT']).toContain(r.verdict.behavior);
      }
    } finally {
      await target.close();
    }
  }, 60_000);
});
