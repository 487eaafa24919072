import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { abbreviateOctets, abbreviatePayload } from '../../src/report/abbreviate-payload.js';
import {
  loadCases,
  payloadBytes,
  publishedCaseReportFiles,
  readText,
  shortName,
} from './published-fixtures.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const utf8 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf8'));

interface PublishedReport {
  readonly id: string;
  readonly behavior: string;
  readonly received: ReadonlyArray<readonly unknown[]>;
  readonly wirelog: ReadonlyArray<readonly unknown[]>;
}

const reports = publishedCaseReportFiles().map((file) => ({
  file,
  report: JSON.parse(readText(file)) as PublishedReport,
}));
const casesById = new Map(loadCases().map((c) => [c.id, c]));

/** The `received` text of a published ws 8.18.3 report. */
function publishedReceived(role: 'servers' | 'clients', id: string, i = 0): string {
  const found = reports.find(
    ({ file, report }) => report.id === id && path.basename(path.dirname(file)) === role && file.includes('websockets_ws@'),
  );
  if (found === undefined) throw new Error(`no published ${role} report for ${id}`);
  return found.report.received[i]![1] as string;
}

describe('abbreviatePayload on reconstructed payloads (published received texts)', () => {
  it('1.1.2: 125 × "*" keeps 64 characters and appends " ..."', () => {
    const text = abbreviatePayload(repeat(0x2a, 125));
    expect(text).toBe('*'.repeat(64) + ' ...');
    expect(text).toBe(publishedReceived('servers', '1.1.2'));
    expect(text).toBe(publishedReceived('clients', '1.1.2'));
  });

  it('1.2.2: 125 × 0xfe is not UTF-8, so 64 octets of hex', () => {
    const text = abbreviatePayload(repeat(0xfe, 125));
    expect(text).toBe('0x' + 'fe'.repeat(64) + ' ...');
    expect(text).toBe(publishedReceived('servers', '1.2.2'));
  });

  it('2.3: a short binary ping payload is all hex, not truncated', () => {
    const text = abbreviatePayload(hex('00fffefdfcfb00ff'));
    expect(text).toBe('0x00fffefdfcfb00ff');
    expect(text).toBe(publishedReceived('servers', '2.3'));
    expect(text).toBe(publishedReceived('clients', '2.3'));
  });

  it('6.2.1: valid multi-byte UTF-8 is shown as text', () => {
    const payload = payloadBytes(casesById.get('6.2.1')!.expected['OK']![0]!.payload!);
    expect(abbreviatePayload(payload)).toBe(publishedReceived('servers', '6.2.1'));
  });

  it('6.7.4: a 4-octet character becomes a surrogate pair', () => {
    expect(abbreviatePayload(hex('f0908080'))).toBe('\ud800\udc00');
    expect(abbreviatePayload(hex('f0908080'))).toBe(publishedReceived('servers', '6.7.4'));
  });

  it('9.1.1-style repeated unit: 65536 octets of "BAsd7&jh23" show the first 64', () => {
    const unit = ascii('BAsd7&jh23');
    const payload = Uint8Array.from({ length: 65536 }, (_, i) => unit[i % unit.length]!);
    expect(abbreviatePayload(payload)).toBe('BAsd7&jh23'.repeat(7).slice(0, 64) + ' ...');
  });

  it('every expected event of cases.json matches its expectedAsReported text', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const spec of casesById.values()) {
      for (const [verdict, events] of Object.entries(spec.expected)) {
        events.forEach((event, i) => {
          if (event.payload === undefined) return;
          checked++;
          const reported = spec.expectedAsReported[verdict]![i]![1];
          const text = abbreviatePayload(payloadBytes(event.payload));
          if (text !== reported) wrong.push(`${spec.id} ${verdict}[${i}]: ${JSON.stringify(text)} ≠ ${JSON.stringify(reported)}`);
        });
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(140);
  });

  it('every published OK report received exactly the texts of its expected payloads', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const { file, report } of reports) {
      const spec = casesById.get(report.id);
      const ok = spec?.expected['OK'];
      if (report.behavior !== 'OK' || ok === undefined || ok.length !== report.received.length) continue;
      ok.forEach((event, i) => {
        if (event.payload === undefined) return;
        checked++;
        const text = abbreviatePayload(payloadBytes(event.payload));
        if (text !== report.received[i]![1]) wrong.push(`${shortName(file)} received[${i}]`);
      });
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});

describe('abbreviatePayload: the cut and the decoder', () => {
  it('does not cut 60 octets, cuts 61 (keeping all 61) and 65 (keeping 64)', () => {
    expect(abbreviatePayload(repeat(0x61, 60))).toBe('a'.repeat(60));
    expect(abbreviatePayload(repeat(0x61, 61))).toBe('a'.repeat(61) + ' ...');
    expect(abbreviatePayload(repeat(0x61, 65))).toBe('a'.repeat(64) + ' ...');
  });

  it('a cut through a multi-byte character turns text into hex', () => {
    // 30 × "€" (E2 82 AC) = 90 octets; the first 64 end with a lone E2.
    const euros = utf8('\u20ac'.repeat(30));
    expect(abbreviatePayload(euros)).toBe('0x' + 'e282ac'.repeat(21) + 'e2 ...');
    // 40 × "é" (C3 A9) = 80 octets; 64 octets hold 32 whole characters.
    expect(abbreviatePayload(utf8('\u00e9'.repeat(40)))).toBe('\u00e9'.repeat(32) + ' ...');
  });

  it('an empty payload is the empty string', () => {
    expect(abbreviatePayload(new Uint8Array(0))).toBe('');
  });

  it('accepts encoded surrogates as the testsuite (Python 2) does: 6.20.1, 6.21.1, 6.3.1', () => {
    expect(abbreviatePayload(hex('eda080'))).toBe('\ud800');
    expect(abbreviatePayload(hex('eda080edb080'))).toBe('\ud800\udc00');
    expect(abbreviatePayload(hex('cebae1bdb9cf83cebcceb5eda080656469746564'))).toBe(
      '\u03ba\u1f79\u03c3\u03bc\u03b5\ud800edited',
    );
  });

  it.each([
    ['c0af', 'overlong 2-octet'],
    ['e080af', 'overlong 3-octet'],
    ['f08080af', 'overlong 4-octet'],
    ['f4908080', 'above U+10FFFF'],
    ['f8888080af', '5-octet form'],
    ['80', 'lone continuation'],
    ['ce', 'truncated 2-octet'],
    ['e282', 'truncated 3-octet'],
    ['cebae1bdb9cf83cebcceb5f4908080656469746564', '6.3.2-like: code point above U+10FFFF'],
    ['fe', 'FE'],
    ['ff', 'FF'],
  ])('rejects %s (%s) → hex', (h) => {
    expect(abbreviatePayload(hex(h))).toBe('0x' + h);
  });

  it('accepts the extremes of every well-formed range', () => {
    const text = '\u0000\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\u{10000}\u{10ffff}';
    expect(abbreviatePayload(utf8(text))).toBe(text);
  });
});

/** Encode UTF-16 text as the octets it was decoded from; `splitPairs` encodes a surrogate pair as two 3-octet forms. */
function encodeUnits(text: string, splitPairs: boolean): Uint8Array {
  const out: number[] = [];
  const push3 = (u: number): void => {
    out.push(0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f));
  };
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (!splitPairs && u >= 0xd800 && u < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
      out.push(...Buffer.from(text.slice(i, i + 2), 'utf8'));
      i++;
    } else if (u < 0x80) out.push(u);
    else if (u < 0x800) out.push(0xc0 | (u >> 6), 0x80 | (u & 0x3f));
    else push3(u);
  }
  return Uint8Array.from(out);
}

describe('abbreviatePayload and abbreviateOctets agree with every published wire log', () => {
  it('RF/TF payload texts and received texts: re-encoding the text reproduces it', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const { file, report } of reports) {
      const items: Array<[number | null, string]> = [];
      for (const entry of report.wirelog) {
        if (entry[0] === 'RF' || entry[0] === 'TF') {
          const [length, text] = entry[1] as [number, string];
          items.push([length, text]);
        }
      }
      for (const event of report.received) {
        if (event[0] === 'message' || event[0] === 'pong') items.push([null, event[1] as string]);
      }
      for (const [length, text] of items) {
        const truncated = text.endsWith(' ...') && (length === null || length > 60);
        const body = truncated ? text.slice(0, -4) : text;
        const candidates = /^0x(?:[0-9a-f]{2})*$/.test(body)
          ? [hex(body.slice(2))]
          : [encodeUnits(body, false), encodeUnits(body, true)];
        const keptLength = length === null ? undefined : Math.min(length, truncated ? 64 : length);
        const kept = candidates.find((c) => keptLength === undefined || c.length === keptLength) ?? candidates[0]!;
        const full = new Uint8Array(truncated ? Math.max(length ?? 65, kept.length) : kept.length);
        full.set(kept);
        checked++;
        if (abbreviatePayload(full) !== text) wrong.push(`${shortName(file)}: ${JSON.stringify(text).slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(3500);
  });

  it('RO/TO octet texts: hex of at most 64 octets, " ..." above 60', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const { file, report } of reports) {
      for (const entry of report.wirelog) {
        if (entry[0] !== 'RO' && entry[0] !== 'TO') continue;
        const [length, text] = entry[1] as [number, string];
        const shown = hex(text.replace(/ \.\.\.$/, ''));
        const octets = new Uint8Array(length);
        octets.set(shown.subarray(0, length));
        checked++;
        if (abbreviateOctets(octets) !== text) wrong.push(`${shortName(file)}: ${text.slice(0, 40)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(6000);
  });

  it('abbreviateOctets cuts like abbreviatePayload', () => {
    expect(abbreviateOctets(hex('880203e8'))).toBe('880203e8');
    expect(abbreviateOctets(repeat(0x41, 60))).toBe('41'.repeat(60));
    expect(abbreviateOctets(repeat(0x41, 61))).toBe('41'.repeat(61) + ' ...');
    expect(abbreviateOctets(repeat(0x41, 200))).toBe('41'.repeat(64) + ' ...');
  });
});
