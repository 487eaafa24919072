/**
 * Readers for Autobahn report files: parse the JSON and check its shape
 * against the types of ./autobahn-types.ts. A bad file yields a one-line error
 * naming the path of the first bad field, e.g.
 * `index.json: ws@8.18.3 → 4.1.5 → behavior: expected one of OK, NON-STRICT,
 * FAILED, INFORMATIONAL, UNIMPLEMENTED but got "PASS"`.
 *
 * The value returned is the parsed object itself: keys the types do not know
 * (wscheck's own additions, future Autobahn fields) are kept, not rejected.
 */
import { BEHAVIORS, BEHAVIOR_CLOSES } from './autobahn-types.js';
import type {
  AutobahnCaseReport,
  AutobahnIndex,
  LenientAutobahnIndex,
  WithUnknownKeys,
} from './autobahn-types.js';

/** Outcome of reading a file: the typed value, or a one-line reason. */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface ReadAutobahnIndexOptions {
  /** Name used at the start of error messages. Default `index.json`. */
  readonly source?: string;
  /**
   * Require all five keys of every entry, as Autobahn and wscheck write them.
   * Default false: accept hand-trimmed published files (CI "expected results")
   * where `duration`, `remoteCloseCode` and `reportfile` may be missing and
   * `duration` may be null.
   */
  readonly strict?: boolean;
}

export interface ReadAutobahnCaseReportOptions {
  /** Name used at the start of error messages. Default `case report`. */
  readonly source?: string;
}

/**
 * Read `index.json` (agent → case id → entry). With `{ strict: true }` every
 * entry must have all five keys and the result is an {@link AutobahnIndex};
 * otherwise only `behavior` and `behaviorClose` are required.
 */
export function readAutobahnIndex(
  text: string,
  options: ReadAutobahnIndexOptions & { readonly strict: true },
): ReadResult<AutobahnIndex>;
export function readAutobahnIndex(text: string, options?: ReadAutobahnIndexOptions): ReadResult<LenientAutobahnIndex>;
export function readAutobahnIndex(
  text: string,
  options: ReadAutobahnIndexOptions = {},
): ReadResult<AutobahnIndex | LenientAutobahnIndex> {
  const strict = options.strict ?? false;
  return readJson(text, options.source ?? 'index.json', (root) => {
    const index = record(root, []);
    for (const agent of Object.keys(index)) {
      const cases = record(index[agent], [agent]);
      for (const caseId of Object.keys(cases)) {
        checkIndexEntry(cases[caseId], [agent, caseId], strict);
      }
    }
    return root as AutobahnIndex | LenientAutobahnIndex;
  });
}

/** Read a per-case report `<agent>_case_<id>.json` (39 keys; unknown keys kept). */
export function readAutobahnCaseReport(
  text: string,
  options: ReadAutobahnCaseReportOptions = {},
): ReadResult<WithUnknownKeys<AutobahnCaseReport>> {
  return readJson(text, options.source ?? 'case report', (root) => {
    checkCaseReport(root);
    return root as WithUnknownKeys<AutobahnCaseReport>;
  });
}

// ---------------------------------------------------------------------------
// framework

type Path = readonly string[];

class ShapeError extends Error {
  constructor(
    readonly path: Path,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function readJson<T>(text: string, source: string, check: (root: unknown) => T): ReadResult<T> {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${source}: not JSON: ${oneLine(e instanceof Error ? e.message : String(e))}` };
  }
  try {
    return { ok: true, value: check(root) };
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const where = e.path.length === 0 ? '' : ` ${e.path.map(pathSegment).join(' → ')}:`;
    return { ok: false, error: `${source}:${where} ${e.problem}` };
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function pathSegment(key: string): string {
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(key) && !key.includes('→') ? key : JSON.stringify(key);
}

function fail(path: Path, expected: string, value: unknown): never {
  throw new ShapeError(path, `expected ${expected} but got ${show(value)}`);
}

/** A short, one-line rendering of a JSON value for error messages. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing (key missing)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function record(value: unknown, path: Path): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

function array(value: unknown, path: Path): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function field(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function string(value: unknown, path: Path): void {
  if (typeof value !== 'string') fail(path, 'a string', value);
}

function boolean(value: unknown, path: Path): void {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
}

function integer(value: unknown, path: Path, min = 0, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`, value);
  }
}

function seconds(value: unknown, path: Path): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(path, 'a number of seconds >= 0', value);
}

function oneOf(value: unknown, allowed: readonly string[], path: Path): void {
  if (typeof value !== 'string' || !allowed.includes(value)) fail(path, `one of ${allowed.join(', ')}`, value);
}

function nullable(check: (value: unknown, path: Path) => void): (value: unknown, path: Path) => void {
  return (value, path) => {
    if (value !== null) check(value, path);
  };
}

const closeCode = (value: unknown, path: Path): void => integer(value, path, 0, 0xffff);

/** Check the keys of an object; a key listed as optional may be absent (unknown keys are ignored). */
function fields(
  obj: Record<string, unknown>,
  path: Path,
  required: Readonly<Record<string, (value: unknown, path: Path) => void>>,
  optional: Readonly<Record<string, (value: unknown, path: Path) => void>> = {},
): void {
  for (const [key, check] of Object.entries(required)) {
    const value = field(obj, key);
    if (value === undefined) throw new ShapeError([...path, key], 'missing');
    check(value, [...path, key]);
  }
  for (const [key, check] of Object.entries(optional)) {
    const value = field(obj, key);
    if (value !== undefined) check(value, [...path, key]);
  }
}

/** Fixed-length array whose elements are checked one by one. */
function tuple(value: unknown, path: Path, checks: ReadonlyArray<(value: unknown, path: Path) => void>): void {
  const items = array(value, path);
  if (items.length !== checks.length) fail(path, `an array of ${checks.length}`, value);
  checks.forEach((check, i) => check(items[i], [...path, String(i)]));
}

function literal(expected: string): (value: unknown, path: Path) => void {
  return (value, path) => {
    if (value !== expected) fail(path, JSON.stringify(expected), value);
  };
}

// ---------------------------------------------------------------------------
// index.json

const CASE_ID = /^[0-9]+(?:\.[0-9]+)*$/;

function checkIndexEntry(value: unknown, path: Path, strict: boolean): void {
  if (!CASE_ID.test(path[path.length - 1]!)) {
    throw new ShapeError(path, 'expected a case id like 4.1.5');
  }
  const entry = record(value, path);
  const always = {
    behavior: (v: unknown, p: Path) => oneOf(v, BEHAVIORS, p),
    behaviorClose: (v: unknown, p: Path) => oneOf(v, BEHAVIOR_CLOSES, p),
  };
  if (strict) {
    fields(entry, path, {
      ...always,
      duration: (v, p) => integer(v, p),
      remoteCloseCode: nullable(closeCode),
      reportfile: string,
    });
  } else {
    fields(entry, path, always, {
      duration: nullable((v, p) => integer(v, p)),
      remoteCloseCode: nullable(closeCode),
      reportfile: string,
    });
  }
}

// ---------------------------------------------------------------------------
// per-case report

const EVENT_CHECKS: Readonly<Record<string, ReadonlyArray<(value: unknown, path: Path) => void>>> = {
  message: [literal('message'), string, boolean],
  pong: [literal('pong'), string],
  timeout: [literal('timeout'), string],
};

function checkEvent(value: unknown, path: Path): void {
  const items = array(value, path);
  const kind = items[0];
  if (typeof kind !== 'string' || !Object.hasOwn(EVENT_CHECKS, kind)) {
    fail([...path, '0'], `one of ${Object.keys(EVENT_CHECKS).join(', ')}`, kind);
  }
  tuple(items, path, EVENT_CHECKS[kind]!);
}

function checkEvents(value: unknown, path: Path): void {
  array(value, path).forEach((event, i) => checkEvent(event, [...path, String(i)]));
}

function checkExpected(value: unknown, path: Path): void {
  const expected = record(value, path);
  for (const key of Object.keys(expected)) {
    if (!(BEHAVIORS as readonly string[]).includes(key)) {
      throw new ShapeError([...path, key], `unexpected key: expected one of ${BEHAVIORS.join(', ')}`);
    }
    checkEvents(expected[key], [...path, key]);
  }
}

function checkExpectedClose(value: unknown, path: Path): void {
  fields(
    record(value, path),
    path,
    {
      closeCode: (v, p) => array(v, p).forEach((code, i) => closeCode(code, [...p, String(i)])),
      closedByMe: boolean,
      requireClean: boolean,
    },
    { closedByWrongEndpointIsFatal: boolean },
  );
}

const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;

function checkCountMap(value: unknown, path: Path): void {
  const counts = record(value, path);
  for (const key of Object.keys(counts)) {
    if (!INTEGER_KEY.test(key)) throw new ShapeError([...path, key], 'expected an integer key');
    integer(counts[key], [...path, key]);
  }
}

const count = (v: unknown, p: Path): void => integer(v, p);
const ratio = nullable((v: unknown, p: Path): void => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'a number or null', v);
});

function checkTrafficStats(value: unknown, path: Path): void {
  const stats = record(value, path);
  const checks: Record<string, (value: unknown, path: Path) => void> = {
    preopenIncomingOctetsWireLevel: count,
    preopenOutgoingOctetsWireLevel: count,
  };
  for (const direction of ['incoming', 'outgoing']) {
    for (const key of [
      'OctetsWireLevel',
      'OctetsWebSocketLevel',
      'OctetsAppLevel',
      'WebSocketFrames',
      'WebSocketMessages',
    ]) {
      checks[direction + key] = count;
    }
    checks[direction + 'CompressionRatio'] = ratio;
    checks[direction + 'WebSocketOverhead'] = ratio;
  }
  fields(stats, path, checks);
}

const payloadSummary = (v: unknown, p: Path): void => tuple(v, p, [count, string]);
const maskHex = nullable(string);
const opcode = (v: unknown, p: Path): void => integer(v, p, 0, 0xff);
const rsv = (v: unknown, p: Path): void => integer(v, p, 0, 7);
const optionalCount = nullable(count);
const continuationTag = nullable(string);

const WIRELOG_CHECKS: Readonly<Record<string, ReadonlyArray<(value: unknown, path: Path) => void>>> = {
  RO: [payloadSummary],
  TO: [payloadSummary, boolean],
  RF: [payloadSummary, opcode, boolean, rsv, boolean, maskHex],
  TF: [payloadSummary, opcode, boolean, rsv, maskHex, optionalCount, optionalCount, boolean],
  CT: [seconds, continuationTag],
  CTE: [continuationTag],
  KL: [seconds],
  KLE: [],
  TI: [seconds],
  TIE: [],
  WLM: [boolean],
};

function checkWirelogEntry(value: unknown, path: Path): void {
  const items = array(value, path);
  const tag = items[0];
  if (typeof tag !== 'string' || !Object.hasOwn(WIRELOG_CHECKS, tag)) {
    fail([...path, '0'], `one of ${Object.keys(WIRELOG_CHECKS).join(', ')}`, tag);
  }
  tuple(items, path, [literal(tag), ...WIRELOG_CHECKS[tag]!]);
}

function checkCaseReport(root: unknown): void {
  const report = record(root, []);
  const text = string;
  const optionalText = nullable(string);
  fields(report, [], {
    agent: text,
    behavior: (v, p) => oneOf(v, BEHAVIORS, p),
    behaviorClose: (v, p) => oneOf(v, BEHAVIOR_CLOSES, p),
    case: (v, p) => integer(v, p, 1),
    closedByMe: boolean,
    createStats: boolean,
    createWirelog: boolean,
    description: text,
    droppedByMe: boolean,
    duration: count,
    expectation: text,
    expected: checkExpected,
    expectedClose: checkExpectedClose,
    failedByMe: boolean,
    httpRequest: text,
    httpResponse: text,
    id: (v, p) => {
      if (typeof v !== 'string' || !CASE_ID.test(v)) fail(p, 'a case id like "4.1.5"', v);
    },
    isServer: boolean,
    localCloseCode: nullable(closeCode),
    localCloseReason: optionalText,
    received: checkEvents,
    remoteCloseCode: nullable(closeCode),
    remoteCloseReason: optionalText,
    reportCompressionRatio: boolean,
    reportTime: boolean,
    result: text,
    resultClose: text,
    rxFrameStats: checkCountMap,
    rxOctetStats: checkCountMap,
    started: text,
    trafficStats: nullable(checkTrafficStats),
    txFrameStats: checkCountMap,
    txOctetStats: checkCountMap,
    wasClean: boolean,
    wasCloseHandshakeTimeout: boolean,
    wasNotCleanReason: optionalText,
    wasOpenHandshakeTimeout: boolean,
    wasServerConnectionDropTimeout: boolean,
    wirelog: (v, p) => array(v, p).forEach((entry, i) => checkWirelogEntry(entry, [...p, String(i)])),
  });
}
