import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as autobahnJson from '../../src/report/autobahn-json.js';
import { pythonFloatRepr, serializeAutobahnJson } from '../../src/report/autobahn-json.js';
import { publishedPerCaseFiles, publishedPerCaseFolders, readText, shortName } from './published-fixtures.js';

/** The first line where two texts differ, for a readable failure. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: wrote ${JSON.stringify(a[i])}, published ${JSON.stringify(e[i])}`;
  }
  return 'texts differ only in line endings';
}

describe('serializeAutobahnJson reproduces the published Autobahn files byte for byte', () => {
  const files = publishedPerCaseFiles();

  it('finds the published per-case folders (ws 8.18.3 both roles + Deno sample)', () => {
    expect(files.length).toBeGreaterThanOrEqual(1050);
    expect(publishedPerCaseFolders().map((d) => path.basename(d))).toEqual(
      expect.arrayContaining(['servers', 'clients']),
    );
  });

  for (const folder of publishedPerCaseFolders()) {
    it(`round-trips every file of ${shortName(folder)}`, () => {
      const inFolder = files.filter((f) => path.dirname(f) === folder);
      expect(inFolder.length).toBeGreaterThan(0);
      const mismatches: string[] = [];
      for (const file of inFolder) {
        const text = readText(file);
        const written = serializeAutobahnJson(JSON.parse(text));
        if (written !== text) mismatches.push(`${shortName(file)}: ${firstDifference(written, text)}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe('serializeAutobahnJson layout', () => {
  it('indents by 3, separates with "," + newline and ": ", no trailing newline', () => {
    expect(serializeAutobahnJson({ b: [1, true, null], a: { c: 'x' } })).toBe(
      '{\n   "a": {\n      "c": "x"\n   },\n   "b": [\n      1,\n      true,\n      null\n   ]\n}',
    );
  });

  it('writes empty containers as {} and [] at any depth', () => {
    expect(serializeAutobahnJson({})).toBe('{}');
    expect(serializeAutobahnJson([])).toBe('[]');
    expect(serializeAutobahnJson({ expected: {}, received: [] })).toBe('{\n   "expected": {},\n   "received": []\n}');
  });

  it('writes scalars at the top level', () => {
    expect(serializeAutobahnJson(null)).toBe('null');
    expect(serializeAutobahnJson(false)).toBe('false');
    expect(serializeAutobahnJson('x')).toBe('"x"');
    expect(serializeAutobahnJson(517)).toBe('517');
  });

  it('leaves out object properties whose value is undefined', () => {
    expect(serializeAutobahnJson({ a: 1, b: undefined })).toBe('{\n   "a": 1\n}');
  });
});

describe('serializeAutobahnJson key order', () => {
  it('sorts case ids as strings', () => {
    const index = { '2.1': 0, '12.1.2': 0, '1.1.1': 0, '12.1.10': 0, '10.1.1': 0, '12.1.1': 0 };
    const keys = [...serializeAutobahnJson(index).matchAll(/"([^"]+)":/g)].map((m) => m[1]);
    expect(keys).toEqual(['1.1.1', '10.1.1', '12.1.1', '12.1.10', '12.1.2', '2.1']);
  });

  it('sorts maps whose keys are all canonical integers numerically (octet/frame stats)', () => {
    expect(serializeAutobahnJson({ '129': 1, '4': 1, '127': 1 })).toBe('{\n   "4": 1,\n   "127": 1,\n   "129": 1\n}');
  });

  it('sorts as strings when any key is not a canonical integer', () => {
    expect(serializeAutobahnJson({ '10': 1, '9': 1, x: 1 })).toBe('{\n   "10": 1,\n   "9": 1,\n   "x": 1\n}');
    expect(serializeAutobahnJson({ '10': 1, '09': 1 })).toBe('{\n   "09": 1,\n   "10": 1\n}');
  });

  it('accepts Maps: integer keys numerically, string keys by code point', () => {
    expect(serializeAutobahnJson(new Map([[10, 1], [9, 2]]))).toBe('{\n   "9": 2,\n   "10": 1\n}');
    expect(serializeAutobahnJson(new Map([['b', 1], ['a', 2]]))).toBe('{\n   "a": 2,\n   "b": 1\n}');
    expect(() => serializeAutobahnJson(new Map<unknown, number>([[1, 1], ['a', 2]]))).toThrow(TypeError);
  });

  it('compares keys by code point as Python does, not by UTF-16 unit', () => {
    // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D).
    const keys = [...serializeAutobahnJson({ '\u{1f600}': 1, '\uff61': 2 }).matchAll(/"([^"]+)":/g)].map((m) => m[1]);
    expect(keys).toEqual(['\\uff61', '\\ud83d\\ude00']);
  });
});

describe('serializeAutobahnJson strings (ensure_ascii)', () => {
  it('escapes quote, backslash and the short control escapes', () => {
    expect(serializeAutobahnJson('"\\\b\f\n\r\t/')).toBe('"\\"\\\\\\b\\f\\n\\r\\t/"');
  });

  it('escapes other control characters and DEL as lower-case \\u00XX', () => {
    expect(serializeAutobahnJson('\u0000\u001f\u007f~ ')).toBe('"\\u0000\\u001f\\u007f~ "');
  });

  it('escapes non-ASCII as lower-case \\uXXXX and astral characters as surrogate pairs', () => {
    expect(serializeAutobahnJson('\u03ba\u1f79\u03c3\u03bc\u03b5')).toBe('"\\u03ba\\u1f79\\u03c3\\u03bc\\u03b5"');
    expect(serializeAutobahnJson('\u{10000}\u{10ffff}')).toBe('"\\ud800\\udc00\\udbff\\udfff"');
  });

  it('writes lone surrogates as they are', () => {
    expect(serializeAutobahnJson('\ud800x\udfff')).toBe('"\\ud800x\\udfff"');
  });

  it('escapes keys the same way', () => {
    expect(serializeAutobahnJson({ '\u00e9': 1 })).toBe('{\n   "\\u00e9": 1\n}');
  });
});

describe('serializeAutobahnJson numbers', () => {
  it('writes integral numbers as Python ints', () => {
    expect(serializeAutobahnJson([0, -0, 1, -17, 1000, 1764191243057, 2 ** 53, 1e21, 123456789012345680000000])).toBe(
      '[\n   0,\n   0,\n   1,\n   -17,\n   1000,\n   1764191243057,\n   9007199254740992,\n   1000000000000000000000,\n   123456789012345685803008\n]',
    );
    expect(serializeAutobahnJson(10n ** 30n)).toBe('1000000000000000000000000000000');
  });

  it('writes non-integral numbers as Python floats', () => {
    expect(serializeAutobahnJson([0.5, 7.174595760854221e-5, 1.25])).toBe(
      '[\n   0.5,\n   7.174595760854221e-05,\n   1.25\n]',
    );
  });

  it('writes the trafficStats ratios as floats even when integral', () => {
    const stats = { incomingCompressionRatio: 1, outgoingCompressionRatio: 0.5, incomingWebSocketOverhead: null, outgoingWebSocketOverhead: 2, incomingOctetsWireLevel: 1 };
    expect(serializeAutobahnJson(stats)).toBe(
      '{\n   "incomingCompressionRatio": 1.0,\n   "incomingOctetsWireLevel": 1,\n   "incomingWebSocketOverhead": null,\n   "outgoingCompressionRatio": 0.5,\n   "outgoingWebSocketOverhead": 2.0\n}',
    );
  });

  it('writes non-finite numbers as Python json does', () => {
    expect(serializeAutobahnJson([NaN, Infinity, -Infinity])).toBe('[\n   NaN,\n   Infinity,\n   -Infinity\n]');
  });
});

describe('pythonFloatRepr matches Python repr(float)', () => {
  // Pairs checked against CPython's repr().
  const cases: Array<[number, string]> = [
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [0.001, '0.001'],
    [1.2e-6, '1.2e-06'],
    [2.5e-7, '2.5e-07'],
    [1e15, '1000000000000000.0'],
    [1234567890123456, '1234567890123456.0'],
    [1e16, '1e+16'],
    [123456789012345678, '1.2345678901234568e+17'],
    [1e21, '1e+21'],
    [1e22, '1e+22'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [123.456, '123.456'],
    [100, '100.0'],
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1 / 3, '0.3333333333333333'],
    [(2 / 3) * 1e-4, '6.666666666666667e-05'],
  ];
  it.each(cases)('%s → %s', (x, repr) => {
    expect(pythonFloatRepr(x)).toBe(repr);
  });
});

describe('serializeAutobahnJson rejects what Python could not have written', () => {
  it('names the path of the bad value', () => {
    expect(() => serializeAutobahnJson({ a: [1, undefined] })).toThrow('undefined at a → 1');
    expect(() => serializeAutobahnJson({ f: () => 1 })).toThrow('cannot serialise function at f');
    expect(() => serializeAutobahnJson({ d: new Date(0) })).toThrow('not a plain object at d');
    expect(() => serializeAutobahnJson(new Uint8Array(2))).toThrow('not a plain object at (top level)');
  });

  it('detects cycles', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => serializeAutobahnJson(loop)).toThrow('cycle at self');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(serializeAutobahnJson([shared, shared])).toBe('[\n   {\n      "x": 1\n   },\n   {\n      "x": 1\n   }\n]');
  });
});

describe('autobahn-json is the entry point of the report data layer', () => {
  it('re-exports file names, abbreviation, readers and verdict lists', () => {
    expect(autobahnJson.caseReportFileName('ws@8.18.3', '4.1.5')).toBe('ws_8_18_3_case_4_1_5.json');
    expect(autobahnJson.abbreviatePayload(new Uint8Array([3, 232]))).toBe('0x03e8');
    expect(autobahnJson.readAutobahnIndex('{}')).toEqual({ ok: true, value: {} });
    expect(typeof autobahnJson.readAutobahnCaseReport).toBe('function');
    expect(typeof autobahnJson.agentFileStem).toBe('function');
    expect(typeof autobahnJson.abbreviateOctets).toBe('function');
    expect(autobahnJson.BEHAVIORS).toContain('NON-STRICT');
    expect(autobahnJson.BEHAVIOR_CLOSES).toContain('WRONG CODE');
  });
});
