/**
 * Case descriptions and expectations are HTML fragments in the report format
 * (Autobahn writes `<br>` and `<b>`; wscheck writes escaped plain text). A
 * report file is data from disk, not trusted markup: the fragment is read as
 * text with a handful of harmless formatting tags, and everything else —
 * any other tag, attribute or script — is shown as the characters it is.
 */
import { escapeHtml } from './escape-html.js';

/** Formatting tags kept (without attributes); `br` is void. */
const KEPT_TAGS = new Set(['b', 'i', 'em', 'strong', 'code', 'tt']);

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decode the character references a fragment may hold; unknown ones stay as written. */
function decodeReferences(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Safe HTML for a description or expectation fragment: text decoded and
 * re-escaped with `escapeHtml`; `<br>` kept as a line break; `<b>`, `<i>`,
 * `<em>`, `<strong>`, `<code>`, `<tt>` kept when written bare, and closed
 * properly whatever the fragment does; any other markup shown as text.
 */
export function safeFragment(fragment: string): string {
  let out = '';
  const open: string[] = [];
  for (const token of fragment.match(/<[^<>]*>|[^<]+|</g) ?? []) {
    const tag = /^<\s*(\/?)\s*([a-z]+)\s*(\/?)\s*>$/i.exec(token);
    const name = tag?.[2]?.toLowerCase();
    if (tag !== null && name === 'br') {
      out += '<br>';
    } else if (tag !== null && name !== undefined && KEPT_TAGS.has(name) && tag[3] === '') {
      if (tag[1] === '') {
        open.push(name);
        out += `<${name}>`;
      } else if (open.includes(name)) {
        while (open.length > 0) {
          const top = open.pop()!;
          out += `</${top}>`;
          if (top === name) break;
        }
      }
    } else {
      out += escapeHtml(decodeReferences(token));
    }
  }
  while (open.length > 0) out += `</${open.pop()!}>`;
  return out;
}
