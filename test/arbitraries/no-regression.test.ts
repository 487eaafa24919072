/**
 * No-regression snapshots of the exploration arbitraries (as fast-check's own
 * no-regression suite does): fixed-seed samples of every builder, and the
 * full shrink path of deliberately failing properties. Saved counterexamples
 * replay by seed and path, so a change to what a seed generates, or to how a
 * value shrinks, must show up here and be accepted on purpose
 * (`npx vitest run test/arbitraries -u`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryPayload,
  choppedStream,
  closeBody,
  closeCode,
  codePoint,
  controlFrame,
  corruption,
  fragmentedMessage,
  frameChop,
  interleaving,
  invalidUtf8,
  message,
  payloadLength,
  scenario,
  textPayload,
} from '../../src/arbitraries/index.js';
import type { FrameDescription } from '../../src/model/scenario.js';
import { show, showStep } from './support/show.js';
import type { GeneratedScenario } from '../../src/arbitraries/index.js';

/** A generated scenario in a few lines. */
const brief = (g: GeneratedScenario) => ({ summary: g.label.summary, steps: g.scenario.steps.map(showStep), delivered: g.delivered.length, suppressClose: g.scenario.suppressClose ?? false });

const SEED = 42;
const RUNS = 5;

const samples: Record<string, fc.Arbitrary<unknown>> = {
  payloadLength: payloadLength(),
  codePoint: codePoint(),
  textPayload: textPayload({ maxLength: 300 }),
  binaryPayload: binaryPayload(),
  message: message(),
  fragmentedMessage: fragmentedMessage(message({ maxLength: 40 })),
  controlFrame: controlFrame(),
  closeCodeValid: closeCode(),
  closeCodeInvalid: closeCode({ validity: 'invalid' }),
  closeBody: closeBody(),
  invalidUtf8: invalidUtf8(),
  frameChop: frameChop(),
  corruptionServer: corruption({ peerRole: 'server' }),
  corruptionClient: corruption({ peerRole: 'client' }),
  choppedStream: choppedStream(fc.array(controlFrame(), { minLength: 1, maxLength: 3 }), { peerRole: 'server' }),
  interleaving: interleaving({ message: { maxLength: 40 } }),
  scenarioServer: scenario({ peerRole: 'server', interleaving: { message: { maxLength: 40 } } }).map(brief),
  scenarioClient: scenario({ peerRole: 'client', interleaving: { message: { maxLength: 40 } } }).map(brief),
};

describe('generated values (seed 42)', () => {
  for (const [name, arb] of Object.entries(samples)) {
    it(name, () => {
      expect(show(fc.sample(arb, { seed: SEED, numRuns: RUNS }))).toMatchSnapshot();
    });
  }
});

/** Run a failing property; return every failing value in the order found (the first failure, then each shrink step). */
function shrinkPath<T>(arb: fc.Arbitrary<T>, fails: (value: T) => boolean, seed: number) {
  const path: unknown[] = [];
  const details = fc.check(
    fc.property(arb, (value) => {
      if (!fails(value)) return true;
      path.push(show(value));
      return false;
    }),
    { seed, numRuns: 1000 },
  );
  expect(details.failed).toBe(true);
  return { counterexamplePath: details.counterexamplePath, numShrinks: details.numShrinks, path };
}

describe('shrink paths', () => {
  it('a fragmentation that splits a character shrinks to a 2-octet character cut in two frames', () => {
    const r = shrinkPath(fragmentedMessage(), (fm) => fm.splitCharacters > 0, 7);
    expect(r).toMatchSnapshot();
    const last = r.path.at(-1) as { message: { payload: string }; fragments: string[] };
    expect(last.fragments).toHaveLength(2);
    // U+0080, the first 2-octet character (an ASCII filler may stay: shrinking is greedy, not exhaustive).
    expect(last.message.payload).toMatch(/^0xc280(2a)?$/);
  });

  it('a stream cut inside a masking key shrinks to one empty text frame and one cut', () => {
    const frames = fc.array(
      fc.oneof(controlFrame(), message({ maxLength: 300 }).map((m): FrameDescription => ({ opcode: m.opcode, payload: m.payload }))),
      { minLength: 1, maxLength: 4 },
    );
    const insideKey = (s: { frames: readonly FrameDescription[]; cuts: readonly number[] }): boolean => {
      // Client-to-server frames: the key follows the 2-octet header and any extended length.
      let at = 0;
      for (const f of s.frames) {
        const ext = f.payload.length > 65535 ? 8 : f.payload.length > 125 ? 2 : 0;
        const key = at + 2 + ext;
        if (s.cuts.some((c) => c > key && c < key + 4)) return true;
        at = key + 4 + f.payload.length;
      }
      return false;
    };
    const r = shrinkPath(choppedStream(frames, { peerRole: 'server' }), insideKey, 11);
    expect(r).toMatchSnapshot();
    const last = r.path.at(-1) as { frames: { payload: string }[]; cuts: number[] };
    expect(last.frames).toEqual([{ opcode: 1, payload: '0x' }]);
    expect(last.cuts).toHaveLength(1);
  });

  it('a scenario with a reserved opcode written in pieces shrinks to that frame alone in a cut stream', () => {
    const r = shrinkPath(
      scenario({ peerRole: 'server' }).map((g) => ({ ...g, brief: brief(g) })),
      (g) => g.label.corruption?.kind === 'reserved-opcode' && g.label.cuts > 0,
      3,
    );
    expect({ ...r, path: r.path.map((v) => (v as { brief: unknown }).brief) }).toMatchSnapshot();
    const last = r.path.at(-1) as { scenario: { steps: { kind: string }[] }; label: { messages: number } };
    expect(last.label.messages).toBe(0);
    expect(last.scenario.steps.map((s) => s.kind)).toEqual(['stream', 'kill-after']);
  });
});
