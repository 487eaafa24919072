/**
 * wscheck's category 18 (permessage-deflate negotiation and abuse) against
 * ws in both roles, through the CLI as a user runs it (ws in a worker
 * thread, with permessage-deflate on and a message limit declared so that
 * the bombs of 18.5 run): every verdict is the one argued in
 * docs/findings.md, section "Category 18: permessage-deflate negotiation".
 * A case not in the table must be OK; each entry names the finding that
 * argues it.
 */
import { describe, expect, it } from 'vitest';
import { selectCases } from '../../src/cases/catalogue.js';
import { type Verdicts, cliVerdicts, expectVerdicts } from '../support/verdicts.js';

/** 1 MiB, ws's limit as the builtin target is given it; the bombs stay small on the wire (about 1/160). */
const MAX_MESSAGE = 1048576;

const DECLINED_BY_REFUSAL = 'NON-STRICT/OK';

const server: Verdicts = {
  // "18.1.x: offers with bad parameters are refused with 400, not declined"
  '18.1.1': DECLINED_BY_REFUSAL,
  '18.1.2': DECLINED_BY_REFUSAL,
  '18.1.4': DECLINED_BY_REFUSAL,
  '18.1.5': DECLINED_BY_REFUSAL,
  '18.1.6': DECLINED_BY_REFUSAL,
  '18.1.7': DECLINED_BY_REFUSAL,
  '18.1.8': DECLINED_BY_REFUSAL,
  '18.1.9': DECLINED_BY_REFUSAL,
  // "18.1.3, 18.2.4: window bits with a leading zero are accepted"
  '18.1.3': 'FAILED/FAILED',
};

const client: Verdicts = {
  // "18.1.3, 18.2.4: window bits with a leading zero are accepted"
  '18.2.4': 'FAILED/FAILED',
  // "18.2.10: permessage-deflate accepted twice"
  '18.2.10': 'FAILED/FAILED',
};

describe('category 18 against ws: the verdicts argued in docs/findings.md', () => {
  for (const [role, table] of [['server', server], ['client', client]] as const) {
    it(`ws as a ${role}`, async () => {
      const seen = await cliVerdicts(role, 'builtin:ws', ['18.*'], MAX_MESSAGE);
      const ids = selectCases(['18.*'], [], 'all', role).map((c) => c.id);
      expect(ids.length).toBeGreaterThan(20);
      expectVerdicts(seen, ids, table);
    }, 120_000);
  }
});
