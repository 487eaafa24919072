/**
 * The library adapters (faye-websocket, WebSocket-Node, undici; ws and the
 * broken base without a variation for comparison) in both roles, against a
 * few catalogue cases: framing at every length encoding, chopped writes,
 * pings, reserved bits and opcodes, a ping inside a fragmented message,
 * UTF-8 split across fragments, closing, and one 16 MiB message each way
 * (which needs the raised message limits). The expected verdicts are what
 * the libraries really produce: OK, and NON-STRICT for 6.4.1, where every one
 * of them validates a fragmented text message's UTF-8 only once the message
 * is complete, not as each fragment arrives (RFC 6455 §8.1 allows that; the
 * broken base checks each fragment as it arrives and gets OK).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectCases } from '../../../src/cases/index.js';
import type { CaseResult } from '../../../src/harness/result.js';
import { brokenClient, startBrokenServer } from '../../../src/harness/targets/broken/index.js';
import { MissingLibraryError, importOptional } from '../../../src/harness/targets/optional-import.js';
import { clientTarget, serverTarget } from '../../../src/harness/targets/registry.js';
import type { ClientUnderTest, ServerUnderTest } from '../../../src/harness/targets/target.js';
import { runAgainstClient, runAgainstServer, summary } from './support.js';

const CASES = selectCases(['1.1.*', '1.2.8', '2.1', '2.3', '3.1', '4.1.1', '5.6', '6.2.*', '6.4.1', '7.1.1', '7.3.1', '7.9.1', '9.1.6', '9.2.6']);
const BASE = 'broken base (no variation)';
/** Verdicts other than OK/OK, by target. */
const EXPECTED: Record<string, Record<string, string>> = {
  ws: { '6.4.1': 'NON-STRICT/OK' },
  faye: { '6.4.1': 'NON-STRICT/OK' },
  websocket: { '6.4.1': 'NON-STRICT/OK' },
  undici: { '6.4.1': 'NON-STRICT/OK' },
  [BASE]: {},
};
const expected = (target: string, id: string): string => EXPECTED[target]?.[id] ?? 'OK/OK';

const SERVERS: Record<string, () => Promise<ServerUnderTest>> = {
  ws: () => serverTarget('ws')!.start(),
  faye: () => serverTarget('faye')!.start(),
  websocket: () => serverTarget('websocket')!.start(),
  [BASE]: () => startBrokenServer(null),
};

const CLIENTS: Record<string, () => Promise<ClientUnderTest>> = {
  ws: () => clientTarget('ws')!.start(),
  faye: () => clientTarget('faye')!.start(),
  websocket: () => clientTarget('websocket')!.start(),
  undici: () => clientTarget('undici')!.start(),
  [BASE]: async () => brokenClient(null),
};

const verdictOf = (r: CaseResult | undefined): string => (r === undefined ? 'no result' : `${r.verdict.behavior}/${r.verdict.behaviorClose}`);

for (const [name, start] of Object.entries(SERVERS)) {
  describe(`server: ${name}`, () => {
    let server: ServerUnderTest;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server.close());

    for (const c of CASES) {
      it(`${c.id} is ${expected(name, c.id)}`, async () => {
        const r = await runAgainstServer(c, server.url, name);
        expect(verdictOf(r), summary(r)).toBe(expected(name, c.id));
      });
    }
  });
}

for (const [name, start] of Object.entries(CLIENTS)) {
  describe(`client: ${name}`, () => {
    let client: ClientUnderTest;
    let results: Map<string, CaseResult>;
    beforeAll(async () => {
      client = await start();
      results = await runAgainstClient(CASES, client, name);
    }, 60_000);
    afterAll(() => client.close());

    for (const c of CASES) {
      it(`${c.id} is ${expected(name, c.id)}`, () => {
        const r = results.get(c.id);
        expect(verdictOf(r), r === undefined ? '' : summary(r)).toBe(expected(name, c.id));
      });
    }
  });
}

describe('clients whose connection cannot be made', () => {
  for (const [name, start] of Object.entries(CLIENTS)) {
    it(`${name}: connect() to a port nobody listens on resolves (no rejection, no crash)`, async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as net.AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const client = await start();
      try {
        await expect(client.connect(`ws://127.0.0.1:${port}/`)).resolves.toBeUndefined();
      } finally {
        await client.close();
      }
    });
  }
});

describe('the library adapters are optional', () => {
  it('start() fails with one line naming the npm package when the library cannot be loaded', async () => {
    const error = await importOptional('faye-websocket', 'faye', () => Promise.reject(new Error("Cannot find package 'faye-websocket'\n    at somewhere"))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingLibraryError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('builtin:faye needs the npm package faye-websocket');
    expect(message).toContain('npm install --save-dev faye-websocket');
  });

  it('a package that is not installed is reported the same way', async () => {
    await expect(importOptional('wscheck-no-such-package', 'nothing')).rejects.toThrow(/^builtin:nothing needs the npm package wscheck-no-such-package, .*npm install --save-dev wscheck-no-such-package$/);
  });

  it('the registry describes each adapter with its library and version', () => {
    expect(serverTarget('faye')!.description).toMatch(/^faye-websocket \d+\.\d+\.\d+ /);
    expect(serverTarget('websocket')!.description).toMatch(/^websocket \d+\.\d+\.\d+ /);
    expect(clientTarget('undici')!.description).toMatch(/^undici \d+\.\d+\.\d+ /);
    expect(serverTarget('undici')).toBeUndefined();
    expect(serverTarget('ws')!.description).toMatch(/^ws /);
  });
});
