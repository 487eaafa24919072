/**
 * Minimal reproducers of what the differential fuzzing of websocket-driver
 * found (docs/fuzzing.md, "Findings"): each stream goes through
 * websocket-driver's public API and through wscheck's reference decoder,
 * and both outcomes are printed.
 *
 *   npx tsx fuzz/reproducers/websocket-driver.ts
 *
 * Exit status 1 while any of them still reproduces with the installed
 * websocket-driver, 0 when none does.
 */
import { encodeFrame } from '../../src/codec/encode.js';
import type { DecoderOptions } from '../../src/codec/decoder.js';
import { type PeerRun, referenceRun } from '../support/differential.js';
import { driverPeer } from '../support/peers/driver.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

function show(run: PeerRun): string {
  const o = run.outcome;
  const end = o.kind === 'failed' ? `fails with ${o.code}` : o.kind === 'closed' ? `takes a Close with code ${o.code ?? '(none)'}` : 'stays open';
  const delivered = run.observations.map((x) => (x.kind === 'message' ? `${x.binary ? 'binary' : 'text'} message (${x.payload.length} octets)` : x.kind)).join(', ');
  return `${delivered === '' ? 'delivers nothing' : `delivers ${delivered}`}, ${end}`;
}

interface Case {
  readonly title: string;
  readonly rfc: string;
  readonly role: 'server' | 'client';
  readonly limit: number;
  readonly stream: Uint8Array;
  /** Does the driver's run show the bug? */
  readonly buggy: (driver: PeerRun) => boolean;
}

const NO_LIMIT = 0x3ffffff;

function largeInvalidText(): Uint8Array {
  // 16 MiB of text, the last octet 0xFF (never valid UTF-8), unmasked from a server.
  const n = 16 * 1024 * 1024;
  const payload = new Uint8Array(n).fill(0x61);
  payload[n - 1] = 0xff;
  return encodeFrame({ opcode: 1, payload });
}

const CASES: Case[] = [
  {
    title: 'a client accepts a masked frame from the server',
    rfc: 'RFC 6455 §5.1: "A client MUST close a connection if it detects a masked frame."',
    role: 'client',
    limit: NO_LIMIT,
    stream: hex('82 81 01020304 40'),
    buggy: (d) => d.outcome.kind !== 'failed',
  },
  {
    title: 'a Ping inside a fragmented message counts toward the message size limit (maxLength 1)',
    rfc: 'RFC 6455 §5.4, §5.5: control frames may be injected in the middle of a fragmented message; they are not part of it.',
    role: 'client',
    limit: 1,
    stream: hex('01 01 61  89 01 70  80 00'),
    buggy: (d) => d.outcome.kind === 'failed' && d.outcome.code === 1009,
  },
  {
    title: 'a 16 MiB text message that is not UTF-8 is delivered (its check is a regular expression that overflows the stack)',
    rfc: 'RFC 6455 §8.1: "MUST _Fail the WebSocket Connection_" (1007) on text that is not UTF-8.',
    role: 'client',
    limit: NO_LIMIT,
    stream: largeInvalidText(),
    buggy: (d) => d.observations.length > 0,
  },
  {
    title: 'a Close reason that is not UTF-8 is answered with 1002',
    rfc: 'RFC 6455 §7.4.1: 1007 is the code for data "not consistent with the type of the message".',
    role: 'client',
    limit: NO_LIMIT,
    stream: hex('88 03 03e8 ff'),
    buggy: (d) => d.outcome.kind !== 'open' && d.outcome.code === 1002,
  },
  {
    title: 'a Close frame without status code is reported as 1000',
    rfc: 'RFC 6455 §7.1.5: with no status code, the close code is considered to be 1005.',
    role: 'client',
    limit: NO_LIMIT,
    stream: hex('88 00'),
    buggy: (d) => d.outcome.kind === 'closed' && d.outcome.code === 1000,
  },
  {
    title: 'an unmasked frame from a client is failed with 1003',
    rfc: 'RFC 6455 §5.1 requires closing; §7.4.1 has 1002 for protocol errors, 1003 for data of a type the endpoint cannot accept.',
    role: 'server',
    limit: NO_LIMIT,
    stream: hex('82 01 41'),
    buggy: (d) => d.outcome.kind === 'failed' && d.outcome.code === 1003,
  },
];

function options(c: Case): DecoderOptions {
  return { role: c.role, maxFramePayload: c.limit, maxMessagePayload: c.limit, utf8: 'message-end', closeCodes: 'rfc6455' };
}

let reproduced = 0;
for (const c of CASES) {
  const driver = driverPeer(c.role, c.limit).run([c.stream]);
  const ours = referenceRun([c.stream], options(c));
  const bug = c.buggy(driver);
  if (bug) reproduced++;
  const octets = c.stream.length > 64 ? `${c.stream.length} octets` : Array.from(c.stream, (b) => b.toString(16).padStart(2, '0')).join(' ');
  process.stdout.write(`${bug ? 'REPRODUCES' : 'fixed     '}  ${c.title}\n  ${c.rfc}\n  received by a ${c.role}: ${octets}\n  websocket-driver ${show(driver)}\n  wscheck          ${show(ours)}\n\n`);
}
process.exitCode = reproduced > 0 ? 1 : 0;
