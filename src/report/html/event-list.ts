/**
 * Autobahn's event lists (`expected`, `received`) as readable lists: one
 * line per message, pong or elapsed wait, with its payload text escaped.
 */
import type { AutobahnEvent } from '../autobahn-types.js';
import { escapeHtml } from './escape-html.js';

/** Events shown before the list is cut (a list of a thousand echoes helps nobody). */
const MAX_EVENTS = 200;

/** One event in words: kind, then payload. */
export function eventLine(e: AutobahnEvent): string {
  switch (e[0]) {
    case 'message':
      return `<span class="kind">${e[2] ? 'binary' : 'text'} message</span>${payloadText(e[1])}`;
    case 'pong':
      return `<span class="kind">pong</span>${payloadText(e[1])}`;
    case 'timeout':
      return `<span class="kind">wait elapsed</span>tag ${escapeHtml(e[1])}, connection still open`;
  }
}

function payloadText(payload: string): string {
  return payload === '' ? '<span class="none">empty</span>' : escapeHtml(payload);
}

/** An ordered list of events, or a line saying there are none. */
export function eventList(events: readonly AutobahnEvent[]): string {
  if (events.length === 0) return '<p class="none">no events</p>';
  const shown = events.slice(0, MAX_EVENTS).map((e) => `<li>${eventLine(e)}</li>`);
  const more = events.length > MAX_EVENTS ? `<p class="muted">… and ${events.length - MAX_EVENTS} more</p>` : '';
  return `<ol class="events">${shown.join('')}</ol>${more}`;
}
