/**
 * The HTML report in a real headless Chromium, end to end: a hostile server
 * whose Close frames carry `</td><script>window.__pwned=1</script>` as their
 * reason is tested through the real CLI (in-process), next to the built-in
 * ws server, into one output folder; `writeHtmlReport` renders it; Chromium
 * opens the pages from disk. The reason must show as text and never run.
 *
 * Needs Debian's chromium at /usr/bin/chromium: without it these tests fail
 * with the install command (they are never skipped).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePageFileName } from '../../src/report/html/report-folder.js';
import { writeHtmlReport } from '../../src/report/html/write-html-report.js';
import { HOSTILE_REASON, startHostileReasonServer } from '../fixtures/hostile-reason-server.js';
import { launchChromium, type Browser } from '../support/browser.js';
import { runCli, tempDir } from '../support/cli.js';

// Browser globals used inside page functions (those run in Chromium; the project's tsconfig has no DOM lib).
declare const window: { readonly __pwned?: unknown };
declare const document: { readonly scripts: { readonly length: number } };
declare function getComputedStyle(element: unknown): { readonly backgroundColor: string };

const HOSTILE_AGENT = 'hostile"onmouseover=window.__pwned=2 x=<b>';

let out = '';
let servers = '';
let launched: Promise<Browser> | undefined;

/** The shared browser, launched on first use: without Chromium every test fails with the install command. */
function theBrowser(): Promise<Browser> {
  launched ??= launchChromium();
  return launched;
}

beforeAll(async () => {
  out = tempDir('html-browser');
  const hostile = await startHostileReasonServer();
  try {
    const run = await runCli(['server', hostile.url, '--cases', '1.1.1,4.1.5', '--out', out, '--agent', HOSTILE_AGENT]);
    expect(run.code, run.stderr).toBe(1);
  } finally {
    await hostile.close();
  }
  // A second agent in the same folder (its index.json replaces the first's; the case reports of both stay and are merged).
  const ws = await runCli(['server', 'builtin:ws', '--cases', '1.1.1,2.1', '--out', out]);
  expect(ws.code, ws.stderr).toBe(0);
  servers = path.join(out, 'servers');
  writeHtmlReport(servers);
}, 60_000);

afterAll(async () => {
  await launched?.then((b) => b.close(), () => undefined);
  if (out !== '') rmSync(out, { recursive: true, force: true });
});

/** Open a page of the report, collecting console errors and uncaught exceptions (a CSP violation is one). */
async function open(file: string, within?: Browser): Promise<{ page: Page; errors: string[] }> {
  const b = within ?? (await theBrowser());
  const page = await b.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path.join(servers, file)).href);
  return { page, errors };
}

function row(page: Page, id: string) {
  return page.locator('.grid tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${id.replace(/\./g, '\\.')}$`) }) });
}

async function background(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
}

describe('index.html in Chromium', () => {
  it('shows the grid: a row per case, a column pair per agent, cells coloured by verdict', async () => {
    const { page, errors } = await open('index.html');
    const agents = await page.locator('.grid thead th[colspan="2"]').allTextContents();
    expect(agents).toEqual([HOSTILE_AGENT, 'ws@8.18.3']);
    const ids = await page.locator('.grid tbody tr:not(.c):not(.s) > th').allTextContents();
    expect(ids).toEqual(['1.1.1', '2.1', '4.1.5']);
    const failedCell = row(page, '1.1.1').locator('td').first();
    expect(await failedCell.textContent()).toBe('FAILED');
    expect(await failedCell.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(209, 36, 47)');
    const okCell = row(page, '1.1.1').locator('td.ok').first();
    expect(await okCell.textContent()).toBe('OK');
    expect(await okCell.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(212, 244, 220)');
    expect(await row(page, '2.1').locator('td.mi').textContent()).toBe('Missing');
    expect(await background(page, '.legend .chip.ns')).toBe('rgb(255, 241, 184)');
    expect(await page.locator('[onmouseover]').count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hides the rows without a failure when "Only FAILED" is clicked, and shows them again on "All"', async () => {
    const { page } = await open('index.html');
    expect(await row(page, '2.1').isVisible()).toBe(true);
    await page.click('label[for="show-failed"]');
    expect(await row(page, '2.1').isVisible()).toBe(false);
    expect(await row(page, '1.1.1').isVisible()).toBe(true);
    expect(await row(page, '4.1.5').isVisible()).toBe(true);
    expect(await page.locator('.grid tr.c', { hasText: 'Pings' }).isVisible()).toBe(false);
    await page.click('label[for="show-all"]');
    expect(await row(page, '2.1').isVisible()).toBe(true);
    await page.close();
  });

  it('filters with JavaScript disabled too (the filters are CSS)', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const { page } = await open('index.html', noScript);
      await page.click('label[for="show-failed"]');
      expect(await row(page, '2.1').isVisible()).toBe(false);
      expect(await row(page, '1.1.1').isVisible()).toBe(true);
    } finally {
      await noScript.close();
    }
  });

  it('links each cell to its case page', async () => {
    const { page } = await open('index.html');
    await row(page, '1.1.1').locator('td.fa a').click();
    expect(decodeURIComponent(page.url())).toContain(casePageFileName(HOSTILE_AGENT, '1.1.1'));
    expect(await page.locator('h1').textContent()).toContain('Case 1.1.1');
    await page.close();
  });
});

describe('a case page of the hostile peer in Chromium', () => {
  it('shows the close reason as text and never runs it', async () => {
    const { page, errors } = await open(casePageFileName(HOSTILE_AGENT, '1.1.1'));
    const reason = page.locator('q.reason');
    expect(await reason.textContent()).toBe(HOSTILE_REASON);
    expect(await reason.isVisible()).toBe(true);
    const field = page.locator('.fields tr', { has: page.locator('td', { hasText: /^remoteCloseReason$/ }) }).locator('td').nth(1);
    expect(await field.textContent()).toBe(HOSTILE_REASON);
    expect(await field.isVisible()).toBe(true);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    // The page's one script is its own (allowed by its hash: the copy button appears), and nothing else.
    expect(await page.evaluate(() => document.scripts.length)).toBe(1);
    expect(await page.locator('button[data-copy]').isVisible()).toBe(true);
    expect(await page.locator('[onmouseover]').count()).toBe(0);
    expect(await page.locator('.banner h1 span').textContent()).toBe(`· ${HOSTILE_AGENT}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has the sections, the first divergence and the replay command', async () => {
    const { page } = await open(casePageFileName(HOSTILE_AGENT, '1.1.1'));
    for (const title of ['Description', 'Expectation', 'Outcome', 'Closing behaviour', 'Opening handshake', 'Wire statistics', 'Wire log']) {
      expect(await page.locator('section > h2', { hasText: title }).isVisible(), title).toBe(true);
    }
    expect(await page.locator('#divergence').textContent()).toContain('observed Close frame with code 1000');
    expect(await page.locator('#replay-command').textContent()).toMatch(/^npx wscheck server ws:\/\/127\.0\.0\.1:\d+ --cases 1\.1\.1/);
    expect(await page.locator('.banner .chip.big').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(209, 36, 47)');
    // The wire log: numbered lines with times, both directions, the peer's Close frame decoded as text.
    expect(await page.locator('.wirelog tr.rx').count()).toBeGreaterThan(0);
    expect(await page.locator('.wirelog tr.tx').count()).toBeGreaterThan(0);
    expect(await page.locator('.wirelog tr.rx', { hasText: `code 1000, reason \u201c${HOSTILE_REASON}\u201d` }).count()).toBe(1);
    await page.close();
  });
});
