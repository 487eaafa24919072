/**
 * Seeds of the `deflate` target (corpus/deflate/, written by
 * `npx tsx fuzz seeds`): the examples of RFC 7692 §7.2.3, empty messages
 * and empty fragments, stored blocks, blocks with BFINAL set, compression
 * bombs (alone, split over frames and messages, with a corrupt tail), blocks
 * left open across a message end, back-references at the window's edges,
 * corrupt data, and plaintext conversations under the agreements Autobahn's
 * 12.x/13.x cases use — each for both roles. Every seed fits libFuzzer's
 * -max_len (4096 octets).
 *
 * Compressed octets come from node:zlib (as a peer would send them) or are
 * written bit by bit here (fixed-Huffman blocks, RFC 1951 §3.2.6), so a
 * back-reference lands exactly where a seed wants it.
 */
import zlib from 'node:zlib';
import type { DeflateParameters } from '../../src/codec/deflate/index.js';
import { BitWriter, fixedMatch, fixedSymbol } from '../../src/codec/deflate/writer.js';
import { DEFLATE_LIMITS, type DeflateSetupSpec, encodeDeflateSetup } from '../support/deflate-setup.js';

type Role = 'server' | 'client';
type Message = NonNullable<DeflateSetupSpec['messages']>[number];

const MAX_SEED = 4096;
const { Z_SYNC_FLUSH } = zlib.constants;

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function limit(octets: (typeof DEFLATE_LIMITS)[number]): number {
  return DEFLATE_LIMITS.indexOf(octets);
}

/** The cut octet that splits an `n`-octet payload at `offset` (see `cutOffsets`). */
function cutAt(offset: number, n: number): number {
  return Math.ceil((offset * 256) / (n + 1));
}

/** What a peer sends for `data` after a sync flush, the 00 00 ff ff removed (§7.2.1). */
function compressed(data: Uint8Array, options: zlib.ZlibOptions = {}): Uint8Array {
  return zlib.deflateRawSync(data, { finishFlush: Z_SYNC_FLUSH, ...options }).subarray(0, -4);
}

/** JSON-like text, `n` octets, the same for the same seed. */
function json(n: number, seed = 1): Uint8Array {
  const words = ['{"id":', '17', ',"name":"', 'alpha', 'beta', '","tags":[', '"x"', ']}', '\n', 'true', 'null'];
  let x = seed;
  let s = '';
  while (s.length < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += words[(x >>> 16) % words.length];
  }
  return text(s.slice(0, n));
}

type Item = string | { readonly length: number; readonly distance: number };

/**
 * One fixed-Huffman block of literals and matches, then the empty stored
 * block of a sync flush without its LEN and NLEN — a message payload as
 * §7.2.1 has it. `final` sets BFINAL on the block (then no stored block follows).
 */
function fixedBlock(items: readonly Item[], final = false): Uint8Array {
  const w = new BitWriter().bits(final ? 1 : 0, 1).bits(1, 2);
  for (const item of items) {
    if (typeof item === 'string') {
      for (const c of text(item)) fixedSymbol(w, c);
      continue;
    }
    fixedMatch(w, item.length, item.distance);
  }
  fixedSymbol(w, 256);
  if (!final) w.bits(0, 3);
  return w.bytes();
}

const AGREEMENTS: Record<string, Partial<DeflateParameters>> = {
  default: {},
  'no-context': { serverNoContextTakeover: true, clientNoContextTakeover: true },
  'bits-9': { serverMaxWindowBits: 9, clientMaxWindowBits: 9 },
  'bits-8-no-context': { serverMaxWindowBits: 8, clientMaxWindowBits: 8, serverNoContextTakeover: true, clientNoContextTakeover: true },
};

/** Every seed, named `edge-<what>-<role>`. */
export function deflateSeeds(): { name: string; data: Uint8Array }[] {
  const seeds: { name: string; data: Uint8Array }[] = [];
  const add = (name: string, spec: Omit<DeflateSetupSpec, 'role'>, roles: readonly Role[] = ['server', 'client']) => {
    for (const role of roles) {
      const data = encodeDeflateSetup({ ...spec, role });
      if (data.length > MAX_SEED) throw new Error(`deflate seed ${name} is ${data.length} octets, above ${MAX_SEED}`);
      seeds.push({ name: `edge-${name}-${role}`, data });
    }
  };
  const raw = (payload: Uint8Array, more: Partial<Message> = {}): Message => ({ payload, ...more });

  // RFC 7692 §7.2.3.1-7.2.3.6.
  const hello = hex('f2 48 cd c9 c9 07 00');
  const helloAgain = hex('f2 00 11 00 00');
  add('rfc7692-hello', { messages: [raw(hello, { text: true })] });
  add('rfc7692-hello-fragmented', { messages: [raw(hello, { text: true, cuts: [cutAt(3, 7)] })] });
  for (const [name, params] of Object.entries(AGREEMENTS)) {
    add(`rfc7692-shared-window-${name}`, { params, messages: [raw(hello), raw(helloAgain)] });
  }
  add('rfc7692-shared-window-kept', { params: AGREEMENTS['no-context'], keepWindow: true, messages: [raw(hello), raw(helloAgain)] });
  add('rfc7692-stored', { messages: [raw(hex('00 05 00 fa ff 48 65 6c 6c 6f 00'), { text: true })] });
  add('rfc7692-bfinal', { messages: [raw(hex('f3 48 cd c9 c9 07 00 00')), raw(helloAgain)] });
  add('rfc7692-two-blocks', { messages: [raw(hex('f2 48 05 00 00 00 ff ff ca c9 c9 07 00'))] });
  add('rfc7692-empty-fragment', { messages: [raw(hex('00'), { cuts: [0, 255] }), raw(hello, { cuts: [cutAt(7, 7)] })] });

  // Empty messages: compressed (the one octet 00), uncompressed, and an empty payload with RSV1 — which lacks
  // the empty stored block's first octet, so the appended 00 00 ff ff opens a stored block the next message
  // goes on with.
  add('empty-messages', { messages: [raw(hex('00')), raw(new Uint8Array(0), { compressed: false }), raw(hello), raw(hex('00')), raw(new Uint8Array(0))] });
  add('empty-limit-0', { limit: limit(0), messages: [raw(new Uint8Array(0), { compressed: false, text: true }), raw(new Uint8Array(0))] });
  add('limit-5', { limit: limit(5), messages: [raw(hex('00')), raw(fixedBlock(['ab'])), raw(fixedBlock([{ length: 3, distance: 2 }])), raw(fixedBlock([{ length: 6, distance: 2 }]))] });
  add('empty-payload-then-stored', { messages: [raw(new Uint8Array(0)), raw(hex('00'))] });

  // Stored blocks: a peer at level 0, a block larger than the message, a block split over messages.
  add('stored-level-0', { messages: [raw(compressed(json(1000), { level: 0 }), { text: true }), raw(compressed(json(500, 2), { level: 0 }), { cuts: [1, 2, 128] })] });
  add('stored-swallows-trailer', { messages: [raw(hex('00 0a 00 f5 ff 30 31 32')), raw(hex('33 34 35 36 37 38 39 00'))] });
  add('stored-bad-nlen', { messages: [raw(hex('00 05 00 00 00 48 65 6c 6c 6f 00'))] });

  // BFINAL: zlib's finish (then the first octet of an empty stored block, as in §7.2.3.4), more messages after
  // it, more blocks after it in one message, a stream that ends exactly where the message does.
  const bfinal = Uint8Array.from([...zlib.deflateRawSync(json(300)), 0x00]);
  add('bfinal-then-more-messages', { messages: [raw(bfinal), raw(compressed(json(200, 3))), raw(helloAgain)] });
  add('bfinal-then-more-blocks', { messages: [raw(Uint8Array.from([...zlib.deflateRawSync(text('Hello')), 0x00])), raw(helloAgain)] });
  add('bfinal-ends-with-message', { messages: [raw(hex('01')), raw(hello), raw(hex('01')), raw(helloAgain)] });
  add('bfinal-empty-fixed', { messages: [raw(hex('03 00 00')), raw(hex('03 00 03 00 00'))] });
  add('bfinal-without-stored-block', { messages: [raw(hex('03 00')), raw(hello)] });

  // Bombs: 64 KiB of zeros in 83 octets, 1 MiB in about a kilobyte.
  const small = compressed(new Uint8Array(1 << 16), { level: 9 });
  for (const octets of [125, 1000, 4096, 65535, 65536] as const) add(`bomb-64k-limit-${octets}`, { limit: limit(octets), messages: [raw(small)] });
  const bomb = compressed(new Uint8Array(1 << 20), { level: 9 });
  for (const octets of [65536, 65537, 1 << 20] as const) add(`bomb-limit-${octets}`, { limit: limit(octets), messages: [raw(bomb)] });
  add('bomb-fragmented', { limit: limit(65535), messages: [raw(bomb, { cuts: [1, 64, 128, 200] })] });
  add('bomb-bfinal', { limit: limit(262144), messages: [raw(zlib.deflateRawSync(new Uint8Array(300000), { level: 9 }))] });
  add('bomb-corrupt-tail', { limit: limit(4096), messages: [raw(Uint8Array.from([...small.subarray(0, 40), 0xff, 0xff]))] });
  add('bomb-corrupt-tail-within-limit', { limit: limit(1 << 20), messages: [raw(Uint8Array.from([...small.subarray(0, 40), 0xff, 0xff]))] });
  add('bomb-text', { limit: limit(16384), messages: [raw(compressed(new Uint8Array(20000).fill(0x61), { level: 9 }), { text: true })] });
  const half = bomb.length >> 1;
  add('bomb-across-messages', { limit: limit(262144), messages: [raw(bomb.subarray(0, half)), raw(bomb.subarray(half))] });
  add('bomb-rle', { limit: limit(32768), messages: [raw(compressed(new Uint8Array(40000), { level: 1, strategy: zlib.constants.Z_RLE }))] });

  // Blocks left open at a message end (§7.2.2 appends 00 00 ff ff all the same).
  add('open-block', { messages: [raw(hex('f2 48')), raw(hex('cd c9 c9 07 00'))] });
  add('open-block-text', { messages: [raw(hex('f2 48 cd'), { text: true }), raw(hex('c9 c9 07 00'), { text: true })] });

  // Back-references: beyond an agreed small window but held by the receiver, to the start of the window,
  // before it, into the previous message.
  const filler = json(1500, 4);
  const farBack = fixedBlock([new TextDecoder().decode(filler.subarray(0, 300)), 'XYZ', ...Array.from({ length: 4 }, () => new TextDecoder().decode(filler.subarray(300, 600))), { length: 3, distance: 1503 }]);
  add('distance-beyond-agreed-window', { params: AGREEMENTS['bits-8-no-context'], messages: [raw(farBack)] });
  add('distance-to-window-start', { messages: [raw(fixedBlock(['abc', { length: 3, distance: 3 }])), raw(fixedBlock([{ length: 6, distance: 6 }]))] });
  add('distance-before-window', { messages: [raw(fixedBlock(['abc', { length: 3, distance: 4 }]))] });
  add('distance-into-previous', { params: AGREEMENTS['no-context'], messages: [raw(fixedBlock(['abcdef'])), raw(fixedBlock([{ length: 6, distance: 6 }]))] });
  add('distance-into-previous-kept', { params: AGREEMENTS['no-context'], keepWindow: true, messages: [raw(fixedBlock(['abcdef'])), raw(fixedBlock([{ length: 6, distance: 6 }]))] });
  add('distance-32768', { limit: limit(65536), messages: [raw(compressed(Uint8Array.from({ length: 32768 }, (_, i) => (i * 7) & 0xff), { level: 9 })), raw(fixedBlock([{ length: 258, distance: 32768 }]))] });
  add('distance-long-match-overlap', { messages: [raw(fixedBlock(['a', { length: 258, distance: 1 }, { length: 258, distance: 259 }]))] });

  // Corrupt data, and the close code the extension is told to use.
  for (let code = 0; code < 4; code++) add(`invalid-btype-code-${code}`, { invalidDataCode: code, messages: [raw(hello), raw(hex('06 00'))] });
  add('invalid-distance-code', { messages: [raw(hex('02 7e'))] });
  add('invalid-dynamic-header', { messages: [raw(hex('04 ff ff ff ff 00'))] });

  // Framing around the extension: RSV1 on a continuation, uncompressed messages between compressed ones,
  // a compressed payload larger than the limit, text that is not UTF-8 once decompressed.
  add('rsv1-on-continuation', { messages: [raw(hello, { cuts: [cutAt(3, 7)], rsvOnContinuation: true })] });
  add('uncompressed-between', { messages: [raw(hello), raw(text('plain'), { compressed: false, text: true }), raw(helloAgain)] });
  add('compressed-payload-over-limit', { limit: limit(5), messages: [raw(hex('00 05 00 fa ff 48 65 6c 6c 6f 00'))] });
  add('invalid-utf8-text', { messages: [raw(compressed(Uint8Array.of(0x61, 0xff, 0x62)), { text: true })] });

  // Plaintext conversations: the peer's compressor (wscheck's) under Autobahn's agreements and levels.
  const conversation = (n: number): Message[] => [
    { payload: json(n), text: true },
    { payload: json(n, 2), text: true, cuts: [cutAt(1, n), 128] },
    { payload: json(n, 3), text: false },
    { payload: new Uint8Array(0) },
    { payload: text('not compressed'), compressed: false, text: true },
    { payload: json(n), text: true },
  ];
  const plainAgreements: Record<string, Partial<DeflateParameters>> = {
    ...AGREEMENTS,
    'server-bits-9-client-bits-15': { serverMaxWindowBits: 9 },
    'client-no-context': { clientNoContextTakeover: true },
    'server-no-context': { serverNoContextTakeover: true },
  };
  for (const [name, params] of Object.entries(plainAgreements)) add(`plain-${name}`, { plain: true, level: 1, params, messages: conversation(300) });
  for (const level of [0, 6, 9]) add(`plain-level-${level}`, { plain: true, level, messages: conversation(500) });
  add('plain-limit-exact', { plain: true, level: 1, limit: limit(1000), messages: [{ payload: json(1000), text: true }, { payload: json(1001), text: true }] });
  return seeds;
}

export { BitWriter };
