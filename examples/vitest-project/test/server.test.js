import { test } from 'vitest';
import { conformance, exploration } from 'wscheck/vitest';
import { startServer } from '../server.js';

// EXAMPLE_BUG=1 runs the same tests against the buggy variant, to see what a failure looks like.
const server = () => startServer({ messagesAsBinary: process.env.EXAMPLE_BUG === '1' });

test('passes the conformance catalogue (framing, pings, opcodes, fragmentation)', () => conformance({ server, cases: ['1.*', '2.*', '4.*', '5.*'] }), 60_000);

test('survives property-based exploration', () => exploration({ server, runs: 200, seed: 42, out: 'counterexamples' }), 60_000);
