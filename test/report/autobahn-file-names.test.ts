import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentFileStem, caseReportFileName } from '../../src/report/autobahn-file-names.js';
import { publishedIndexFiles, readText, sharedAutobahnDir, shortName } from './published-fixtures.js';

describe('agentFileStem (formats.md §1.1)', () => {
  it.each([
    ['ws@8.18.3', 'ws_8_18_3'],
    ['Boost.Beast/189-Async', 'boost_beast_189_async'],
    ['WebSocket-EventMachine-Server<br>(1.0.1)', 'websocket_eventmachine_server_br__1_0_1'],
    ['UnknownServer', 'unknownserver'],
  ])('%s → %s', (agent, stem) => {
    expect(agentFileStem(agent)).toBe(stem);
  });

  it('strips non-alphanumerics at both ends but keeps inner runs', () => {
    expect(agentFileStem('  (my server)  ')).toBe('my_server');
    expect(agentFileStem('a  --  b')).toBe('a______b');
    expect(agentFileStem('***')).toBe('');
  });

  it('treats each non-ASCII code point as one character', () => {
    expect(agentFileStem('Caf\u00e9 \u{1f600}x')).toBe('caf___x');
  });
});

describe('caseReportFileName', () => {
  it('joins the stem and the case id with dots as underscores', () => {
    expect(caseReportFileName('ws@8.18.3', '4.1.5')).toBe('ws_8_18_3_case_4_1_5.json');
    expect(caseReportFileName('UnknownServer', '12.1.10')).toBe('unknownserver_case_12_1_10.json');
  });

  it('equals the reportfile of every entry of the published ws 8.18.3 indexes', () => {
    for (const role of ['servers', 'clients']) {
      const file = path.join(sharedAutobahnDir(), 'published', 'percase', 'websockets_ws@aba4b70', role, 'index.json');
      const index = JSON.parse(readText(file)) as Record<string, Record<string, { reportfile: string }>>;
      const entries = Object.entries(index).flatMap(([agent, cases]) =>
        Object.entries(cases).map(([id, entry]) => ({ agent, id, reportfile: entry.reportfile })),
      );
      expect(entries).toHaveLength(517);
      for (const { agent, id, reportfile } of entries) {
        expect(reportfile, `${role} ${agent} ${id}`).toBe(caseReportFileName(agent, id));
      }
    }
  });

  it('equals the reportfile of every entry of every published index that has one', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const file of publishedIndexFiles()) {
      const index = JSON.parse(readText(file)) as Record<string, Record<string, { reportfile?: string }>>;
      for (const [agent, cases] of Object.entries(index)) {
        for (const [id, entry] of Object.entries(cases)) {
          if (entry.reportfile === undefined) continue;
          checked++;
          if (entry.reportfile !== caseReportFileName(agent, id)) {
            wrong.push(`${shortName(file)}: ${agent} ${id}: ${entry.reportfile}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20_000);
  });
});
