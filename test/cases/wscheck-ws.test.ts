/**
 * wscheck's categories 14-17 against ws in both roles, through the CLI as a
 * user runs them (ws in a worker thread, a message limit declared so that
 * category 15 runs): every verdict is the one argued in docs/findings.md,
 * section "Categories 14-17 against ws". A case not in the table must be OK;
 * each entry names the heading of findings.md that argues it.
 */
import { describe, it } from 'vitest';
import { selectCases } from '../../src/cases/catalogue.js';
import { type Verdicts, cliVerdicts, expectVerdicts } from '../support/verdicts.js';


/** 64 KiB: category 15's cases send a few times the limit, so a small one keeps them quick. */
const MAX_MESSAGE = 65536;

const server: Verdicts = {
  // "14.1.7: version 8 is upgraded"
  '14.1.7': 'INFORMATIONAL/INFORMATIONAL',
  // "14.1.13: an HTTP/1.0 request is upgraded"
  '14.1.13': 'FAILED/FAILED',
  // "14.1.14: a draft-76 request is refused"
  '14.1.14': 'INFORMATIONAL/INFORMATIONAL',
  // "14.2.4: Upgrade: websocket, foo/1 is refused"
  '14.2.4': 'NON-STRICT/OK',
  // "14.3.5: a deflate offer with unknown parameters refuses the handshake"
  '14.3.5': 'NON-STRICT/OK',
  // "15.1.6: no frame limit apart from the message limit"
  '15.1.6': 'UNIMPLEMENTED/OK',
  // "16.3.4: a Ping with a 16-bit length form fails the connection"
  '16.3.4': 'NON-STRICT/OK',
};

const client: Verdicts = {
  // "15.1.6: no frame limit apart from the message limit"
  '15.1.6': 'UNIMPLEMENTED/OK',
  // "16.3.4: a Ping with a 16-bit length form fails the connection"
  '16.3.4': 'NON-STRICT/OK',
};

describe('categories 14-17 against ws: the verdicts argued in docs/findings.md', () => {
  for (const [role, table] of [['server', server], ['client', client]] as const) {
    it(`ws as a ${role}`, async () => {
      const categories = ['14.*', '15.*', '16.*', '17.*'];
      const seen = await cliVerdicts(role, 'builtin:ws', categories, MAX_MESSAGE);
      expectVerdicts(seen, selectCases(categories, [], 'all', role).map((c) => c.id), table);
    }, 120_000);
  }
});
