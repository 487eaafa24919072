/**
 * The two octet loops that dominate the oracle on long payloads, with the
 * host's native routines and without: UTF-8 validation (the automaton of
 * src/codec/utf8.ts fed in pieces too short for the native path, then in one
 * piece, which takes it; WHATWG's fatal TextDecoder for comparison) and
 * payload comparison (a plain loop against `bytesEqual`).
 *
 *   npx tsx bench/bytes.ts
 */
import { bytesEqual } from '../src/codec/bytes.js';
import { UTF8_ACCEPT, utf8Advance } from '../src/codec/utf8.js';

const LENGTH = 64 * 1024;
const text = new TextEncoder().encode('é'.repeat(LENGTH / 2));
const same = text.slice();

/** Microseconds per call of `f`, after a warm-up. */
function time(f: () => unknown, calls = 2000): number {
  for (let k = 0; k < 200; k++) f();
  const t = performance.now();
  for (let k = 0; k < calls; k++) f();
  return ((performance.now() - t) / calls) * 1000;
}

const PIECE = 48;
const automaton = (): number => {
  let s = UTF8_ACCEPT;
  for (let at = 0; at < text.length; at += PIECE) s = utf8Advance(s, text.subarray(at, at + PIECE));
  return s;
};
const strict = new TextDecoder('utf-8', { fatal: true });
const loop = (a: Uint8Array, b: Uint8Array): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
if (automaton() !== UTF8_ACCEPT || utf8Advance(UTF8_ACCEPT, text) !== UTF8_ACCEPT || !bytesEqual(text, same) || !loop(text, same)) {
  throw new Error('the routines disagree: the figures would compare different work');
}

const fmt = (us: number): string => `${us.toFixed(1)} µs`;
console.log(`64 KiB of two-octet characters (${text.length} octets), per call:\n`);
console.log('| work | plain | wscheck (native when the host has it) | TextDecoder (fatal) |\n|---|---|---|---|');
console.log(`| UTF-8 validation | ${fmt(time(automaton))} | ${fmt(time(() => utf8Advance(UTF8_ACCEPT, text)))} | ${fmt(time(() => strict.decode(text)))} |`);
console.log(`| comparison of two equal payloads | ${fmt(time(() => loop(text, same)))} | ${fmt(time(() => bytesEqual(text, same)))} | – |`);
