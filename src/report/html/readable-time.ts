/** Times as the report pages show them. */

/** `2026-11-26T00:17:44.367Z` → `2026-11-26 00:17:44 UTC`; any other text is returned unchanged. */
export function readableTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m === null ? iso : `${m[1]} ${m[2]} UTC`;
}
