/**
 * Payloads for the compression categories 12 and 13: wscheck's own
 * deterministic data of the same kinds and sizes as the Autobahn testsuite's
 * files (a JSON document, a 512×512 8-bit bitmap, prose, an HTML page, a
 * PDF-like document), generated from a fixed seed — not copies of them. What
 * matters to a compression test is the kind of redundancy, and that is kept:
 * structured text, a smooth image, natural language, markup, and a binary
 * document with incompressible streams.
 */
import { nextRandom } from '../../model/rng.js';

export type TestDataKind = 'json' | 'bitmap' | 'prose' | 'html' | 'pdf';

export interface TestData {
  readonly kind: TestDataKind;
  readonly title: string;
  readonly bytes: Uint8Array;
  /** Sent as text messages (sliced by characters) or binary ones (sliced by octets). */
  readonly text: boolean;
}

/** Sizes of the Autobahn files these stand in for. */
export const TEST_DATA_OCTETS: Record<TestDataKind, number> = {
  json: 194056,
  bitmap: 263222,
  prose: 222218,
  html: 263647,
  pdf: 1042328,
};

const encoder = new TextEncoder();

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    this.state = nextRandom(this.state);
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** Exactly `n` octets: cut, or padded with `pad` repeated. */
function exactly(bytes: Uint8Array, n: number, pad = 0x20): Uint8Array {
  if (bytes.length >= n) return bytes.slice(0, n);
  const out = new Uint8Array(n).fill(pad);
  out.set(bytes);
  return out;
}

/** An index of test results, pretty-printed like a report file. */
function json(n: number): Uint8Array {
  const r = new Random(0x15011);
  const verdicts = ['OK', 'OK', 'OK', 'OK', 'NON-STRICT', 'INFORMATIONAL', 'FAILED'];
  const agents = ['AutobahnPython/0.6.0', 'websocket-impl/2.1', 'ws-server-example', 'CheckClient/0.9'];
  const parts: string[] = ['{\n'];
  let size = 2;
  let first = true;
  outer: for (let a = 0; ; a++) {
    const agent = `${agents[a % agents.length]}-${a}`;
    const head = `${first ? '' : ',\n'}   "${agent}": {\n`;
    parts.push(head);
    size += head.length;
    first = false;
    for (let c = 0; c < 120; c++) {
      const id = `${1 + (c % 9)}.${1 + (c % 7)}.${1 + c}`;
      const entry =
        `${c === 0 ? '' : ',\n'}      "${id}": {\n         "behavior": "${r.pick(verdicts)}",\n         "behaviorClose": "${r.pick(verdicts)}",\n` +
        `         "duration": ${r.below(2000)},\n         "remoteCloseCode": ${r.pick(['1000', '1002', '1007', 'null'])},\n` +
        `         "reportfile": "${agent.toLowerCase().replace(/[^a-z0-9]/g, '_')}_case_${id.replace(/\./g, '_')}.json"\n      }`;
      parts.push(entry);
      size += entry.length;
      if (size > n - 64) break outer;
    }
    parts.push('\n   }');
    size += 5;
  }
  parts.push('\n   }\n}\n');
  return exactly(encoder.encode(parts.join('')), n);
}

/** A 512×512 grey-scale bitmap (BMP, 8 bits per pixel): smooth shapes and a little noise, like a photograph. */
function bitmap(n: number): Uint8Array {
  const width = 512;
  const height = 512;
  const paletteSize = 256 * 4;
  const offset = 14 + 40 + paletteSize;
  const out = new Uint8Array(offset + width * height);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // 'B'
  out[1] = 0x4d; // 'M'
  view.setUint32(2, out.length, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 8, true);
  view.setUint32(34, width * height, true);
  view.setUint32(46, 256, true);
  for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 54 + 4 * i);
  const r = new Random(0xb17);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - 256;
      const dy = y - 200;
      const disc = Math.exp(-(dx * dx + dy * dy) / 9000) * 120;
      const waves = Math.sin(x / 23) * 30 + Math.cos((x + y) / 41) * 25;
      const value = 90 + disc + waves + (y / height) * 40 + (r.below(9) - 4);
      out[offset + y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return exactly(out, n, 0);
}

const COMMON_WORDS = [
  'der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'zu', 'ich', 'mit', 'sich', 'auf', 'für', 'über', 'schön', 'Nacht', 'Welt',
  'Geist', 'Herz', 'Leben', 'Liebe', 'Zeit', 'Himmel', 'Erde', 'müssen', 'können', 'wären', 'Gedanken', 'Wissen', 'Faust',
  'Mephisto', 'Gretchen', 'Studierzimmer', 'Straße', 'Wald', 'Höhle', 'Licht', 'Schatten', 'früh', 'spät', 'Träume', 'heißt',
];
const ONSETS = ['', 'b', 'br', 'd', 'f', 'fr', 'g', 'gr', 'h', 'k', 'kl', 'l', 'm', 'n', 'p', 'pf', 'r', 's', 'sch', 'schw', 'sp', 'st', 't', 'tr', 'w', 'z'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ä', 'ö', 'ü', 'au', 'ei', 'ie', 'eu'];
const CODAS = ['', '', 'n', 'r', 's', 't', 'ch', 'ck', 'ng', 'nd', 'st', 'ß', 'l', 'm', 'rt', 'cht'];

/**
 * Words drawn by Zipf's law from a vocabulary of common words and a few
 * thousand made of German syllables: the redundancy of real prose. (A small
 * vocabulary repeats so much that zlib's lazy matching searches long hash
 * chains, and a peer compressing at level 6 slows to a third of its speed on
 * real text: the test data would measure the data, not the peer.)
 */
function vocabulary(r: Random): { words: string[]; cumulative: Float64Array } {
  const words = [...COMMON_WORDS];
  const seen = new Set(words);
  while (words.length < 4000) {
    let w = '';
    const syllables = 1 + r.below(3);
    for (let k = 0; k < syllables; k++) w += r.pick(ONSETS) + r.pick(NUCLEI) + r.pick(CODAS);
    if (r.below(4) === 0) w = w[0]!.toUpperCase() + w.slice(1);
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let i = 0; i < words.length; i++) cumulative[i] = total += 1 / (i + 1);
  return { words, cumulative: cumulative.map((c) => c / total) };
}

function zipfPick(r: Random, v: { words: string[]; cumulative: Float64Array }): string {
  const u = r.next() / 0x1_0000_0000;
  let lo = 0;
  let hi = v.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v.cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return v.words[lo]!;
}

/** Verse and prose in German, with umlauts and ß (UTF-8), sent as binary like Autobahn's text file. */
function prose(n: number): Uint8Array {
  const r = new Random(0x60e7e);
  const v = vocabulary(r);
  const lines: string[] = [];
  let size = 0;
  while (size < n) {
    const words = 4 + r.below(9);
    const line: string[] = [];
    for (let w = 0; w < words; w++) line.push(zipfPick(r, v));
    let text = line.join(' ');
    text = text[0]!.toUpperCase() + text.slice(1) + r.pick(['.', ',', '!', '?', ';', '']);
    if (r.below(12) === 0) text = `\n${r.pick(['FAUST', 'MEPHISTOPHELES', 'MARGARETE', 'WAGNER'])}:`;
    lines.push(text);
    size += encoder.encode(text).length + 1;
  }
  return exactly(encoder.encode(lines.join('\n')), n);
}

/** A report page: a big table with classes, links and repeated markup. */
function html(n: number): Uint8Array {
  const r = new Random(0x7e71);
  const parts = ['<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Test report — Übersicht</title>\n<style>td.ok{background:#0c0}td.fail{background:#c00}</style>\n</head>\n<body>\n<table>\n'];
  let size = parts[0]!.length;
  for (let row = 0; size < n - 40; row++) {
    const cells: string[] = [`<td><a href="#case_${row}">Case ${1 + (row % 13)}.${1 + (row % 5)}.${row}</a></td>`];
    for (let c = 0; c < 4; c++) {
      const ok = r.below(10) !== 0;
      // A few non-ASCII characters, so that slicing by characters differs from slicing by octets.
      const mark = ok ? 'Pass' : 'Fail ✗';
      cells.push(`<td class="${ok ? 'ok' : 'fail'}"><a href="agent_${c}_case_${row}.html">${mark}</a> ${r.below(900)} ms</td>`);
    }
    const line = `<tr>${cells.join('')}</tr>\n`;
    parts.push(line);
    size += line.length;
  }
  parts.push('</table>\n</body>\n</html>\n');
  return exactly(encoder.encode(parts.join('')), n);
}

/** A PDF-like document: text objects and streams of random octets (as compressed streams are). */
function pdf(n: number): Uint8Array {
  const r = new Random(0x9df);
  const out = new Uint8Array(n);
  let at = 0;
  const put = (bytes: Uint8Array) => {
    const k = Math.min(bytes.length, n - at);
    out.set(bytes.subarray(0, k), at);
    at += k;
  };
  put(encoder.encode('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'));
  for (let obj = 1; at < n; obj++) {
    if (r.below(3) === 0) {
      put(encoder.encode(`${obj} 0 obj\n<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 ${obj + 1} 0 R >> >> /MediaBox [0 0 612 792] >>\nendobj\n`));
    } else {
      const length = 512 + r.below(4096);
      put(encoder.encode(`${obj} 0 obj\n<< /Length ${length} /Filter /FlateDecode >>\nstream\n`));
      const stream = new Uint8Array(length);
      for (let i = 0; i < length; i++) stream[i] = r.next() & 0xff;
      put(stream);
      put(encoder.encode('\nendstream\nendobj\n'));
    }
  }
  return out;
}

const cache = new Map<TestDataKind, TestData>();

const TITLES: Record<TestDataKind, string> = {
  json: 'JSON document (UTF-8 text)',
  bitmap: 'Bitmap 512×512, 8 bits per pixel (binary)',
  prose: 'German verse and prose (sent as binary)',
  html: 'HTML report page (UTF-8 text)',
  pdf: 'PDF-like document (binary)',
};

const GENERATORS: Record<TestDataKind, (n: number) => Uint8Array> = { json, bitmap, prose, html, pdf };

export function testData(kind: TestDataKind): TestData {
  let d = cache.get(kind);
  if (d === undefined) {
    d = { kind, title: TITLES[kind], bytes: GENERATORS[kind](TEST_DATA_OCTETS[kind]), text: kind === 'json' || kind === 'html' };
    cache.set(kind, d);
  }
  return d;
}
