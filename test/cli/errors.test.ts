/** Bad input gets one line naming the problem and the fix, and exit status 2. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

function oneLine(text: string): void {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).toMatch(/^wscheck: /);
}

describe('bad input', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    servers.length = 0;
  });

  it('unreachable URL', async () => {
    // A port that was just free: bind port 0, read it, close, then connect.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r));
    const run = await runCli(['server', `ws://127.0.0.1:${port}`, '--cases', '1.1.1', '--out', tempDir('unreachable')]);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toContain(`cannot connect to ws://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('a glob that selects nothing, and a malformed one', async () => {
    const none = await runCli(['server', 'builtin:ws', '--cases', '99.*', '--out', tempDir('glob')]);
    expect(none.code).toBe(2);
    oneLine(none.stderr);
    expect(none.stderr).toContain('"99.*" matches no case');
    const bad = await runCli(['server', 'builtin:ws', '--cases', '4.[1]', '--out', tempDir('glob')]);
    expect(bad.code).toBe(2);
    oneLine(bad.stderr);
    expect(bad.stderr).toContain('bad case pattern "4.[1]"');
  });

  it('a port already in use', async () => {
    const busy = net.createServer();
    servers.push(busy);
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as net.AddressInfo;
    const run = await runCli(['client', '--port', String(port), '--cases', '1.1.1', '--out', tempDir('port')]);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('a URL that is not ws://, an unknown command and an unknown option', async () => {
    for (const argv of [['server', 'http://127.0.0.1:1/'], ['serve', 'builtin:ws'], ['server', 'builtin:ws', '--frobnicate']]) {
      const run = await runCli(argv);
      expect(run.code).toBe(2);
      oneLine(run.stderr);
    }
    const option = await runCli(['server', 'builtin:ws', '--outdir', 'x']);
    expect(option.stderr).toBe('wscheck: unknown option --outdir; see wscheck --help\n');
  });

  it('a client command that ends without connecting', async () => {
    const run = await runCli(['explore', '--role', 'client', '--exec', 'true {url}', '--runs', '3', '--out', tempDir('never')]);
    expect(run.code).toBe(2);
    oneLine(run.stderr.split('\n').filter((l) => l.startsWith('wscheck: ') && !l.startsWith('wscheck: exploring')).join('\n'));
    expect(run.stderr).toMatch(/ended without connecting to ws:\/\/127\.0\.0\.1:\d+\/explore\/\d+; the command must open one WebSocket connection/);
    expect(run.stderr).not.toContain('internal error');
  });

  it('a number of planning threads out of range', async () => {
    const run = await runCli(['explore', 'builtin:ws', '--planners', '0']);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toContain('--planners must be a whole number from 1 to 64, got "0"');
  });

  it('--handshake with --deflate', async () => {
    const run = await runCli(['explore', 'builtin:ws', '--handshake', '--deflate']);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toContain('--handshake and --deflate explore apart');
  });

  it('--deflate against a server that declines the extension', async () => {
    const run = await runCli(['explore', 'builtin:websocket', '--deflate', '--runs', '20', '--out', tempDir('declined')]);
    expect(run.code).toBe(2);
    oneLine(run.stderr.split('\n').filter((l) => l.startsWith('wscheck: ') && !l.startsWith('wscheck: exploring')).join('\n'));
    expect(run.stderr).toContain('builtin:websocket declined permessage-deflate; enable it in the server (e.g. perMessageDeflate for ws) or explore without --deflate');
    expect(run.stderr).not.toContain('internal error');
  });

  it('a builtin target that does not exist in that role', async () => {
    const server = await runCli(['server', 'builtin:nonesuch', '--cases', '1.1.1', '--out', tempDir('builtin')]);
    expect(server.code).toBe(2);
    oneLine(server.stderr);
    expect(server.stderr).toMatch(/unknown server target "builtin:nonesuch"; available: builtin:ws\b/);
    // undici has a WebSocket client and no server.
    const client = await runCli(['server', 'builtin:undici', '--cases', '1.1.1', '--out', tempDir('builtin')]);
    expect(client.code).toBe(2);
    expect(client.stderr).toContain('unknown server target "builtin:undici"');
  });

  it('a client command that connects nowhere', async () => {
    const run = await runCli(['client', '--exec', 'true', '--cases', '1.1.1', '--out', tempDir('exec')]);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toContain('the client ran no case');
  });
});
