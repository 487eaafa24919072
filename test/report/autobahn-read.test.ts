import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeAutobahnJson } from '../../src/report/autobahn-json.js';
import { readAutobahnCaseReport, readAutobahnIndex } from '../../src/report/autobahn-read.js';
import type { ReadResult } from '../../src/report/autobahn-read.js';
import type { AutobahnIndex } from '../../src/report/autobahn-types.js';
import {
  publishedCaseReportFiles,
  publishedIndexFiles,
  readText,
  sharedAutobahnDir,
  shortName,
} from './published-fixtures.js';

const wsDir = (role: string): string => path.join(sharedAutobahnDir(), 'published', 'percase', 'websockets_ws@aba4b70', role);
const wsIndexText = (): string => readText(path.join(wsDir('servers'), 'index.json'));
const wsCaseText = (id: string, role = 'servers'): string =>
  readText(path.join(wsDir(role), `ws_8_18_3_case_${id.replace(/\./g, '_')}.json`));

function errorOf<T>(result: ReadResult<T>): string {
  if (result.ok) throw new Error('expected the reader to reject the input');
  return result.error;
}

/** Parse, change, re-serialise a JSON text. */
function edit(text: string, change: (value: Record<string, any>) => void): string {
  const value = JSON.parse(text) as Record<string, any>;
  change(value);
  return serializeAutobahnJson(value);
}

describe('readAutobahnIndex on published files', () => {
  const files = publishedIndexFiles();

  it('finds the published index files', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
  });

  it('reads every published index leniently', () => {
    const failures: string[] = [];
    let entries = 0;
    for (const file of files) {
      const result = readAutobahnIndex(readText(file), { source: shortName(file) });
      if (!result.ok) failures.push(result.error);
      else for (const cases of Object.values(result.value)) entries += Object.keys(cases).length;
    }
    expect(failures).toEqual([]);
    expect(entries).toBeGreaterThan(20_000);
  });

  it('reads the files Autobahn wrote strictly (all five keys)', () => {
    for (const role of ['servers', 'clients']) {
      const result = readAutobahnIndex(readText(path.join(wsDir(role), 'index.json')), { strict: true });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      const index: AutobahnIndex = result.value;
      expect(Object.keys(index)).toEqual(['ws@8.18.3']);
      expect(index['ws@8.18.3']!['4.1.5']).toEqual({
        behavior: 'OK',
        behaviorClose: 'OK',
        duration: expect.any(Number) as number,
        remoteCloseCode: 1002,
        reportfile: 'ws_8_18_3_case_4_1_5.json',
      });
    }
  });

  it('reads trimmed "expected results" files leniently but names the missing key when strict', () => {
    const file = files.find((f) => path.basename(f).startsWith('1tgr_rust-websocket-lite__reports_servers'))!;
    const text = readText(file);
    const lenient = readAutobahnIndex(text);
    expect(lenient.ok).toBe(true);
    if (lenient.ok) {
      const entry = lenient.value['rust-websocket-lite']!['1.1.1']!;
      expect(entry.duration).toBeUndefined();
      expect(entry.behavior).toBe('OK');
    }
    expect(errorOf(readAutobahnIndex(text, { strict: true }))).toBe(
      'index.json: rust-websocket-lite → 1.1.1 → duration: missing',
    );
  });

  it('accepts a null duration (websocketz expected results)', () => {
    const file = files.find((f) => path.basename(f).startsWith('JadKHaddad_websocketz'))!;
    const result = readAutobahnIndex(readText(file));
    expect(result.ok).toBe(true);
    if (result.ok) {
      const nulls = Object.values(result.value['websocketz']!).filter((e) => e.duration === null);
      expect(nulls).toHaveLength(1);
    }
  });
});

describe('readAutobahnIndex errors', () => {
  it('names agent, case id and field of a bad verdict', () => {
    const text = edit(wsIndexText(), (v) => {
      v['ws@8.18.3']['4.1.5'].behavior = 'PASS';
    });
    expect(errorOf(readAutobahnIndex(text))).toBe(
      'index.json: ws@8.18.3 → 4.1.5 → behavior: expected one of OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED but got "PASS"',
    );
  });

  it('rejects a bad behaviorClose, duration, close code and reportfile', () => {
    const bad = (key: string, value: unknown): string =>
      errorOf(
        readAutobahnIndex(
          edit(wsIndexText(), (v) => {
            v['ws@8.18.3']['2.1'][key] = value;
          }),
          { strict: true },
        ),
      );
    expect(bad('behaviorClose', 'CLEAN')).toBe(
      'index.json: ws@8.18.3 → 2.1 → behaviorClose: expected one of OK, FAILED, UNCLEAN, WRONG CODE, FAILED BY CLIENT, INFORMATIONAL but got "CLEAN"',
    );
    expect(bad('duration', 1.5)).toBe('index.json: ws@8.18.3 → 2.1 → duration: expected an integer >= 0 but got 1.5');
    expect(bad('duration', null)).toBe('index.json: ws@8.18.3 → 2.1 → duration: expected an integer >= 0 but got null');
    expect(bad('remoteCloseCode', 70000)).toBe(
      'index.json: ws@8.18.3 → 2.1 → remoteCloseCode: expected an integer in 0..65535 but got 70000',
    );
    expect(bad('reportfile', ['x'])).toBe('index.json: ws@8.18.3 → 2.1 → reportfile: expected a string but got an array of 1');
  });

  it('rejects wrong containers and case ids', () => {
    expect(errorOf(readAutobahnIndex('[]'))).toBe('index.json: expected an object but got an array of 0');
    expect(errorOf(readAutobahnIndex('{"a": 1}'))).toBe('index.json: a: expected an object but got 1');
    expect(errorOf(readAutobahnIndex('{"a": {"one": {}}}'))).toBe('index.json: a → one: expected a case id like 4.1.5');
    expect(errorOf(readAutobahnIndex('{"a": {"1.1": null}}'))).toBe('index.json: a → 1.1: expected an object but got null');
  });

  it('reports invalid JSON on one line, with the source name', () => {
    const error = errorOf(readAutobahnIndex('{\n  "a": {\n', { source: 'reports/servers/index.json' }));
    expect(error).toMatch(/^reports\/servers\/index\.json: not JSON: /);
    expect(error).not.toContain('\n');
  });

  it('quotes path segments that would break the line or the arrows', () => {
    const error = errorOf(readAutobahnIndex('{"evil\\nagent": {"1.1": {"behavior": "X", "behaviorClose": "OK"}}}'));
    expect(error).toBe(
      'index.json: "evil\\nagent" → 1.1 → behavior: expected one of OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED but got "X"',
    );
    expect(error).not.toContain('\n');
  });

  it('keeps unknown keys of index entries', () => {
    const text = edit(wsIndexText(), (v) => {
      v['ws@8.18.3']['1.1.1'].wscheck = { lints: 0 };
    });
    const result = readAutobahnIndex(text, { strict: true });
    expect(result.ok && (result.value['ws@8.18.3']!['1.1.1'] as unknown as Record<string, unknown>)['wscheck']).toEqual({
      lints: 0,
    });
  });
});

describe('readAutobahnCaseReport on published files', () => {
  it('reads every published per-case report', () => {
    const files = publishedCaseReportFiles();
    expect(files.length).toBeGreaterThanOrEqual(1048);
    const failures: string[] = [];
    for (const file of files) {
      const result = readAutobahnCaseReport(readText(file), { source: shortName(file) });
      if (!result.ok) failures.push(result.error);
    }
    expect(failures).toEqual([]);
  });

  it('gives typed access to the fields', () => {
    const result = readAutobahnCaseReport(wsCaseText('1.2.2'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const report = result.value;
    expect(report.id).toBe('1.2.2');
    expect(report.expectedClose.closeCode).toEqual([1000]);
    expect(report.rxOctetStats).toEqual({ '4': 1, '127': 1, '129': 1 });
    const tf = report.wirelog.find((e) => e[0] === 'TF');
    expect(tf?.[0] === 'TF' && tf[1][0]).toBe(125);
    expect(report.received[0]?.[0]).toBe('message');
  });

  it('keeps keys wscheck adds, and they survive a write', () => {
    const text = edit(wsCaseText('4.1.5'), (v) => {
      v.wscheck = { firstDivergence: null, lints: ['mask-zero'], replay: 'wscheck replay x.json' };
    });
    const result = readAutobahnCaseReport(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value['wscheck']).toEqual({ firstDivergence: null, lints: ['mask-zero'], replay: 'wscheck replay x.json' });
    expect(serializeAutobahnJson(result.value)).toBe(text);
  });
});

describe('readAutobahnCaseReport errors', () => {
  const bad = (change: (v: Record<string, any>) => void, id = '1.2.2'): string =>
    errorOf(readAutobahnCaseReport(edit(wsCaseText(id), change), { source: 'ws_8_18_3_case_1_2_2.json' }));

  it('names a missing key', () => {
    expect(
      bad((v) => {
        delete v.wasClean;
      }),
    ).toBe('ws_8_18_3_case_1_2_2.json: wasClean: missing');
  });

  it('names bad scalar fields', () => {
    expect(bad((v) => (v.behavior = 'PASS'))).toBe(
      'ws_8_18_3_case_1_2_2.json: behavior: expected one of OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED but got "PASS"',
    );
    expect(bad((v) => (v.case = 0))).toBe('ws_8_18_3_case_1_2_2.json: case: expected an integer >= 1 but got 0');
    expect(bad((v) => (v.id = '1-2-2'))).toBe('ws_8_18_3_case_1_2_2.json: id: expected a case id like "4.1.5" but got "1-2-2"');
    expect(bad((v) => (v.closedByMe = 'yes'))).toBe('ws_8_18_3_case_1_2_2.json: closedByMe: expected true or false but got "yes"');
    expect(bad((v) => (v.localCloseReason = 5))).toBe('ws_8_18_3_case_1_2_2.json: localCloseReason: expected a string but got 5');
    expect(bad((v) => (v.duration = 'x'.repeat(100)))).toBe(
      'ws_8_18_3_case_1_2_2.json: duration: expected an integer >= 0 but got "' + 'x'.repeat(56) + '...',
    );
  });

  it('names bad events in expected and received', () => {
    expect(bad((v) => (v.expected = { PASS: [] }))).toBe(
      'ws_8_18_3_case_1_2_2.json: expected → PASS: unexpected key: expected one of OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED',
    );
    expect(bad((v) => (v.received[0][0] = 'ping'))).toBe(
      'ws_8_18_3_case_1_2_2.json: received → 0 → 0: expected one of message, pong, timeout but got "ping"',
    );
    expect(bad((v) => v.expected.OK[0].pop())).toBe(
      'ws_8_18_3_case_1_2_2.json: expected → OK → 0: expected an array of 3 but got an array of 2',
    );
    expect(bad((v) => (v.received[0][2] = 1))).toBe(
      'ws_8_18_3_case_1_2_2.json: received → 0 → 2: expected true or false but got 1',
    );
  });

  it('names bad closing expectations and statistics', () => {
    expect(bad((v) => (v.expectedClose.closeCode = [1000, '1001']))).toBe(
      'ws_8_18_3_case_1_2_2.json: expectedClose → closeCode → 1: expected an integer in 0..65535 but got "1001"',
    );
    expect(bad((v) => (v.expectedClose.closedByWrongEndpointIsFatal = 1))).toBe(
      'ws_8_18_3_case_1_2_2.json: expectedClose → closedByWrongEndpointIsFatal: expected true or false but got 1',
    );
    expect(bad((v) => (v.rxOctetStats = { x: 1 }))).toBe('ws_8_18_3_case_1_2_2.json: rxOctetStats → x: expected an integer key');
    expect(bad((v) => (v.txFrameStats['2'] = -1))).toBe(
      'ws_8_18_3_case_1_2_2.json: txFrameStats → 2: expected an integer >= 0 but got -1',
    );
    expect(bad((v) => (v.trafficStats = { incomingOctetsWireLevel: 1 }))).toBe(
      'ws_8_18_3_case_1_2_2.json: trafficStats → preopenIncomingOctetsWireLevel: missing',
    );
  });

  it('names bad wire log entries', () => {
    expect(bad((v) => v.wirelog.push(['XX']))).toBe(
      'ws_8_18_3_case_1_2_2.json: wirelog → 11 → 0: expected one of RO, TO, RF, TF, CT, CTE, KL, KLE, TI, TIE, WLM but got "XX"',
    );
    expect(bad((v) => v.wirelog[2].pop())).toBe(
      'ws_8_18_3_case_1_2_2.json: wirelog → 2: expected an array of 9 but got an array of 8',
    );
    expect(bad((v) => (v.wirelog[2][5] = 5))).toBe(
      'ws_8_18_3_case_1_2_2.json: wirelog → 2 → 5: expected a string but got 5',
    );
    expect(bad((v) => (v.wirelog[1][1][0] = '129'))).toBe(
      'ws_8_18_3_case_1_2_2.json: wirelog → 1 → 1 → 0: expected an integer >= 0 but got "129"',
    );
    expect(bad((v) => (v.wirelog[4] = ['KL', -1]))).toBe(
      'ws_8_18_3_case_1_2_2.json: wirelog → 4 → 1: expected a number of seconds >= 0 but got -1',
    );
  });

  it('accepts the timer and continuation entries the published logs do not show', () => {
    const text = edit(wsCaseText('1.2.2'), (v) => {
      v.wirelog.push(['KLE'], ['TI', 1], ['TIE'], ['CT', 1, 'A'], ['CTE', null], ['WLM', false]);
    });
    expect(readAutobahnCaseReport(text).ok).toBe(true);
  });

  it('rejects a report that is not an object, or not JSON', () => {
    expect(errorOf(readAutobahnCaseReport('null'))).toBe('case report: expected an object but got null');
    expect(errorOf(readAutobahnCaseReport(''))).toMatch(/^case report: not JSON: /);
  });
});
