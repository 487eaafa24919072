/**
 * Category 6, UTF-8 Handling (RFC 6455 §5.6, §8.1): the payload of a text
 * message must be UTF-8 (RFC 3629); a receiver that finds otherwise "MUST
 * _Fail the WebSocket Connection_" (with 1007). Which vectors are invalid is
 * not written down here: the model's UTF-8 automaton decides, and the oracle
 * turns that into the expectation.
 */
import { Opcode } from '../../codec/opcode.js';
import type { Step } from '../../model/scenario.js';
import { EMPTY, hex, utf8 } from '../payload.js';
import { closeAfter, continueLater, frame, killAfter, message } from '../steps.js';
import type { CaseDefinition } from '../types.js';

function utf8Case(sub: string, title: string, n: number, description: string, expectation: string, steps: () => Step[]): CaseDefinition {
  return {
    id: `${sub}.${n}`,
    category: '6',
    categoryTitle: 'UTF-8 Handling',
    subcategory: sub,
    subcategoryTitle: title,
    description,
    expectation,
    scenario: () => ({ steps: steps(), rules: { closedByWrongEndpointIsFatal: 'when-peer-must-fail' } }),
  };
}

const VALID = 'The peer echoes the message.';
const INVALID = 'The peer fails the connection with 1007 (invalid payload data).';
const GREEK = 'cebae1bdb9cf83cebcceb5'; // "κόσμε", a 3-octet character among 2-octet ones
const LATIN = '48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121'; // "Hello-µ@ßöäüàá-UTF-8!!"

const ZERO = '6.1';
const ZERO_TITLE = 'Valid UTF-8 with zero payload fragments';
const zero: CaseDefinition[] = [
  utf8Case(ZERO, ZERO_TITLE, 1, 'Send an empty text message.', VALID, () => [frame(Opcode.Text, EMPTY), closeAfter(1)]),
  utf8Case(ZERO, ZERO_TITLE, 2, 'Send an empty text message as three empty fragments.', VALID, () => [
    frame(Opcode.Text, EMPTY, { fin: false }),
    frame(Opcode.Continuation, EMPTY, { fin: false }),
    frame(Opcode.Continuation, EMPTY),
    closeAfter(1),
  ]),
  utf8Case(ZERO, ZERO_TITLE, 3, 'Send a text message whose first and last fragments are empty.', VALID, () => [
    frame(Opcode.Text, EMPTY, { fin: false }),
    frame(Opcode.Continuation, utf8('middle frame payload'), { fin: false }),
    frame(Opcode.Continuation, EMPTY),
    closeAfter(1),
  ]),
];

const SPLIT = '6.2';
const SPLIT_TITLE = 'Valid UTF-8 unfragmented, fragmented on code-points and within code-points';
const split: CaseDefinition[] = [
  utf8Case(SPLIT, SPLIT_TITLE, 1, 'Send a text message with 2-octet characters in one frame.', VALID, () => [message(false, hex(LATIN)), closeAfter(1)]),
  utf8Case(SPLIT, SPLIT_TITLE, 2, 'Send the same text message in two fragments split between characters.', VALID, () => [
    frame(Opcode.Text, hex(LATIN.slice(0, 30)), { fin: false }),
    frame(Opcode.Continuation, hex(LATIN.slice(30))),
    closeAfter(1),
  ]),
  utf8Case(SPLIT, SPLIT_TITLE, 3, 'Send the same text message one octet per frame, so every multi-octet character is split.', VALID, () => [
    message(false, hex(LATIN), { fragmentSize: 1 }),
    closeAfter(1),
  ]),
  utf8Case(SPLIT, SPLIT_TITLE, 4, 'Send a Greek text with a 3-octet character, one octet per frame.', VALID, () => [
    message(false, hex(GREEK), { fragmentSize: 1 }),
    closeAfter(1),
  ]),
];

// "κόσμε" followed by an encoded surrogate (ED A0 80) and "edited".
const BROKEN = `${GREEK}eda080656469746564`;
const INVALID_TITLE = 'Invalid UTF-8 differently fragmented';
const invalidFragmented: CaseDefinition[] = [
  utf8Case('6.3', INVALID_TITLE, 1, 'Send a text message containing an encoded UTF-16 surrogate, in one frame.', INVALID, () => [
    message(false, hex(BROKEN)),
    killAfter(1),
  ]),
  utf8Case('6.3', INVALID_TITLE, 2, 'Send the same invalid text message one octet per frame.', INVALID, () => [
    message(false, hex(BROKEN), { fragmentSize: 1 }),
    killAfter(1),
  ]),
];

const FAST = '6.4';
const FAST_TITLE = 'Fail-fast on invalid UTF-8';
const FAST_EXPECTATION =
  'The peer fails the connection with 1007 as soon as the second part arrives, within a second. A peer that only notices at the end of the message is conforming too (NON-STRICT).';
/** Three parts a second apart; the tester notes each wait that ends with the connection still open. */
function threeParts(parts: [Step[], Step[], Step[]]): Step[] {
  return [
    ...parts[0],
    continueLater(1, 'A', [...parts[1], continueLater(1, 'B', [...parts[2], killAfter(1)], { requireOpen: true, recordTimeout: true })], {
      requireOpen: true,
      recordTimeout: true,
    }),
  ];
}
const failFast: CaseDefinition[] = [
  utf8Case(FAST, FAST_TITLE, 1, 'Send a text message in three fragments a second apart; the second one makes it invalid (a code point above U+10FFFF).', FAST_EXPECTATION, () =>
    threeParts([
      [frame(Opcode.Text, hex(GREEK), { fin: false })],
      [frame(Opcode.Continuation, hex('f4908080'), { fin: false })],
      [frame(Opcode.Continuation, utf8('edited'))],
    ]),
  ),
  utf8Case(FAST, FAST_TITLE, 2, 'As 6.4.1, but the invalid sequence is split between the first and the second fragment.', FAST_EXPECTATION, () =>
    threeParts([
      [frame(Opcode.Text, hex(`${GREEK}f4`), { fin: false })],
      [frame(Opcode.Continuation, hex('90'), { fin: false })],
      [frame(Opcode.Continuation, hex('8080656469746564'))],
    ]),
  ),
  utf8Case(FAST, FAST_TITLE, 3, 'As 6.4.1, but all three parts belong to one 21-octet frame whose payload arrives over two seconds.', FAST_EXPECTATION, () =>
    threeParts([
      [{ kind: 'begin-frame', opcode: Opcode.Text, fin: false, length: 21 }, { kind: 'frame-data', payload: hex(GREEK) }],
      [{ kind: 'frame-data', payload: hex('f4908080') }],
      [{ kind: 'frame-data', payload: utf8('edited') }, frame(Opcode.Continuation, EMPTY)],
    ]),
  ),
  utf8Case(FAST, FAST_TITLE, 4, 'As 6.4.3, with the invalid sequence split between the first and the second part.', FAST_EXPECTATION, () =>
    threeParts([
      [{ kind: 'begin-frame', opcode: Opcode.Text, fin: false, length: 21 }, { kind: 'frame-data', payload: hex(`${GREEK}f4`) }],
      [{ kind: 'frame-data', payload: hex('90') }],
      [{ kind: 'frame-data', payload: hex('8080656469746564') }, frame(Opcode.Continuation, EMPTY)],
    ]),
  ),
];

/** Each vector goes out as one text message; the peer has half a second. */
function vectors(sub: string, title: string, what: string, list: readonly string[]): CaseDefinition[] {
  return list.map((h, k) =>
    utf8Case(
      sub,
      title,
      k + 1,
      `Send a text message whose payload is ${what}: ${h.length > 40 ? `${h.slice(0, 40)}… (${h.length / 2} octets)` : h}.`,
      'If the payload is valid UTF-8, the peer echoes it; otherwise it fails the connection with 1007.',
      () => [message(false, hex(h)), killAfter(0.5)],
    ),
  );
}

const prefixes = Array.from({ length: GREEK.length / 2 }, (_, k) => GREEK.slice(0, 2 * (k + 1)));
const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => (from + k).toString(16).padStart(2, '0')).join('');
const lonely = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => `${(from + k).toString(16)}20`).join('');
/** U+xFFFE and U+xFFFF of planes 1 to 16, as 4-octet sequences. */
const planeNonCharacters = Array.from({ length: 16 }, (_, p) => p + 1).flatMap((plane) => {
  const b0 = 0xf0 | (plane >> 2);
  const b1 = 0x80 | ((plane & 3) << 4) | 0x0f;
  const head = `${b0.toString(16)}${b1.toString(16)}bf`;
  return [`${head}be`, `${head}bf`];
});
const surrogatePairs = ['eda080', 'edadbf', 'edae80', 'edafbf'].flatMap((hi) => [`${hi}edb080`, `${hi}edbfbf`]);

const vectorCases: CaseDefinition[] = [
  ...vectors('6.5', 'Some valid UTF-8 sequences', 'text with characters of each length', [
    '68656c6c6f24776f726c64',
    '68656c6c6fc2a2776f726c64',
    '68656c6c6fe282ac776f726c64',
    '68656c6c6ff0a4ada2776f726c64',
    GREEK,
  ]),
  ...vectors('6.6', 'All prefixes of a valid UTF-8 string that contains multi-byte code points', 'a prefix of "κόσμε"', prefixes),
  ...vectors('6.7', 'First possible sequence of a certain length', 'the first code point of each sequence length', ['00', 'c280', 'e0a080', 'f0908080']),
  ...vectors('6.8', 'First possible sequence length 5/6 (invalid codepoints)', 'the first 5- or 6-octet form', ['f888808080', 'fc8480808080']),
  ...vectors('6.9', 'Last possible sequence of a certain length', 'the last code point of each sequence length', ['7f', 'dfbf', 'efbfbf', 'f48fbfbf']),
  ...vectors('6.10', 'Last possible sequence length 4/5/6 (invalid codepoints)', 'the last 4-, 5- or 6-octet form', ['f7bfbfbf', 'fbbfbfbfbf', 'fdbfbfbfbfbf']),
  ...vectors('6.11', 'Other boundary conditions', 'a code point at a boundary (before the surrogates, after them, U+FFFD, U+10FFFF, above)', [
    'ed9fbf',
    'ee8080',
    'efbfbd',
    'f48fbfbf',
    'f4908080',
  ]),
  ...vectors('6.12', 'Unexpected continuation bytes', 'continuation octets with no start octet', [
    '80',
    'bf',
    '80bf',
    '80bf80',
    '80bf80bf',
    '80bf80bf80',
    '80bf80bf80bf',
    run(0x80, 0xbe),
  ]),
  ...vectors('6.13', 'Lonely start characters', 'start octets each followed by a space', [lonely(0xc0, 0xde), lonely(0xe0, 0xee), lonely(0xf0, 0xf6), lonely(0xf8, 0xfa), 'fc20']),
  ...vectors('6.14', 'Sequences with last continuation byte missing', 'a sequence missing its last octet', [
    'c0',
    'e080',
    'f08080',
    'f8808080',
    'fc80808080',
    'df',
    'efbf',
    'f7bfbf',
    'fbbfbfbf',
    'fdbfbfbfbf',
  ]),
  ...vectors('6.15', 'Concatenation of incomplete sequences', 'all the incomplete sequences of 6.14 in a row', [
    'c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf',
  ]),
  ...vectors('6.16', 'Impossible bytes', 'octets that never occur in UTF-8', ['fe', 'ff', 'fefeffff']),
  ...vectors('6.17', 'Examples of an overlong ASCII character', "'/' in an overlong form", ['c0af', 'e080af', 'f08080af', 'f8808080af', 'fc80808080af']),
  ...vectors('6.18', 'Maximum overlong sequences', 'the largest overlong form of each length', ['c1bf', 'e09fbf', 'f08fbfbf', 'f887bfbfbf', 'fc83bfbfbfbf']),
  ...vectors('6.19', 'Overlong representation of the NUL character', 'NUL in an overlong form', ['c080', 'e08080', 'f0808080', 'f880808080', 'fc8080808080']),
  ...vectors('6.20', 'Single UTF-16 surrogates', 'an encoded UTF-16 surrogate', ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf']),
  ...vectors('6.21', 'Paired UTF-16 surrogates', 'an encoded UTF-16 surrogate pair', surrogatePairs),
  ...vectors('6.22', 'Non-character code points (valid UTF-8)', 'a non-character code point', ['efbfbe', 'efbfbf', ...planeNonCharacters]),
  ...vectors('6.23', 'Unicode specials (i.e. replacement char)', 'a code point of the Specials block', ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf']),
];

export const utf8Handling: readonly CaseDefinition[] = [...zero, ...split, ...invalidFragmented, ...failFast, ...vectorCases];
