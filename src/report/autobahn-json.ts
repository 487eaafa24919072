/**
 * JSON exactly as the Autobahn|Testsuite writes it (index.json and the per-case
 * reports), so that tools which diff or parse Autobahn's files accept wscheck's
 * byte for byte. Autobahn uses Python's `json` module with sorted keys, an
 * indent of 3 spaces, the separators `","` and `": "`, ASCII-only output and no
 * trailing newline (../shared/autobahn/formats.md §1.2).
 *
 * Two facts cannot be recovered from a JSON text, so this module fixes them by
 * rule (both verified against every published per-case report of ws 8.18.3 and
 * the Deno sample, see test/report/autobahn-json.test.ts):
 *
 * - **Integer-keyed maps.** Autobahn's octet and frame statistics are Python
 *   dicts with `int` keys; `sort_keys` orders them numerically and writes the
 *   keys as strings (`{"4": 1, "127": 1, "129": 1}`). Here an object whose keys
 *   are all canonical non-negative integers (`0`, `7`, `129`, never `007` or
 *   `-1`; at most 15 digits) is sorted numerically; every other object is sorted by code point
 *   (case ids: `"1.1.1" < "10.1.1" < "12.1.10" < "12.1.2" < "2.1"`). A
 *   `Map<number, V>` is accepted too and sorted numerically.
 * - **Floats that happen to be integral.** Python writes the float `1.0` as
 *   `1.0`, the int `1` as `1`; JavaScript has one number type. Numbers under the
 *   keys in {@link PYTHON_FLOAT_KEYS} (the ratios of `trafficStats`, which
 *   Autobahn always computes by division) are written as Python floats; any
 *   other integral number is written as an int, and any non-integral number as
 *   a Python float (`0.5`, `7.174595760854221e-05`).
 */

/**
 * Keys whose numeric values Autobahn always holds as Python floats: the
 * compression ratio and framing overhead of `trafficStats` (semantics.md §5.3).
 */
export const PYTHON_FLOAT_KEYS: ReadonlySet<string> = new Set([
  'incomingCompressionRatio',
  'incomingWebSocketOverhead',
  'outgoingCompressionRatio',
  'outgoingWebSocketOverhead',
]);

const INDENT = '   ';

/**
 * Serialise `value` as Autobahn's Python writes its report JSON
 * (`json.dumps(value, sort_keys=True, indent=3, separators=(',', ': '))`).
 *
 * Accepted values: `null`, booleans, numbers, bigints (as ints), strings,
 * arrays, plain objects (own enumerable string keys; properties whose value is
 * `undefined` are left out, as `JSON.stringify` does) and `Map`s with all-string
 * or all-integer keys. NaN and ±Infinity are written as Python writes them
 * (`NaN`, `Infinity`, `-Infinity`). Anything else (`undefined` outside an object
 * property, functions, symbols, class instances, typed arrays, cycles) throws a
 * `TypeError` naming the path of the offending value.
 */
export function serializeAutobahnJson(value: unknown): string {
  const parts: string[] = [];
  writeValue(value, '', false, parts, [], new Set());
  return parts.join('');
}

function writeValue(
  value: unknown,
  indent: string,
  asFloat: boolean,
  out: string[],
  path: readonly string[],
  open: Set<object>,
): void {
  switch (typeof value) {
    case 'string':
      out.push(pythonJsonString(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(asFloat ? pythonFloatRepr(value) : pythonNumber(value));
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      break;
    default:
      throw new TypeError(`serializeAutobahnJson: cannot serialise ${typeof value} at ${describePath(path)}`);
  }
  if (open.has(value)) {
    throw new TypeError(`serializeAutobahnJson: cycle at ${describePath(path)}`);
  }
  open.add(value);
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
    } else {
      out.push('[\n', inner);
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out.push(',\n', inner);
        const item: unknown = value[i];
        if (item === undefined) {
          throw new TypeError(`serializeAutobahnJson: undefined at ${describePath([...path, String(i)])}`);
        }
        writeValue(item, inner, false, out, [...path, String(i)], open);
      }
      out.push('\n', indent, ']');
    }
  } else {
    const entries = objectEntries(value, path);
    if (entries.length === 0) {
      out.push('{}');
    } else {
      out.push('{\n', inner);
      entries.forEach(([key, item], i) => {
        if (i > 0) out.push(',\n', inner);
        out.push(pythonJsonString(key), ': ');
        writeValue(item, inner, PYTHON_FLOAT_KEYS.has(key), out, [...path, key], open);
      });
      out.push('\n', indent, '}');
    }
  }
  open.delete(value);
}

/** The entries of a plain object or Map, in Python `sort_keys` order, keys as strings. */
function objectEntries(value: object, path: readonly string[]): Array<[string, unknown]> {
  if (value instanceof Map) {
    const keys = [...value.keys()];
    if (keys.every((k) => typeof k === 'number' && Number.isSafeInteger(k))) {
      return (keys as number[]).sort((a, b) => a - b).map((k) => [String(k), value.get(k)]);
    }
    if (keys.every((k) => typeof k === 'string')) {
      return (keys as string[]).sort(compareCodePoints).map((k) => [k, value.get(k)]);
    }
    throw new TypeError(
      `serializeAutobahnJson: Map keys must be all integers or all strings at ${describePath(path)}`,
    );
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`serializeAutobahnJson: not a plain object at ${describePath(path)}`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  if (keys.every(isCanonicalIndex)) {
    keys.sort((a, b) => Number(a) - Number(b));
  } else {
    keys.sort(compareCodePoints);
  }
  return keys.map((k) => [k, record[k]]);
}

/** `0`, `1`, `129`, …: the text Python's `str(int)` gives for a non-negative int. */
function isCanonicalIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]{0,14})$/.test(key);
}

/** Python compares `str` by code point; JS `<` compares UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}

function describePath(path: readonly string[]): string {
  return path.length === 0 ? '(top level)' : path.join(' → ');
}

/** Python `json` with `ensure_ascii=True`: escape `"` `\` and everything outside U+0020..U+007E. */
function pythonJsonString(s: string): string {
  return '"' + s.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, escapeCodeUnit) + '"';
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeCodeUnit(c: string): string {
  // Surrogates are matched one code unit at a time, so a pair becomes two
  // escapes, as Python writes them; hex digits are lower-case.
  return SHORT_ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A number Python held as an int if it is integral, else as a float. */
function pythonNumber(x: number): string {
  if (!Number.isInteger(x)) return pythonFloatRepr(x);
  // Integral doubles of 1e21 and above would print in exponent form in JS.
  return Math.abs(x) < 1e21 ? String(x === 0 ? 0 : x) : BigInt(x).toString();
}

/**
 * Python's `repr(float)` (also what `json` writes for floats): the shortest
 * digits that round-trip (the same digits as JS `String(x)`), fixed notation
 * when the decimal exponent is in -4 < e <= 16 (with `.0` added to whole
 * numbers), otherwise `d.ddde±XX` with at least two exponent digits.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, pointAt } = shortestDigits(Math.abs(x));
  // value = 0.<digits> × 10^pointAt
  if (pointAt > -4 && pointAt <= 16) {
    if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
    if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}.0`;
    return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  }
  const exponent = pointAt - 1;
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expDigits = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${expDigits}`;
}

/** Shortest round-trip digits of a positive finite number (no leading/trailing zeros) and the decimal point position. */
function shortestDigits(x: number): { digits: string; pointAt: number } {
  const text = String(x); // "123.45", "0.000123", "1.5e+21", "1e-7"
  const [mantissa, exp] = text.split('e') as [string, string | undefined];
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1);
  let digits = intPart + fracPart;
  let pointAt = intPart.length + (exp === undefined ? 0 : Number(exp));
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  pointAt -= lead;
  digits = digits.replace(/0+$/, '');
  return { digits, pointAt };
}

// The rest of the Autobahn report data layer, so that this module is its one
// entry point: file names, payload abbreviation, file types and readers.
export { abbreviateOctets, abbreviatePayload } from './abbreviate-payload.js';
export { agentFileStem, caseReportFileName } from './autobahn-file-names.js';
export { readAutobahnCaseReport, readAutobahnIndex } from './autobahn-read.js';
export type { ReadAutobahnCaseReportOptions, ReadAutobahnIndexOptions, ReadResult } from './autobahn-read.js';
export { BEHAVIORS, BEHAVIOR_CLOSES } from './autobahn-types.js';
export type {
  AutobahnCaseReport,
  AutobahnCountMap,
  AutobahnEvent,
  AutobahnExpected,
  AutobahnExpectedClose,
  AutobahnIndex,
  AutobahnIndexEntry,
  AutobahnMessageEvent,
  AutobahnPongEvent,
  AutobahnTimeoutEvent,
  AutobahnTrafficStats,
  Behavior,
  BehaviorClose,
  LenientAutobahnIndex,
  LenientAutobahnIndexEntry,
  WirelogCT,
  WirelogCTE,
  WirelogEntry,
  WirelogKL,
  WirelogKLE,
  WirelogPayload,
  WirelogRF,
  WirelogRO,
  WirelogTag,
  WirelogTF,
  WirelogTI,
  WirelogTIE,
  WirelogTO,
  WirelogWLM,
  WithUnknownKeys,
} from './autobahn-types.js';
