/**
 * wscheck/vitest's exploration with `handshake` and `deflate`, as a user's
 * test file calls it: a server that upgrades any Sec-WebSocket-Version is
 * caught once handshakes vary, and one that ignores RSV1 on a continuation
 * frame once permessage-deflate is negotiated, each with the counterexample
 * in the failure's message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverTarget } from '../../src/harness/targets/registry.js';
import { WscheckFailure, exploration } from '../../src/vitest/index.js';

const out = mkdtempSync(path.join(tmpdir(), 'wscheck-vitest-options-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('exploration options', () => {
  it('handshake: catches a server that upgrades a request for any version', async () => {
    const run = exploration({ server: () => serverTarget('broken/version-not-checked')!.start(), handshake: true, runs: 300, seed: 3, out });
    await expect(run).rejects.toThrow(WscheckFailure);
    await expect(run).rejects.toThrow(/request: (no |another )?Sec-WebSocket-Version/);
  }, 300_000);

  it('deflate: catches a server that takes RSV1 on a continuation frame', async () => {
    const run = exploration({ server: () => serverTarget('broken/deflate-rsv1-continuation-accepted')!.start(), deflate: true, runs: 500, seed: 3, out });
    await expect(run).rejects.toThrow(WscheckFailure);
    await expect(run).rejects.toThrow(/permessage-deflate negotiated[\s\S]*continuation {2}fin=[01] {2}rsv=4/);
  }, 300_000);
});
