/** The files a run leaves besides the JSON: HTML pages, JUnit XML on request, and `wscheck report`. */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireShared } from '../support/autobahn-data.js';
import { runCli, tempDir } from '../support/cli.js';

describe('report files', () => {
  it('a run writes index.html, a page per case and, with --junit, JUnit XML', async () => {
    const out = tempDir('files');
    const junit = path.join(out, 'junit.xml');
    const run = await runCli(['server', 'builtin:ws', '--cases', '1.1.1,4.1.5', '--out', out, '--junit', junit]);
    expect(run.code).toBe(0);
    const files = readdirSync(path.join(out, 'servers'));
    expect(files).toContain('index.html');
    expect(files).toContain('ws_8_18_3_case_4_1_5.html');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite [^>]*tests="2"/);
    expect(xml).toContain('4.1.5');
  });

  it('wscheck report renders a folder of Autobahn reports and says where the index is', async () => {
    const dir = tempDir('render');
    cpSync(requireShared('published/percase/websockets_ws@aba4b70/servers'), path.join(dir, 'servers'), { recursive: true });
    rmSync(path.join(dir, 'servers', 'index.html'), { force: true });
    const run = await runCli(['report', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(path.join(dir, 'servers', 'index.html'));
    expect(existsSync(path.join(dir, 'servers', 'ws_8_18_3_case_12_1_1.html'))).toBe(true);
  });

  it('wscheck report on a folder without reports is a one-line error', async () => {
    const run = await runCli(['report', tempDir('empty')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
