/**
 * A stream step: several frames written as one byte stream cut anywhere,
 * against the real ws server; the oracle and the harness agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDefinition } from '../../src/cases/types.js';
import { parseTargetUrl } from '../../src/harness/client-handshake.js';
import { runServerCase } from '../../src/harness/server-target.js';
import { type RunningServer, startWsEchoServer } from '../../src/harness/targets/ws.js';

const te = new TextEncoder();

function streamCase(cuts: number[]): CaseDefinition {
  return {
    id: 'x.1',
    category: 'x',
    categoryTitle: 'stream',
    subcategory: 'x',
    subcategoryTitle: null,
    description: 'three frames in one stream cut anywhere',
    expectation: 'three echoes',
    scenario: () => ({
      steps: [
        {
          kind: 'stream',
          frames: [
            { opcode: 1, payload: te.encode('κόσμε'), fin: false },
            { opcode: 9, payload: te.encode('ping') },
            { opcode: 0, payload: te.encode('!'.repeat(200)) },
            { opcode: 2, payload: new Uint8Array(70_000).fill(7) },
          ],
          cuts,
        },
        { kind: 'kill-after', seconds: 5 },
      ],
    }),
  };
}

describe('stream step against ws', () => {
  let ws: RunningServer;
  beforeAll(async () => {
    ws = await startWsEchoServer();
  });
  afterAll(() => ws.close());

  for (const cuts of [[], [1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 9, 13, 20, 240, 250, 251, 260]]) {
    it(`cut at ${JSON.stringify(cuts)}`, async () => {
      const r = await runServerCase(streamCase(cuts), {
        target: parseTargetUrl(ws.url),
        agent: 'ws',
        cases: [],
        concurrency: 1,
        replayCommand: () => '',
      });
      expect([r.verdict.behavior, r.verdict.behaviorClose]).toEqual(['OK', 'OK']);
      expect(r.run.events.map((e) => e.type)).toEqual(['pong', 'message', 'message']);
      // Each piece was its own write: as many writes after the handshake as pieces.
      const pieces = r.wire.entries.filter((e) => e.tag === 'TO').length - 1 - 1; // minus handshake and closing frame
      expect(pieces).toBe(cuts.length + 1);
    });
  }
});
