/**
 * The deliberately broken implementations: each is the careful base of
 * connection.ts with one named variation, registered as
 * `builtin:broken/<name>` in its role. Every bug carries the RFC rule it
 * breaks and a demonstration: the smallest scenario that shows it, what
 * wscheck reports for it, and (in the tests) proof that the same scenario
 * passes against `ws`. Docs, the target tests and the exploration tests all
 * read this list.
 */
import { Opcode } from '../../../codec/opcode.js';
import { EMPTY, hex, repeat, utf8 } from '../../../cases/payload.js';
import { close, closeRaw, frame, killAfter } from '../../../cases/steps.js';
import type { Lint } from '../../../model/lints.js';
import type { FrameDescription, Scenario, Step } from '../../../model/scenario.js';
import type { Role, Variation } from './connection.js';

export type BugClass =
  | 'framing'
  | 'masking'
  | 'payload length'
  | 'TCP read boundaries'
  | 'fragmentation'
  | 'control frames'
  | 'UTF-8'
  | 'closing handshake'
  | 'opening handshake';

/** What running the demonstration against the broken target shows. */
export type Demonstration =
  /** The verdict fails (behavior FAILED or behaviorClose not OK); the first divergence contains `divergence`. */
  | { readonly kind: 'verdict'; readonly scenario: () => Scenario; readonly divergence: string }
  /**
   * The opening handshake fails, so the verdict fails; the run's notes contain
   * `note` (the first divergence does not name handshake failures yet).
   */
  | { readonly kind: 'handshake'; readonly scenario: () => Scenario; readonly note: string }
  /** RFC 6455 allows what the peer did, so the verdict passes, but wscheck reports the lint `lint`. */
  | { readonly kind: 'lint'; readonly scenario: () => Scenario; readonly lint: Lint['id'] }
  /** wscheck cannot produce the input that shows this bug yet; `why` says what is missing. */
  | { readonly kind: 'not-expressible'; readonly why: string };

export interface BrokenBug {
  /** `builtin:broken/<name>` in `role`; also the name of the base's variation. */
  readonly name: Variation;
  readonly role: Role;
  readonly bugClass: BugClass;
  /** What the implementation does wrong, one sentence. */
  readonly wrong: string;
  /** The rule it breaks: section and the RFC's words. */
  readonly rule: string;
  readonly demonstration: Demonstration;
}

const HELLO = utf8('Hello');
/** Fixed masking keys make the garbage a read-boundary bug produces the same on every run. */
const KEY = 0x1b2c3d4e;

const steps = (...s: Step[]): (() => Scenario) => () => ({ steps: s });
const verdict = (divergence: string, ...s: Step[]): Demonstration => ({ kind: 'verdict', scenario: steps(...s), divergence });
const stream = (frames: FrameDescription[], cuts: number[]): Step => ({ kind: 'stream', frames, cuts });

/**
 * `frame` written in pieces cut at `cuts` (offsets inside it), after an empty
 * unsolicited Pong (§5.5.3 allows one; peers ignore it) in a piece of its own.
 * The lead-in is there because the tester's first piece may share a read with
 * the second (it goes out from inside the handshake's read callback); from the
 * second piece on, every piece is read on its own by an in-process peer.
 */
function splitAfterLeadIn(tester: 'client' | 'server', f: FrameDescription, cuts: number[]): Step {
  const leadIn = tester === 'client' ? 6 : 2; // an empty Pong, masked by a client tester
  return stream([{ opcode: Opcode.Pong, payload: EMPTY }, f], [leadIn, ...cuts.map((c) => leadIn + c)]);
}
const codeBody = (code: number): Uint8Array => Uint8Array.from([code >> 8, code & 0xff]);

export const serverBugs: readonly BrokenBug[] = [
  // framing
  {
    name: 'reserved-opcode-as-binary',
    role: 'server',
    bugClass: 'framing',
    wrong: 'treats the reserved data opcodes 3-7 as binary messages and echoes them',
    rule: '§5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."',
    demonstration: verdict('expected Close frame with code 1002', frame(3, utf8('reserved')), killAfter(1)),
  },
  {
    name: 'rsv-bits-ignored',
    role: 'server',
    bugClass: 'framing',
    wrong: 'ignores RSV bits although no extension was negotiated',
    rule: '§5.2: RSV1-3 "MUST be 0 unless an extension is negotiated"; otherwise the receiver "MUST _Fail the WebSocket Connection_"',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Text, HELLO, { rsv: 4 }), killAfter(1)),
  },
  // masking
  {
    name: 'accepts-unmasked-frames',
    role: 'server',
    bugClass: 'masking',
    wrong: 'accepts frames from the client that are not masked',
    rule: '§5.1: "The server MUST close the connection upon receiving a frame that is not masked."',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Text, HELLO, { maskKey: null }), killAfter(1)),
  },
  // payload length
  {
    name: 'length16-signed',
    role: 'server',
    bugClass: 'payload length',
    wrong: 'reads the 16-bit extended payload length as a signed number, so 32768-65535 come out negative and the frame is refused',
    rule: '§5.2: the 16-bit extended payload length is "interpreted as a 16-bit unsigned integer"',
    demonstration: verdict('expected binary message of 40000 octets', frame(Opcode.Binary, repeat(utf8('*'), 40000)), killAfter(2)),
  },
  {
    name: 'length64-low-word-only',
    role: 'server',
    bugClass: 'payload length',
    wrong: 'reads only the low 32 bits of the 64-bit extended payload length',
    rule: '§5.2: the 64-bit extended payload length is "interpreted as a 64-bit unsigned integer"',
    demonstration: verdict(
      'expected Close frame with code 1009',
      frame(Opcode.Binary, utf8('abc'), { lengthEncoding: 64, declaredLength: 2 ** 32 + 3 }),
      killAfter(1),
    ),
  },
  {
    name: 'header-size-from-length',
    role: 'server',
    bugClass: 'payload length',
    wrong: 'finds the end of the header from the length value (the encoder\'s minimal-encoding rule) instead of the 7-bit length indicator, so a non-minimal length shifts the masking key and payload',
    rule: '§5.2: whether 2 or 8 octets of extended length follow is decided by the 7-bit length field (126 or 127), not by the value',
    demonstration: verdict('expected text message of 5 octets "Hello"', frame(Opcode.Text, HELLO, { lengthEncoding: 16, maskKey: KEY }), killAfter(1)),
  },
  // TCP read boundaries
  {
    name: 'partial-header-discarded',
    role: 'server',
    bugClass: 'TCP read boundaries',
    wrong: 'assumes a frame header arrives in one read: octets of a header cut by a read boundary are thrown away',
    rule: '§5.2 / RFC 793: a frame is a byte sequence in a stream; TCP may deliver it in any pieces',
    demonstration: verdict('expected text message of 5 octets "Hello"', splitAfterLeadIn('client', { opcode: Opcode.Text, payload: HELLO, maskKey: KEY }, [1]), killAfter(1)),
  },
  {
    name: 'extended-length-split',
    role: 'server',
    bugClass: 'TCP read boundaries',
    wrong: 'reads the extended payload length (and masking key) without checking they have arrived, taking the missing octets as 0',
    rule: '§5.2 / RFC 793: a frame is a byte sequence in a stream; TCP may deliver it in any pieces',
    demonstration: verdict(
      'expected binary message of 200 octets',
      splitAfterLeadIn('client', { opcode: Opcode.Binary, payload: repeat(utf8('x'), 200), maskKey: KEY }, [3]),
      killAfter(1),
    ),
  },
  {
    name: 'mask-key-split',
    role: 'server',
    bugClass: 'TCP read boundaries',
    wrong: 'reads the masking key without checking all four octets have arrived',
    rule: '§5.2 / RFC 793: a frame is a byte sequence in a stream; TCP may deliver it in any pieces',
    demonstration: verdict(
      'expected binary message of 6 octets 0x48656c6c6f21',
      splitAfterLeadIn('client', { opcode: Opcode.Binary, payload: utf8('Hello!'), maskKey: KEY }, [4]),
      killAfter(1),
    ),
  },
  {
    name: 'one-frame-per-read',
    role: 'server',
    bugClass: 'TCP read boundaries',
    wrong: 'handles one frame per read and drops whatever follows it in the same read',
    rule: '§5.2 / RFC 793: one read may hold several frames',
    demonstration: verdict(
      'expected text message of 3 octets "two"',
      stream(
        [
          { opcode: Opcode.Text, payload: utf8('one') },
          { opcode: Opcode.Text, payload: utf8('two') },
        ],
        [],
      ),
      killAfter(1),
    ),
  },
  {
    name: 'payload-in-one-read',
    role: 'server',
    bugClass: 'TCP read boundaries',
    wrong: 'takes the payload octets of the read that completed the header for the whole payload',
    rule: '§5.2 / RFC 793: a frame\'s payload may arrive over several reads',
    demonstration: verdict(
      'expected text message of 12 octets "Hello, world"',
      splitAfterLeadIn('client', { opcode: Opcode.Text, payload: utf8('Hello, world'), maskKey: KEY }, [8]),
      killAfter(1),
    ),
  },
  // fragmentation
  {
    name: 'continuation-without-start',
    role: 'server',
    bugClass: 'fragmentation',
    wrong: 'takes a continuation frame with no message in progress as the start of a binary message',
    rule: '§5.4: a fragmented message starts with a text or binary frame; continuation frames only continue one (§7.1.7: fail otherwise)',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Continuation, utf8('orphan')), killAfter(1)),
  },
  {
    name: 'data-frame-inside-fragmented-message',
    role: 'server',
    bugClass: 'fragmentation',
    wrong: 'lets a new text or binary frame start a message while a fragmented one is unfinished (the first is dropped)',
    rule: '§5.4: "the fragments of one message MUST NOT be interleaved between the fragments of another message"',
    demonstration: verdict(
      'expected Close frame with code 1002',
      frame(Opcode.Text, utf8('first'), { fin: false }),
      frame(Opcode.Text, utf8('second')),
      killAfter(1),
    ),
  },
  {
    name: 'ping-resets-reassembly',
    role: 'server',
    bugClass: 'fragmentation',
    wrong: 'a control frame between fragments resets the message being reassembled',
    rule: '§5.4: "An endpoint MUST be capable of handling control frames in the middle of a fragmented message."',
    demonstration: verdict(
      'expected text message of 10 octets "frag1frag2"',
      frame(Opcode.Text, utf8('frag1'), { fin: false }),
      frame(Opcode.Ping, utf8('ping')),
      frame(Opcode.Continuation, utf8('frag2')),
      killAfter(1),
    ),
  },
  // control frames
  {
    name: 'ping-over-125-answered',
    role: 'server',
    bugClass: 'control frames',
    wrong: 'answers a Ping whose payload is longer than 125 octets',
    rule: '§5.5: "All control frames MUST have a payload length of 125 bytes or less"',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Ping, repeat(utf8('p'), 126)), killAfter(1)),
  },
  {
    name: 'fragmented-ping-answered',
    role: 'server',
    bugClass: 'control frames',
    wrong: 'answers a Ping sent with FIN clear',
    rule: '§5.5: control frames "MUST NOT be fragmented"',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Ping, utf8('ping'), { fin: false }), killAfter(1)),
  },
  {
    name: 'pong-without-payload',
    role: 'server',
    bugClass: 'control frames',
    wrong: 'answers a Ping with an empty Pong',
    rule: '§5.5.3: "A Pong frame sent in response to a Ping frame must have identical Application data"',
    demonstration: verdict('expected Pong with 4 octets of data 0x70696e67', frame(Opcode.Ping, utf8('ping')), killAfter(1)),
  },
  {
    name: 'ping-answered-after-close',
    role: 'server',
    bugClass: 'control frames',
    wrong: 'handles the frames read with a Close before answering it, so a Ping after the Close gets a Pong',
    rule: '§5.5.1: after sending its Close an endpoint sends nothing more; "the endpoint MUST NOT send any more data frames" and the connection is closing',
    demonstration: verdict('expected Close frame with code 1000 after frame 1 (close); observed Pong', close(1000), frame(Opcode.Ping, utf8('late')), killAfter(1)),
  },
  // UTF-8
  {
    name: 'utf8-not-validated',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'does not validate text messages at all',
    rule: '§8.1: "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_."',
    demonstration: verdict('expected Close frame with code 1007', frame(Opcode.Text, hex('cebae1bdb9cf83cebcceb5eda080656469746564')), killAfter(1)),
  },
  {
    name: 'utf8-validated-per-frame',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'validates each frame of a text message on its own, so a character split between two frames is refused',
    rule: '§5.6 / §8.1: the text of a message is UTF-8 as a whole; "a text message [may be] split ... in the middle of a UTF-8 sequence" across fragments',
    demonstration: verdict(
      'expected text message of 2 octets "κ"',
      frame(Opcode.Text, hex('ce'), { fin: false }),
      frame(Opcode.Continuation, hex('ba')),
      killAfter(1),
    ),
  },
  {
    name: 'utf8-replaced-not-rejected',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'decodes text leniently: invalid sequences become U+FFFD instead of failing the connection',
    rule: '§8.1: invalid UTF-8 "MUST _Fail the WebSocket Connection_"',
    demonstration: verdict('expected Close frame with code 1007', frame(Opcode.Text, hex('48656c6c6fff')), killAfter(1)),
  },
  {
    name: 'utf8-overlong-accepted',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'accepts overlong UTF-8 forms (it checks only the shape of a sequence)',
    rule: '§8.1 with RFC 3629 §3: overlong forms are not UTF-8',
    demonstration: verdict('expected Close frame with code 1007', frame(Opcode.Text, hex('c0af')), killAfter(1)),
  },
  {
    name: 'utf8-surrogates-accepted',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'accepts UTF-16 surrogates encoded as three octets (CESU-8 / WTF-8)',
    rule: '§8.1 with RFC 3629 §3: U+D800..U+DFFF are not encoded in UTF-8',
    demonstration: verdict('expected Close frame with code 1007', frame(Opcode.Text, hex('eda080')), killAfter(1)),
  },
  {
    name: 'close-reason-utf8-not-validated',
    role: 'server',
    bugClass: 'UTF-8',
    wrong: 'does not validate the reason of a Close it receives (and echoes it)',
    rule: '§5.5.1: the reason of a Close is UTF-8; §8.1 applies to it',
    demonstration: verdict('expected Close frame with code 1007', closeRaw(hex('03e848656c6c6fff')), killAfter(1)),
  },
  // closing handshake
  {
    name: 'close-code-byte-swapped',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'writes the status code of its Close frames in little-endian order (1000 goes out as 59395)',
    rule: '§5.5.1: the status code is "a 2-byte unsigned integer (in network byte order)"',
    demonstration: verdict('expected Close frame with code 1000', close(1000), killAfter(1)),
  },
  {
    name: 'close-not-answered',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'closes TCP on a Close frame without answering it',
    rule: '§5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame in response."',
    demonstration: verdict('expected Close frame with code 1000', close(1000), killAfter(1)),
  },
  {
    name: 'never-closes-tcp',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'answers the Close but leaves the TCP connection open for the client to close',
    rule: '§7.1.1: "the underlying TCP connection, in most normal cases, SHOULD be closed first by the server"; §5.5.1: after both Close frames the server MUST close the connection',
    demonstration: verdict('expected the peer closing TCP', close(1000), killAfter(1)),
  },
  {
    name: 'close-1005-on-wire',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'answers a Close without status code with a Close carrying 1005',
    rule: '§7.4.1: 1005 "MUST NOT be set as a status code in a Close control frame by an endpoint"',
    demonstration: verdict('expected Close frame without status code', closeRaw(EMPTY), killAfter(1)),
  },
  {
    name: 'close-reason-truncated',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'echoes the close reason cut to 15 octets, splitting a UTF-8 character',
    rule: '§5.5.1: the reason in a Close frame MUST be UTF-8 (cutting octets, not characters, breaks it)',
    demonstration: verdict('expected Close frame with code 1000', close(1000, utf8('aκόσμε κόσμε')), killAfter(1)),
  },
  {
    name: 'close-reason-nul-padding',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'sends a fixed 48-octet reason buffer: its reasons end with NUL padding',
    rule: '§5.5.1: the reason is the rest of the body; NUL octets are valid UTF-8, so only a lint can report it',
    demonstration: { kind: 'lint', scenario: steps(close(1000, utf8('bye')), killAfter(1)), lint: 'close-reason-nul-padding' },
  },
  {
    name: 'invalid-close-code-accepted',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'answers a Close with an invalid status code as if it were a normal closure (1000)',
    rule: '§7.4: codes below 1000, 1004-1006, 1015 and other unassigned ones may not appear in a Close frame; receiving one is a protocol error (§7.1.7, 1002)',
    demonstration: verdict('expected Close frame with code 1002', closeRaw(codeBody(999)), killAfter(1)),
  },
  // opening handshake
  {
    name: 'wrong-accept-key',
    role: 'server',
    bugClass: 'opening handshake',
    wrong: 'computes Sec-WebSocket-Accept as base64 of the hex text of the SHA-1 digest',
    rule: '§4.2.2 step 5.4: base64 of the 20-octet SHA-1 of the key and the GUID; §4.1: the client MUST fail a connection whose accept value differs',
    demonstration: { kind: 'handshake', scenario: steps(frame(Opcode.Text, HELLO), killAfter(1)), note: 'Sec-WebSocket-Accept' },
  },
  {
    name: 'version-not-checked',
    role: 'server',
    bugClass: 'opening handshake',
    wrong: 'ignores Sec-WebSocket-Version: it upgrades a request for any version, e.g. 99',
    rule: '§4.2.2: "If this version does not match a version understood by the server, the server MUST abort the WebSocket handshake" and answer e.g. 426 with the versions it understands',
    demonstration: {
      kind: 'not-expressible',
      why: "scenarios cannot change the tester's opening handshake; it always asks for version 13",
    },
  },
];

export const clientBugs: readonly BrokenBug[] = [
  {
    name: 'sends-unmasked-frames',
    role: 'client',
    bugClass: 'masking',
    wrong: 'sends its frames unmasked',
    rule: '§5.1: "a client MUST mask all frames that it sends to the server"',
    demonstration: verdict('expected text message of 5 octets "Hello"', frame(Opcode.Text, HELLO), killAfter(1)),
  },
  {
    name: 'zero-mask-key',
    role: 'client',
    bugClass: 'masking',
    wrong: 'masks every frame with the key 0, so the payload goes out in clear',
    rule: '§5.3: the masking key MUST be "derived from a strong source of entropy" and unpredictable; a zero key is a valid key, so only a lint can report it',
    demonstration: { kind: 'lint', scenario: steps(frame(Opcode.Text, HELLO), killAfter(1)), lint: 'zero-mask-key' },
  },
  {
    name: 'constant-mask-key',
    role: 'client',
    bugClass: 'masking',
    wrong: 'masks every frame with the same key (the one from RFC 6455 §5.7\'s examples)',
    rule: '§5.3: "The masking key is a 32-bit value chosen at random by the client"; a fresh key for every frame',
    demonstration: {
      kind: 'lint',
      scenario: steps(frame(Opcode.Text, utf8('one')), frame(Opcode.Text, utf8('two')), killAfter(1)),
      lint: 'repeated-mask-key',
    },
  },
  {
    name: 'accepts-masked-frames',
    role: 'client',
    bugClass: 'masking',
    wrong: 'accepts masked frames from the server',
    rule: '§5.1: "A client MUST close a connection if it detects a masked frame."',
    demonstration: verdict('expected Close frame with code 1002', frame(Opcode.Text, HELLO, { maskKey: KEY }), killAfter(1)),
  },
  {
    name: 'accept-key-not-checked',
    role: 'client',
    bugClass: 'opening handshake',
    wrong: 'does not check the server\'s Sec-WebSocket-Accept',
    rule: '§4.1: "If the |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of ... the client MUST _Fail the WebSocket Connection_."',
    demonstration: {
      kind: 'not-expressible',
      why: 'the fuzzing server always answers with a correct Sec-WebSocket-Accept; scenarios cannot change its handshake',
    },
  },
  {
    name: 'close-not-answered',
    role: 'client',
    bugClass: 'closing handshake',
    wrong: 'closes TCP on a Close frame without answering it',
    rule: '§5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the endpoint MUST send a Close frame in response."',
    demonstration: verdict('expected Close frame with code 1000', close(1000), killAfter(1)),
  },
  {
    name: 'payload-in-one-read',
    role: 'client',
    bugClass: 'TCP read boundaries',
    wrong: 'takes the payload octets of the read that completed the header for the whole payload',
    rule: '§5.2 / RFC 793: a frame\'s payload may arrive over several reads',
    demonstration: verdict('expected text message of 12 octets "Hello, world"', splitAfterLeadIn('server', { opcode: Opcode.Text, payload: utf8('Hello, world') }, [4]), killAfter(1)),
  },
  {
    name: 'utf8-not-validated',
    role: 'client',
    bugClass: 'UTF-8',
    wrong: 'does not validate text messages at all',
    rule: '§8.1: invalid UTF-8 "MUST _Fail the WebSocket Connection_"',
    demonstration: verdict('expected Close frame with code 1007', frame(Opcode.Text, hex('cebae1bdb9cf83cebcceb5eda080656469746564')), killAfter(1)),
  },
];

/** One line for `--help` and reports. */
export function describeBug(b: BrokenBug): string {
  const section = /^§[0-9.]+/.exec(b.rule)?.[0] ?? b.rule;
  return `deliberately broken ${b.role}: ${b.wrong} (breaks RFC 6455 ${section})`;
}
