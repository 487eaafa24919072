#!/usr/bin/env node
// Summarise a wscheck (or Autobahn) report folder: verdict counts per category
// and one line per case that is not OK/OK, with wscheck's explanation.
//
//   node examples/peers/summarize.mjs REPORTS/servers/index.json [--markdown]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, flag] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: summarize.mjs INDEX.json [--markdown]');
  process.exit(2);
}
const dir = path.dirname(file);
const index = JSON.parse(readFileSync(file, 'utf8'));
const VERDICTS = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'FAILED'];
const byNumber = (a, b) => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
};

for (const [agent, cases] of Object.entries(index)) {
  const ids = Object.keys(cases).sort(byNumber);
  const counts = new Map();
  for (const id of ids) {
    const cat = id.split('.')[0];
    const row = counts.get(cat) ?? Object.fromEntries(VERDICTS.map((v) => [v, 0]));
    row[cases[id].behavior] += 1;
    counts.set(cat, row);
  }
  const total = Object.fromEntries(VERDICTS.map((v) => [v, ids.filter((id) => cases[id].behavior === v).length]));
  if (flag === '--markdown') {
    console.log(`| category | ${VERDICTS.join(' | ')} |`);
    console.log(`|---|${VERDICTS.map(() => '---:').join('|')}|`);
    for (const [cat, row] of counts) console.log(`| ${cat} | ${VERDICTS.map((v) => row[v] || '·').join(' | ')} |`);
    console.log(`| **all ${ids.length}** | ${VERDICTS.map((v) => `**${total[v]}**`).join(' | ')} |`);
  } else {
    console.log(`${agent}: ${ids.length} cases: ${VERDICTS.map((v) => `${v} ${total[v]}`).join(', ')}`);
    for (const [cat, row] of counts) console.log(`  ${cat.padEnd(3)} ${VERDICTS.map((v) => `${v} ${row[v]}`).join(', ')}`);
  }
  for (const id of ids) {
    const e = cases[id];
    if (e.behavior === 'OK' && e.behaviorClose === 'OK') continue;
    let why = '';
    try {
      const report = JSON.parse(readFileSync(path.join(dir, e.reportfile), 'utf8'));
      const w = report.wscheck ?? {};
      why = w.firstDivergence ?? w.policyMatched ?? (w.observations ?? []).join('; ');
    } catch {
      why = '(no case file)';
    }
    console.log(`  ${id.padEnd(8)} ${e.behavior}/${e.behaviorClose} close=${e.remoteCloseCode}  ${why}`);
  }
}
