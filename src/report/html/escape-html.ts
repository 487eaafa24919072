/**
 * The one escaping function of the HTML report. Every string that reaches a
 * page — close reasons, payload texts, HTTP heads, agent names, case
 * descriptions, file names — goes through it, in text and in (always
 * double-quoted) attribute values alike. Peer-controlled bytes are data.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escape `text` for HTML text content and for a double- or single-quoted
 * attribute value: `& < > " '` become character references. C0 control
 * characters other than tab, line feed and carriage return (a NUL-padded
 * close reason, say) and DEL are shown as their Unicode control pictures
 * (U+2400 + code, U+2421), so they are visible and never reach the parser.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (ch) => {
    const entity = ENTITIES[ch];
    if (entity !== undefined) return entity;
    const code = ch.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}
