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
import { findCase } from '../../../cases/catalogue.js';
import type { DeclaredLimits } from '../../../model/limits.js';
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
  | 'opening handshake'
  | 'limits and resources'
  | 'permessage-deflate';

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
  /**
   * The cases of wscheck's categories 14-17 that fail against this peer while
   * ws passes them (test/harness/targets/wscheck-catches.test.ts), run with
   * `limits` declared (`--max-message`, `--max-frame`) when given.
   */
  readonly caughtBy?: { readonly cases: readonly string[]; readonly limits?: DeclaredLimits };
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

/** The limit declared for the limit bugs: small, so that a message over it is quick to send. */
export const DEMONSTRATION_LIMITS: DeclaredLimits = { maxMessage: 65536 };

/** The scenario of catalogue case `id`, with `limits` declared when given. */
function caseScenario(id: string, limits?: DeclaredLimits): () => Scenario {
  return () => {
    const c = findCase(id);
    if (c === undefined) throw new Error(`no case ${id} in the catalogue`);
    return limits !== undefined && c.scenarioWithLimits !== undefined ? c.scenarioWithLimits(limits) : c.scenario();
  };
}
const caseVerdict = (id: string, divergence: string, limits?: DeclaredLimits): Demonstration => ({ kind: 'verdict', scenario: caseScenario(id, limits), divergence });

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
    caughtBy: { cases: ['16.4.1', '16.4.4', '16.4.5', '16.4.7'] },
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
    caughtBy: { cases: ['15.2.2', '16.2.1'], limits: DEMONSTRATION_LIMITS },
  },
  {
    name: 'header-size-from-length',
    role: 'server',
    bugClass: 'payload length',
    wrong: 'finds the end of the header from the length value (the encoder\'s minimal-encoding rule) instead of the 7-bit length indicator, so a non-minimal length shifts the masking key and payload',
    rule: '§5.2: whether 2 or 8 octets of extended length follow is decided by the 7-bit length field (126 or 127), not by the value',
    demonstration: verdict('expected text message of 5 octets "Hello"', frame(Opcode.Text, HELLO, { lengthEncoding: 16, maskKey: KEY }), killAfter(1)),
    caughtBy: { cases: ['16.3.1', '16.3.2', '16.3.3'] },
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
    caughtBy: { cases: ['17.3.1'] },
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
    demonstration: caseVerdict('14.1.6', 'expected an HTTP answer 400 or 426 with Sec-WebSocket-Version: 13; the server upgraded the connection (101)'),
    caughtBy: { cases: ['14.1.5', '14.1.6'] },
  },
  {
    name: 'key-not-checked',
    role: 'server',
    bugClass: 'opening handshake',
    wrong: 'upgrades a request whose Sec-WebSocket-Key is missing or is not 16 octets in base64, computing the accept value from whatever is there',
    rule: '§4.2.1 item 5: the request MUST include a Sec-WebSocket-Key of 16 octets, base64-encoded; §4.2.2: a request that lacks it is answered with an HTTP error such as 400',
    demonstration: caseVerdict('14.1.1', 'expected an HTTP answer 400; the server upgraded the connection (101)'),
    caughtBy: { cases: ['14.1.1', '14.1.3', '14.1.4'] },
  },
  {
    name: 'protocol-header-backtracking',
    role: 'server',
    bugClass: 'opening handshake',
    wrong: 'parses Sec-WebSocket-Protocol with regular expressions that backtrack over a run of spaces, so a 15 KB value takes a large fraction of a second (ws CVE-2021-32640)',
    rule: '§10.7: a server must be prepared for any input, including malformed fields (§4.2.1, §11.3.4: the value is a token list)',
    demonstration: caseVerdict('14.3.2', 'the server answered in'),
    caughtBy: { cases: ['14.3.1', '14.3.2'] },
  },
  {
    name: 'pipelined-frames-dropped',
    role: 'server',
    bugClass: 'opening handshake',
    wrong: 'drops the octets that came in the same read as the request head, so frames sent right behind the request are lost',
    rule: '§4.2.2: once the server has sent its 101 the connection is open, and every octet after the request head belongs to it (§4.1 asks clients to wait for the 101, but TCP may still deliver their first frames with the head)',
    demonstration: caseVerdict('14.2.5', 'expected text message of 5 octets "Hello" after frame 1 (text)'),
    caughtBy: { cases: ['14.2.5', '14.2.6'] },
  },
  // limits and resources, with a declared message limit
  {
    name: 'limit-per-frame',
    role: 'server',
    bugClass: 'limits and resources',
    wrong: 'applies its message limit to each frame alone, so a fragmented message grows past it (undici CVE-2026-9675 class)',
    rule: '§10.4: an implementation SHOULD impose a limit on frame sizes and on the total message size after reassembly from multiple frames, and fail with 1009 (§7.4.1) past it',
    demonstration: caseVerdict('15.3.1', 'expected Close frame with code 1009 after frame 4 (continuation)', DEMONSTRATION_LIMITS),
    caughtBy: { cases: ['15.3.1', '15.3.2', '15.3.4'], limits: DEMONSTRATION_LIMITS },
  },
  {
    name: 'limit-after-buffering',
    role: 'server',
    bugClass: 'limits and resources',
    wrong: 'checks its message limit only once the whole message has been read, buffering every octet the peer announces first',
    rule: '§10.4: the limit protects against a peer that sends very large messages; a frame whose header already shows it is over the limit is failed with 1009 (§7.4.1) without buffering it',
    demonstration: caseVerdict('15.1.5', 'expected Close frame with code 1009 after frame 1 (binary)', DEMONSTRATION_LIMITS),
    caughtBy: { cases: ['15.1.5', '15.2.1'], limits: DEMONSTRATION_LIMITS },
  },
  {
    name: 'limit-not-enforced',
    role: 'server',
    bugClass: 'limits and resources',
    wrong: 'enforces no message limit at all, whatever limit it declares (ws CVE-2016-10542 class)',
    rule: '§10.4: a message over the implementation\'s limit fails the connection with 1009 (§7.4.1)',
    demonstration: caseVerdict('15.1.2', 'observed binary message of 65537 octets', DEMONSTRATION_LIMITS),
    caughtBy: { cases: ['15.1.2', '15.1.4', '15.3.1'], limits: DEMONSTRATION_LIMITS },
  },
  // lengths and masking, beyond the catalogue's reach
  {
    name: 'length-msb-ignored',
    role: 'server',
    bugClass: 'payload length',
    wrong: 'clears the most significant bit of a 64-bit length instead of failing the connection, so 2^63 + 5 reads as 5',
    rule: '§5.2: in the 64-bit length "the most significant bit MUST be 0"; a frame that breaks it fails the connection (§7.1.7, 1002)',
    demonstration: caseVerdict('16.1.1', 'observed binary message of 5 octets'),
    caughtBy: { cases: ['16.1.1', '16.1.3', '16.1.4'] },
  },
  {
    name: 'control-frames-unmasked-accepted',
    role: 'server',
    bugClass: 'masking',
    wrong: 'checks the mask bit of data frames only: unmasked Ping, Pong and Close frames are accepted',
    rule: '§5.1: "The server MUST close the connection upon receiving a frame that is not masked" (any frame, control frames included)',
    demonstration: caseVerdict('16.4.5', 'observed Pong with 4 octets of data 0x70696e67 after frame 1 (ping)'),
    caughtBy: { cases: ['16.4.5', '16.4.6', '16.4.7', '16.4.8'] },
  },
  {
    name: 'continuation-masking-not-checked',
    role: 'server',
    bugClass: 'masking',
    wrong: 'checks the mask bit on the first frame of a message only: an unmasked continuation frame is accepted',
    rule: '§5.1: "The server MUST close the connection upon receiving a frame that is not masked" (every frame of a message)',
    demonstration: caseVerdict('16.4.3', 'expected Close frame with code 1002 after frame 2 (continuation)'),
    caughtBy: { cases: ['16.4.3'] },
  },
  // closing handshake, beyond the catalogue's codes and orders
  {
    name: 'iana-close-codes-rejected',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'knows only the close codes listed in RFC 6455, so 1012-1014 (registered with IANA since) fail the connection with 1002',
    rule: '§7.4.2 and the IANA WebSocket Close Code Number Registry (§11.7): 1012 Service Restart, 1013 Try Again Later and 1014 Bad Gateway are valid codes',
    demonstration: caseVerdict('17.1.1', 'expected Close frame with code 1012 after frame 1 (close); observed Close frame with code 1002'),
    caughtBy: { cases: ['17.1.1', '17.1.2', '17.1.3'] },
  },
  {
    name: 'close-1015-accepted',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'takes the API-only code 1015 (TLS handshake failure) in a Close frame for a valid code and echoes it',
    rule: '§7.4.1: 1015 "MUST NOT be set as a status code in a Close control frame by an endpoint"; receiving it is a protocol error',
    demonstration: caseVerdict('17.2.1', 'observed a frame the protocol forbids (invalid close code 1015)'),
    caughtBy: { cases: ['17.2.1'] },
  },
  {
    name: 'incomplete-utf8-fails-at-close',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'judges the text of an unfinished message when a Close arrives, failing with 1007 because its last character is cut',
    rule: '§5.4, §5.5: a Close may come between fragments; the unfinished message is not delivered, so its text is never judged (§8.1 applies to messages)',
    demonstration: caseVerdict('17.5.1', 'expected Close frame with code 1000 after frame 2 (close); observed Close frame with code 1007'),
    caughtBy: { cases: ['17.5.1'] },
  },
  {
    name: 'processes-after-fail',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'steps over a frame it refuses and handles the rest of the read (answering a Ping) before failing the connection',
    rule: '§7.1.7: having failed the connection, an endpoint "MUST NOT continue to attempt to process data (including a responding Close frame) from the remote endpoint"',
    demonstration: caseVerdict('17.4.1', 'expected Close frame with code 1002 after frame 2 (ping); observed Pong'),
    caughtBy: { cases: ['17.4.1', '16.4.6', '16.4.8'] },
  },
  {
    name: 'fail-waits-forever',
    role: 'server',
    bugClass: 'closing handshake',
    wrong: 'after failing the connection waits for the peer\'s Close with no time limit, keeping TCP open for a silent peer',
    rule: '§7.1.7: failing the connection "MUST _Close the WebSocket Connection_"; §7.1.1: the server closes TCP first, and may not wait for ever',
    demonstration: caseVerdict('17.2.4', 'expected the peer closing TCP after frame 1 (close)'),
    // 17.6.1 catches it too, but only at its one-minute deadline.
    caughtBy: { cases: ['17.2.4', '17.3.3'] },
  },
  // permessage-deflate (RFC 7692): these negotiate it (broken/deflate.ts), so their demonstrations are category 18's cases
  {
    name: 'deflate-rsv1-continuation-accepted',
    role: 'server',
    bugClass: 'permessage-deflate',
    wrong: 'with permessage-deflate agreed, accepts RSV1 on continuation frames and ignores it',
    rule: '§5.2 and RFC 7692 §6.1: "An endpoint MUST NOT set the "Per-Message Compressed" bit of control frames and non-first fragments of a data message. An endpoint receiving such a frame MUST _Fail the WebSocket Connection_."',
    demonstration: caseVerdict('18.3.2', 'expected Close frame with code 1002'),
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
    caughtBy: { cases: ['16.4.1', '16.4.3', '16.4.5', '16.4.7'] },
  },
  {
    name: 'accept-key-not-checked',
    role: 'client',
    bugClass: 'opening handshake',
    wrong: 'does not check the server\'s Sec-WebSocket-Accept',
    rule: '§4.1: "If the |Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of ... the client MUST _Fail the WebSocket Connection_."',
    demonstration: caseVerdict('14.4.1', 'observed text message of 5 octets "Hello" (the client took the connection as open)'),
    caughtBy: { cases: ['14.4.1', '14.4.2', '14.4.3'] },
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
  {
    name: 'unsolicited-selection-accepted',
    role: 'client',
    bugClass: 'opening handshake',
    wrong: 'takes a 101 that selects a subprotocol or an extension it never offered',
    rule: '§4.1: if the response selects an extension not present in the client\'s handshake, or a subprotocol it did not offer, "the client MUST _Fail the WebSocket Connection_"',
    demonstration: caseVerdict('14.4.9', 'observed text message of 5 octets "Hello" (the client took the connection as open)'),
    caughtBy: { cases: ['14.4.9', '14.4.10'] },
  },
  {
    name: 'deflate-window-bits-not-checked',
    role: 'client',
    bugClass: 'permessage-deflate',
    wrong: 'offers permessage-deflate and takes any run of digits as window bits in the answer, 7 and 16 included',
    rule: '§9.1 and RFC 7692 §7.1.2: window bits are "a decimal integer value without leading zeroes between 8 to 15"; for a response with "an extension parameter with an invalid value" the client "MUST _Fail the WebSocket Connection_" (§7)',
    demonstration: caseVerdict('18.2.1', 'expected the client to fail the connection'),
  },
];

/** One line for `--help` and reports. */
export function describeBug(b: BrokenBug): string {
  const section = /^§[0-9.]+/.exec(b.rule)?.[0] ?? b.rule;
  return `deliberately broken ${b.role}: ${b.wrong} (breaks RFC 6455 ${section})`;
}
