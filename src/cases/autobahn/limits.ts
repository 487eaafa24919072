/**
 * Category 9, Limits/Performance: big messages whole, fragmented and written
 * in small TCP pieces, and a thousand round trips of small messages. Only the
 * type and length of the echo count (not its content), within a time limit;
 * the duration is reported. The wire log is off during the bulk transfer.
 */
import { Opcode } from '../../codec/opcode.js';
import type { PerfGoal, Scenario, Step } from '../../model/scenario.js';
import { hex, repeat, utf8 } from '../payload.js';
import { closeAfter, frame, message } from '../steps.js';
import type { CaseDefinition } from '../types.js';

const TEXT_UNIT = utf8('BAsd7&jh23');
const BINARY_UNIT = hex('00fe23faf0');
const STAR = utf8('*');
const FE = hex('fe');

const KiB = 1024;
const MiB = 1024 * KiB;

function size(n: number): string {
  return n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} octets`;
}

function perfCase(sub: string, title: string, n: number, description: string, expectation: string, build: () => Scenario): CaseDefinition {
  return {
    id: `${sub}.${n}`,
    category: '9',
    categoryTitle: 'Limits/Performance',
    subcategory: sub,
    subcategoryTitle: title,
    description,
    expectation,
    scenario: build,
    reportTime: true,
  };
}

/** One big message out, its echo back; the log is off (without a mark) until the echo arrives. */
function singleEcho(send: Step, binary: boolean, length: number, timeoutSeconds: number): Scenario {
  const perf: PerfGoal = { kind: 'single-echo', binary, length, timeoutSeconds };
  return { steps: [{ kind: 'wirelog', enabled: false, silent: true }, send, closeAfter(timeoutSeconds)], perf };
}

const echoExpectation = (binary: boolean, seconds: number) =>
  `The peer echoes a ${binary ? 'binary' : 'text'} message of the same length within ${seconds} seconds (its content is not compared).`;

const SIZES = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];

const whole = (sub: '9.1' | '9.2'): CaseDefinition[] => {
  const binary = sub === '9.2';
  const unit = binary ? BINARY_UNIT : TEXT_UNIT;
  return SIZES.map((length, k) => {
    // Autobahn gives 10 s up to 256 KiB — and, for binary, also to 1 and 4 MiB.
    const seconds = length <= 256 * KiB || (binary && length <= 4 * MiB) ? 10 : 100;
    return perfCase(
      sub,
      binary ? 'Binary Message (increasing size)' : 'Text Message (increasing size)',
      k + 1,
      `Send one ${binary ? 'binary' : 'text'} message of ${size(length)} in a single frame.`,
      echoExpectation(binary, seconds),
      () => singleEcho(frame(binary ? Opcode.Binary : Opcode.Text, repeat(unit, length), { repeatUnit: unit }), binary, length, seconds),
    );
  });
};

const FRAGMENT_SIZES = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];

const fragmented = (sub: '9.3' | '9.4'): CaseDefinition[] => {
  const binary = sub === '9.4';
  return FRAGMENT_SIZES.map((fragmentSize, k) => {
    // The first binary case repeats 0xfe, the others '*' (as in Autobahn).
    const unit = binary && k === 0 ? FE : STAR;
    const length = 4 * MiB;
    return perfCase(
      sub,
      binary ? 'Fragmented Binary Message (fixed size, increasing fragment size)' : 'Fragmented Text Message (fixed size, increasing fragment size)',
      k + 1,
      `Send one ${binary ? 'binary' : 'text'} message of 4 MiB in fragments of ${size(fragmentSize)}` +
        (fragmentSize < length ? ' (ending with an empty final frame, since the size divides the message).' : ' (a single frame).'),
      echoExpectation(binary, 100),
      () => singleEcho(message(binary, repeat(unit, length), { fragmentSize, repeatUnit: unit }), binary, length, 100),
    );
  });
};

const CHOPS = [64, 128, 256, 512, KiB, 2 * KiB];

const chopped = (sub: '9.5' | '9.6'): CaseDefinition[] => {
  const binary = sub === '9.6';
  const unit = binary ? BINARY_UNIT : TEXT_UNIT;
  return CHOPS.map((chop, k) =>
    perfCase(
      sub,
      binary ? 'Binary Text Message (fixed size, increasing chop size)' : 'Text Message (fixed size, increasing chop size)',
      k + 1,
      `Send one ${binary ? 'binary' : 'text'} message of 1 MiB in a single frame, written in TCP pieces of ${chop} octets.`,
      echoExpectation(binary, 1000),
      () => singleEcho(frame(binary ? Opcode.Binary : Opcode.Text, repeat(unit, MiB), { repeatUnit: unit, chop }), binary, MiB, 1000),
    ),
  );
};

const ROUND_TRIPS: readonly [number, number][] = [
  [0, 60],
  [16, 60],
  [64, 60],
  [256, 120],
  [KiB, 240],
  [4 * KiB, 480],
];

const roundTrips = (sub: '9.7' | '9.8'): CaseDefinition[] => {
  const binary = sub === '9.8';
  const unit = binary ? FE : STAR;
  return ROUND_TRIPS.map(([length, seconds], k) =>
    perfCase(
      sub,
      binary ? 'Binary Message Roundtrip Time (fixed number, increasing size)' : 'Text Message Roundtrip Time (fixed number, increasing size)',
      k + 1,
      `Send 1000 ${binary ? 'binary' : 'text'} messages of ${size(length)}, each as soon as the previous one was echoed.`,
      `All 1000 echoes arrive, each of the right type and length, within ${seconds} seconds.`,
      () => ({
        steps: [{ kind: 'wirelog', enabled: false }, closeAfter(seconds)],
        perf: { kind: 'round-trips', binary, payload: repeat(unit, length), repeatUnit: unit, count: 1000, timeoutSeconds: seconds },
      }),
    ),
  );
};

export const limits: readonly CaseDefinition[] = [
  ...whole('9.1'),
  ...whole('9.2'),
  ...fragmented('9.3'),
  ...fragmented('9.4'),
  ...chopped('9.5'),
  ...chopped('9.6'),
  ...roundTrips('9.7'),
  ...roundTrips('9.8'),
];
