/**
 * The closing-behaviour fields of a case report (Autobahn's 13), each with a
 * line saying what it means. "Me" in the field names is the tester (wscheck,
 * or the tool that wrote the report); "the peer" is the implementation under
 * test. The meanings name the tester: `{tester}` is replaced.
 */
import type { AutobahnCaseReport } from '../autobahn-types.js';
import { escapeHtml } from './escape-html.js';

type ClosingField =
  | 'isServer'
  | 'closedByMe'
  | 'failedByMe'
  | 'droppedByMe'
  | 'wasClean'
  | 'wasNotCleanReason'
  | 'wasServerConnectionDropTimeout'
  | 'wasOpenHandshakeTimeout'
  | 'wasCloseHandshakeTimeout'
  | 'localCloseCode'
  | 'localCloseReason'
  | 'remoteCloseCode'
  | 'remoteCloseReason';

/** The fields in report order, with their meaning. */
export const CLOSING_FIELDS: readonly (readonly [field: ClosingField, meaning: string])[] = [
  ['isServer', '{tester} played the server: the peer under test is a client.'],
  ['closedByMe', '{tester} sent the first Close frame, starting the closing handshake (a Close sent only as a reply does not count).'],
  ['failedByMe', '{tester} failed the connection itself: it saw the peer break the protocol, or a kill timer ran out.'],
  ['droppedByMe', '{tester} closed the TCP connection before the peer did.'],
  ['wasClean', 'Close frames went both ways before TCP closed.'],
  ['wasNotCleanReason', 'Why the ending was not clean, when it was not.'],
  ['wasServerConnectionDropTimeout', 'As the client, {tester} gave up waiting for the server to close TCP after the closing handshake.'],
  ['wasOpenHandshakeTimeout', 'The opening handshake did not complete in time.'],
  ['wasCloseHandshakeTimeout', 'The peer did not answer {tester}\u2019s Close frame in time.'],
  ['localCloseCode', 'Status code in the Close frame {tester} sent.'],
  ['localCloseReason', 'Reason text in the Close frame {tester} sent.'],
  ['remoteCloseCode', 'Status code in the Close frame the peer sent.'],
  ['remoteCloseReason', 'Reason text in the Close frame the peer sent.'],
];

/** A field value as the table shows it: booleans and null styled, text escaped. */
export function fieldValue(value: unknown): string {
  if (value === true) return '<span class="v-true">true</span>';
  if (value === false) return '<span class="v-false">false</span>';
  if (value === null || value === undefined) return '<span class="v-null">null</span>';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The table of the 13 closing fields; `tester` names the tool that wrote the report ("wscheck", "the tester"). */
export function closingFieldsTable(report: AutobahnCaseReport, tester: string): string {
  const rows = CLOSING_FIELDS.map(([field, meaning]) => {
    const text = meaning.replace(/\{tester\}/g, tester).replace(/^./, (c) => c.toUpperCase());
    return `<tr><td>${field}</td><td>${fieldValue(report[field])}</td><td>${escapeHtml(text)}</td></tr>`;
  });
  return `<table class="data fields"><thead><tr><th>Field</th><th>Value</th><th>Meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
