/**
 * A scenario as a table people can read: one row per frame the tester sends
 * (opcode, FIN, RSV, masking, length, payload), how it is written (in pieces,
 * as part of a cut stream), and the timers and pauses between.
 */
import { encodedFrameLength } from '../codec/encode.js';
import { opcodeName } from '../codec/opcode.js';
import type { HeadEdit, HeaderValue } from './handshake-variation.js';
import type { FrameDescription, Scenario, Step } from './scenario.js';

function preview(payload: Uint8Array): string {
  if (payload.length === 0) return '';
  const head = payload.subarray(0, 24);
  let text: string | null = null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    text = null;
  }
  const shown =
    text !== null && !/[\u0000-\u001f\u007f]/.test(text)
      ? JSON.stringify(text)
      : `0x${Array.from(head, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return payload.length > head.length ? `${shown}…` : shown;
}

function frameRow(n: number, f: FrameDescription, how: string): string {
  const mask = f.maskKey === null ? 'unmasked' : f.maskKey === undefined || f.maskKey === 'auto' ? 'as role' : f.maskKey === 'wrong' ? 'wrong for the role' : `key ${f.maskKey}`;
  const length =
    f.declaredLength !== undefined
      ? `${f.payload.length} (declares ${f.declaredLength})`
      : f.lengthEncoding !== undefined && f.lengthEncoding !== 'minimal'
        ? `${f.payload.length} (${f.lengthEncoding}-bit)`
        : String(f.payload.length);
  const cells = [
    `#${n}`,
    opcodeName(f.opcode),
    `fin=${(f.fin ?? true) ? 1 : 0}`,
    `rsv=${f.rsv ?? 0}`,
    mask,
    `len=${length}`,
    preview(f.payload),
    how,
  ];
  return cells.filter((c) => c !== '').join('  ');
}

function headerValue(v: HeaderValue): string {
  if (typeof v !== 'string') return `(${v.computed})`;
  return v.length > 100 ? `${JSON.stringify(v.slice(0, 12))}… (${v.length} characters)` : JSON.stringify(v);
}

/** One head edit, for people. */
export function editRow(e: HeadEdit): string {
  switch (e.kind) {
    case 'set':
      return `${e.name}: ${headerValue(e.value)}`;
    case 'add':
      return `another ${e.name}: ${headerValue(e.value)}`;
    case 'remove':
      return `no ${e.name}`;
    case 'names':
      return `field names in ${e.spelling} case`;
    case 'start-line':
      return `start-line ${JSON.stringify(e.line)}`;
    case 'request-line':
      return `request-line with ${[e.method, e.version].filter((x) => x !== undefined).join(' ')}`;
    case 'filler-fields':
      return `${e.count} filler fields${e.first ? ' first' : ''}`;
  }
}

/** Rows for every step (and for a varied opening handshake), frames numbered in the order they go out. */
export function describeScenario(scenario: Scenario): string[] {
  const rows: string[] = [];
  let n = 0;
  const walk = (steps: readonly Step[], indent: string): void => {
    for (const s of steps) {
      switch (s.kind) {
        case 'frame':
          rows.push(indent + frameRow(++n, s, s.chop != null ? `written in ${s.chop}-octet pieces` : s.sync ? 'own write' : ''));
          break;
        case 'stream': {
          const lengths = s.frames.map((f) => encodedFrameLength({ ...f, maskKey: f.maskKey === null ? null : 0 }));
          const total = lengths.reduce((a, b) => a + b, 0);
          rows.push(`${indent}one byte stream of ${s.frames.length} frame(s), ${total} octets, written in ${s.cuts.length + 1} piece(s) cut at ${s.cuts.length === 0 ? '-' : s.cuts.join(', ')}:`);
          for (const f of s.frames) rows.push(indent + '  ' + frameRow(++n, f, ''));
          break;
        }
        case 'message':
          rows.push(`${indent}message (${s.binary ? 'binary' : 'text'}, ${s.payload.length} octets${s.fragmentSize ? `, fragments of ${s.fragmentSize}` : ''}) ${preview(s.payload)}`);
          break;
        case 'close':
          rows.push(`${indent}close ${s.code ?? '(no code)'}${s.reason !== undefined && s.reason.length > 0 ? ` ${preview(s.reason)}` : ''}`);
          break;
        case 'close-raw':
          rows.push(`${indent}close with raw body ${preview(s.payload) || '(empty)'}`);
          break;
        case 'kill-after':
          rows.push(`${indent}fail the connection after ${s.seconds} s if still open`);
          break;
        case 'close-after':
          rows.push(`${indent}close after ${s.seconds} s if still open`);
          break;
        case 'continue-later':
          rows.push(`${indent}after ${s.seconds} s${s.tag !== null ? ` [${s.tag}]` : ''}:`);
          walk(s.steps, indent + '  ');
          break;
        case 'begin-frame':
          rows.push(`${indent}#${++n}  ${opcodeName(s.opcode)}  fin=${(s.fin ?? true) ? 1 : 0}  header only, announces ${s.length} octets`);
          break;
        case 'frame-data':
          rows.push(`${indent}    its next ${s.payload.length} payload octets ${preview(s.payload)}`);
          break;
        case 'wirelog':
          break;
        case 'drop':
          rows.push(`${indent}close TCP without a Close frame`);
          break;
      }
    }
  };
  const opening = scenario.opening?.request ?? scenario.opening?.response;
  if (opening !== undefined) {
    const head = scenario.opening?.request !== undefined ? 'request' : '101';
    for (const e of opening.edits ?? []) rows.push(`${head}: ${editRow(e)}`);
    if (opening.chop !== undefined) rows.push(`${head} written in ${opening.chop}-octet pieces`);
    if (scenario.opening?.request?.timing !== undefined) rows.push(`${head} answered within ${scenario.opening.request.timing.factor} times a benign head's time (at least ${scenario.opening.request.timing.floorMs} ms)`);
    if ((opening.frames ?? []).length > 0) {
      rows.push(`in the same TCP write as the ${head}:`);
      for (const f of opening.frames!) rows.push('  ' + frameRow(++n, f, ''));
    }
  }
  if (scenario.deflate !== undefined) rows.push(`permessage-deflate negotiated (${scenario.deflate.accept})`);
  walk(scenario.steps, '');
  if (scenario.maskSeed !== undefined) rows.push(`masking keys from seed ${scenario.maskSeed}`);
  if (scenario.pieceIntervalMs !== undefined) rows.push(`pieces written at least ${scenario.pieceIntervalMs} ms apart, so that the peer reads each on its own`);
  return rows;
}
