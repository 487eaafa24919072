/**
 * The wire log of a case, one numbered line per entry: octets read and
 * written (hex), frames received and sent (opcode, FIN, RSV, length, mask,
 * chop size, with the payload text below), timers, and how TCP ended. With
 * wscheck's `wirelogTimes`, each line carries its time in milliseconds since
 * the connection opened.
 */
import { opcodeName } from '../../codec/opcode.js';
import type { AutobahnCaseReport, WirelogEntry, WirelogPayload } from '../autobahn-types.js';
import { escapeHtml } from './escape-html.js';

function seconds(s: number): string {
  return `${s} s`;
}

function tag(label: string): string {
  return `<span class="tag">${escapeHtml(label)}</span>`;
}

function kind(label: string): string {
  return `<span class="kind">${label}</span>`;
}

function octets([length, hex]: WirelogPayload): string {
  return `${length} octet${length === 1 ? '' : 's'} <span class="hex">${escapeHtml(hex)}</span>`;
}

/** The payload text below a frame line; a Close frame's body also in words. */
function payloadBlock(opcode: number, [length, text]: WirelogPayload): string {
  if (length === 0) return '';
  const words = opcode === 0x8 ? closeBodyText(text) : null;
  return `<span class="p">${escapeHtml(text)}${words === null ? '' : `<span class="muted"> = ${escapeHtml(words)}</span>`}</span>`;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A Close frame's body in words, decoded from the hex text the report holds
 * when its payload is not valid UTF-8 (as a status code usually makes it):
 * `0x03e8...` → `code 1000, reason "..."`. Null when there is nothing to add.
 */
export function closeBodyText(text: string): string | null {
  const m = /^0x((?:[0-9a-f]{2})+)$/.exec(text);
  if (m === null || m[1]!.length < 4) return null;
  const bytes = Uint8Array.from(m[1]!.match(/../g)!, (h) => parseInt(h, 16));
  const code = (bytes[0]! << 8) | bytes[1]!;
  const reason = bytes.length > 2 ? `, reason “${utf8.decode(bytes.subarray(2))}”` : '';
  return `code ${code}${reason}`;
}

function frameHead(opcode: number, fin: boolean, rsv: number, length: number): string {
  const name = opcodeName(opcode);
  const named = name.startsWith('reserved') ? name : `${name} (opcode ${opcode})`;
  return `${escapeHtml(named)} · FIN ${fin ? 1 : 0} · RSV ${rsv} · ${length} octet${length === 1 ? '' : 's'}`;
}

/** Direction class and label, and the line's HTML, for one entry. */
export function wirelogLine(e: WirelogEntry): { readonly dir: 'rx' | 'tx' | 'timer' | 'log'; readonly html: string } {
  switch (e[0]) {
    case 'RO':
      return { dir: 'rx', html: `${kind('octets')}${octets(e[1])}` };
    case 'TO':
      return { dir: 'tx', html: `${kind('octets')}${octets(e[1])}${e[2] ? tag('sync') : ''}` };
    case 'RF': {
      const [, payload, opcode, fin, rsv, masked, mask] = e;
      const masking = masked ? ` · masked, key ${escapeHtml(mask ?? '?')}` : ' · unmasked';
      return { dir: 'rx', html: `${kind('frame')}${frameHead(opcode, fin, rsv, payload[0])}${masking}${payloadBlock(opcode, payload)}` };
    }
    case 'TF': {
      const [, payload, opcode, fin, rsv, mask, repeatLength, chop, sync] = e;
      const length = repeatLength ?? payload[0];
      const masking = mask === null ? ' · unmasked' : ` · key ${escapeHtml(mask)}`;
      const repeat = repeatLength === null ? '' : ` · payload of ${payload[0]} octets repeated`;
      const written = chop === null ? '' : tag(`chop ${chop}`);
      return {
        dir: 'tx',
        html: `${kind('frame')}${frameHead(opcode, fin, rsv, length)}${masking}${repeat}${written}${sync ? tag('sync') : ''}${payloadBlock(opcode, payload)}`,
      };
    }
    case 'CT':
      return { dir: 'timer', html: `${kind('timer')}continue${e[2] === null ? '' : ` ${escapeHtml(e[2])}`} after ${seconds(e[1])}` };
    case 'CTE':
      return { dir: 'timer', html: `${kind('timer')}continuing${e[1] === null ? '' : ` ${escapeHtml(e[1])}`}` };
    case 'KL':
      return { dir: 'timer', html: `${kind('timer')}fail the connection after ${seconds(e[1])} if it is still open` };
    case 'KLE':
      return { dir: 'timer', html: `${kind('timer')}time is up: failing the connection` };
    case 'TI':
      return { dir: 'timer', html: `${kind('timer')}start closing after ${seconds(e[1])} if the connection is still open` };
    case 'TIE':
      return { dir: 'timer', html: `${kind('timer')}time is up: closing the connection` };
    case 'WLM':
      return { dir: 'log', html: e[1] ? 'wire log resumed' : 'wire log paused (entries until it resumes are not recorded)' };
  }
}

/**
 * Lines shown before the log is cut: a case with tens of thousands of
 * entries (one per chopped octet) would make a page nobody can open; the
 * JSON beside the page keeps them all.
 */
export const MAX_WIRELOG_LINES = 5000;

const DIRECTION_LABEL = { rx: 'RX', tx: 'TX', timer: '', log: '' } as const;

/** The wire log table, or a line saying none was recorded; `tester` names the tool that wrote the report. */
export function wireLog(report: AutobahnCaseReport, times: readonly number[] | null, tester: string): string {
  if (report.wirelog.length === 0) return '<p class="none">No wire log was recorded for this case.</p>';
  const timeHead = times === null ? '' : '<th class="num">ms</th>';
  const width = times === null ? 3 : 4;
  const rows = report.wirelog.slice(0, MAX_WIRELOG_LINES).map((e, i) => {
    const line = wirelogLine(e);
    const time = times === null ? '' : `<td class="t">${times[i]!.toFixed(3)}</td>`;
    return `<tr class="${line.dir}"><td class="n">${i + 1}</td>${time}<td class="d">${DIRECTION_LABEL[line.dir]}</td><td class="w">${line.html}</td></tr>`;
  });
  const hidden = report.wirelog.length - MAX_WIRELOG_LINES;
  if (hidden > 0) rows.push(`<tr class="log"><td colspan="${width - 1}"></td><td class="w">… ${hidden} more lines are in the JSON report</td></tr>`);
  const end = `<tr class="end"><td colspan="${width - 1}"></td><td class="w">TCP closed by ${report.droppedByMe ? escapeHtml(tester) : 'the peer'}</td></tr>`;
  return `<table class="wirelog data"><thead><tr><th class="num">#</th>${timeHead}<th></th><th>What</th></tr></thead><tbody>${rows.join('')}${end}</tbody></table>`;
}
