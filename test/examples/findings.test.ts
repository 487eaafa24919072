/**
 * The findings reproduced outside wscheck (examples/findings): each script
 * still shows what docs/findings.md says of the library. A library upgrade
 * that fixes one fails here, and the finding must be rewritten.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = path.resolve(import.meta.dirname, '../../examples/findings');

describe('examples/findings', () => {
  it('ws-message-after-error.mjs: ws delivers a message after failing the connection for invalid UTF-8', async () => {
    const { stdout } = await run(process.execPath, [path.join(dir, 'ws-message-after-error.mjs')], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toEqual(['message binary 3d', 'message text 6c', 'error: Invalid WebSocket frame: invalid UTF-8 sequence']);
  }, 40_000);
});
