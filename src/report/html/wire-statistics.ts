/**
 * Wire statistics of a case: octets by chop size (how many reads or writes
 * of each size) and frames by opcode, received and transmitted.
 */
import { opcodeName } from '../../codec/opcode.js';
import type { AutobahnCaseReport, AutobahnCountMap } from '../autobahn-types.js';
import { escapeHtml } from './escape-html.js';

function entries(map: AutobahnCountMap): [number, number][] {
  return Object.entries(map)
    .map(([k, v]): [number, number] => [Number(k), v])
    .sort(([a], [b]) => a - b);
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

/** Octets by chop size: size × count = octets per row, totals at the foot. */
export function octetTable(title: string, map: AutobahnCountMap): string {
  const rows = entries(map);
  if (rows.length === 0) return `<div><h3>${escapeHtml(title)}</h3><p class="none">none</p></div>`;
  let count = 0;
  let octets = 0;
  const body = rows.map(([size, n]) => {
    count += n;
    octets += size * n;
    return `<tr><td class="num">${number(size)}</td><td class="num">${number(n)}</td><td class="num">${number(size * n)}</td></tr>`;
  });
  return (
    `<div><h3>${escapeHtml(title)}</h3><table class="data"><thead><tr><th class="num">Chop size</th><th class="num">Count</th><th class="num">Octets (size × count)</th></tr></thead>` +
    `<tbody>${body.join('')}</tbody><tfoot><tr><td>Total</td><td class="num">${number(count)}</td><td class="num">${number(octets)}</td></tr></tfoot></table></div>`
  );
}

/** Frames by opcode, with the opcode's name. */
export function frameTable(title: string, map: AutobahnCountMap): string {
  const rows = entries(map);
  if (rows.length === 0) return `<div><h3>${escapeHtml(title)}</h3><p class="none">none</p></div>`;
  let total = 0;
  const body = rows.map(([opcode, n]) => {
    total += n;
    return `<tr><td class="num">${opcode}</td><td>${escapeHtml(opcodeName(opcode))}</td><td class="num">${number(n)}</td></tr>`;
  });
  return (
    `<div><h3>${escapeHtml(title)}</h3><table class="data"><thead><tr><th class="num">Opcode</th><th>Name</th><th class="num">Count</th></tr></thead>` +
    `<tbody>${body.join('')}</tbody><tfoot><tr><td>Total</td><td></td><td class="num">${number(total)}</td></tr></tfoot></table></div>`
  );
}

/** The wire statistics section's body. */
export function wireStatistics(report: AutobahnCaseReport): string {
  return (
    `<div class="stats">${octetTable('Octets received', report.rxOctetStats)}${octetTable('Octets transmitted', report.txOctetStats)}</div>` +
    `<div class="stats">${frameTable('Frames received', report.rxFrameStats)}${frameTable('Frames transmitted', report.txFrameStats)}</div>`
  );
}
