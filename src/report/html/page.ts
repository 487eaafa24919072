/**
 * The frame of every report page: a self-contained HTML document with its
 * style and script inline. A Content-Security-Policy allows nothing from the
 * network and only the page's own script (by its SHA-256), so even a string
 * that escaped escaping could not run or load anything.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape-html.js';

export interface PageParts {
  /** Plain text; escaped here. */
  readonly title: string;
  /** The page's stylesheet (trusted: written by wscheck, never containing report data). */
  readonly css: string;
  /** The body's inner HTML, already escaped by its builders. */
  readonly body: string;
  /** The page's script (trusted, without report data), or none. */
  readonly script?: string;
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** A complete HTML document. */
export function htmlPage(p: PageParts): string {
  const scriptSource = p.script === undefined ? "'none'" : `'sha256-${sha256Base64(p.script)}'`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSource}; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="wscheck">',
    `<title>${escapeHtml(p.title)}</title>`,
    `<style>${p.css}</style>`,
    '</head>',
    `<body>${p.body}`,
    ...(p.script === undefined ? [] : [`<script>${p.script}</script>`]),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
