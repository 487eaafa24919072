/**
 * File names of Autobahn-compatible reports (../shared/autobahn/formats.md §1, §1.1).
 */

/**
 * The file-name stem Autobahn derives from an agent name: lower-case it, turn
 * every character that is not `a`–`z` or `0`–`9` into a space, strip the
 * spaces at both ends, then replace each remaining space by `_` (runs are not
 * collapsed). `ws@8.18.3` → `ws_8_18_3`,
 * `WebSocket-EventMachine-Server<br>(1.0.1)` → `websocket_eventmachine_server_br__1_0_1`.
 *
 * Characters are Unicode code points (one `_` for `é`), lower-cased without
 * locale, as Python's `str.lower()` does.
 */
export function agentFileStem(agent: string): string {
  let spaced = '';
  for (const ch of agent.toLowerCase()) {
    spaced += (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : ' ';
  }
  return spaced.replace(/^ +| +$/g, '').replace(/ /g, '_');
}

/**
 * The per-case report file name, `<stem>_case_<id with . → _>.json`:
 * `caseReportFileName('ws@8.18.3', '4.1.5') === 'ws_8_18_3_case_4_1_5.json'`.
 * (The HTML page has the same name with `.html`.)
 */
export function caseReportFileName(agent: string, caseId: string): string {
  return `${agentFileStem(agent)}_case_${caseId.replace(/\./g, '_')}.json`;
}
