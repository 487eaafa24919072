/**
 * wscheck's additions to a case report (the `wscheck` object), read
 * defensively: a report folder may hold Autobahn's own files (no such
 * object) or files edited by hand, so each field is taken only when it has
 * the expected shape.
 */
import type { AutobahnCaseReport } from '../autobahn-types.js';

/** What the case page shows of wscheck's findings; empty or null when absent. */
export interface WscheckFindings {
  readonly version: string | null;
  readonly firstDivergence: string | null;
  readonly policyMatched: string | null;
  readonly lints: readonly { readonly id: string; readonly message: string; readonly rule: string }[];
  readonly replay: string | null;
  readonly notes: readonly string[];
  readonly observations: readonly string[];
  /** Milliseconds since the connection opened, one per wire log entry; null unless there is one per entry. */
  readonly wirelogTimes: readonly number[] | null;
  readonly acceptableTraces: { readonly strict: number; readonly nonStrict: number } | null;
  /** The liveness probe after an abusive case, or null when the case did not probe. */
  readonly liveness: { readonly ok: boolean; readonly detail: string } | null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** wscheck's findings in a case report, or null for a report without them (Autobahn's). */
export function wscheckFindings(report: AutobahnCaseReport): WscheckFindings | null {
  const w: unknown = (report as unknown as Readonly<Record<string, unknown>>)['wscheck'];
  if (!isObject(w)) return null;
  const lints = Array.isArray(w['lints'])
    ? w['lints'].filter(isObject).map((l) => ({ id: String(l['id'] ?? ''), message: String(l['message'] ?? ''), rule: String(l['rule'] ?? '') }))
    : [];
  const times = w['wirelogTimes'];
  const wirelogTimes =
    Array.isArray(times) && times.length === report.wirelog.length && times.every((t) => typeof t === 'number' && Number.isFinite(t))
      ? (times as number[])
      : null;
  const traces = w['acceptableTraces'];
  const strict = isObject(traces) ? count(traces['strict']) : null;
  const nonStrict = isObject(traces) ? count(traces['nonStrict']) : null;
  const probe = w['liveness'];
  const liveness = isObject(probe) && typeof probe['ok'] === 'boolean' ? { ok: probe['ok'], detail: text(probe['detail']) ?? '' } : null;
  return {
    liveness,
    version: text(w['version']),
    firstDivergence: text(w['firstDivergence']),
    policyMatched: text(w['policyMatched']),
    lints,
    replay: text(w['replay']),
    notes: texts(w['notes']),
    observations: texts(w['observations']),
    wirelogTimes,
    acceptableTraces: strict === null || nonStrict === null ? null : { strict, nonStrict },
  };
}
