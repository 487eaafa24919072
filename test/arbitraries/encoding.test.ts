/**
 * The extension point for per-message extensions (MessageEncoding), exercised
 * with a toy extension that reverses payloads under RSV1: encoded messages
 * still reassemble through the reference decoder with the matching
 * MessageExtension, RSV1 sits on first frames only, RSV1 on a data frame is no
 * longer a corruption, and the extension's own corruptions are drawn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageExtension } from '../../src/codec/extension.js';
import { RSV1 } from '../../src/codec/frame.js';
import { Opcode } from '../../src/codec/opcode.js';
import { violation } from '../../src/codec/violation.js';
import {
  type Corruption,
  type MessageEncoding,
  fragmentFrames,
  fragmentedMessage,
  identityEncoding,
  message,
  scenario,
} from '../../src/arbitraries/index.js';
import { decodeChunks, encodeFor, peerDecoder } from './support/wire.js';

const SEED = 0x7692;
const reversed = (b: Uint8Array): Uint8Array => Uint8Array.from(b).reverse();

/** Codec side: reverses a message whose first frame has RSV1; an empty transformed payload is "corrupt". */
const reverseExtension: MessageExtension = {
  name: 'x-reverse',
  rsvBits: RSV1,
  decodeMessage: (payload, rsv) => (rsv === 0 ? { ok: true, data: payload } : payload.length === 0 ? { ok: false, reason: 'empty' } : { ok: true, data: reversed(payload) }),
  encodeMessage: (data) => ({ payload: reversed(data), rsv: RSV1 }),
};

const extensionCorruption: fc.Arbitrary<Corruption> = fc.constant({
  label: { kind: 'extension-error', rule: violation('extension-error', '', 0).rule, code: 1002, detail: 'empty reversed message', closeLevel: false },
  frames: [{ opcode: Opcode.Binary, rsv: RSV1, payload: new Uint8Array(0) }],
  offender: 0,
});

/** Arbitrary side: reverse (RSV1) or leave as is (RSV 0), as the choice says. */
const reverseEncoding: MessageEncoding<boolean> = {
  name: 'x-reverse',
  rsvBits: RSV1,
  choices: fc.boolean(),
  encode: (m, transform) => (transform && m.payload.length > 0 ? { payload: reversed(m.payload), rsv: RSV1 } : { payload: m.payload, rsv: 0 }),
  corruptions: extensionCorruption,
};

describe('MessageEncoding', () => {
  it('the identity leaves messages alone', () => {
    const m = { opcode: Opcode.Text, payload: new Uint8Array([1, 2]) } as const;
    expect(identityEncoding().encode(m, null)).toEqual({ payload: m.payload, rsv: 0 });
  });

  it('encoded fragmentations reassemble through the decoder running the extension, RSV on the first frame only', () => {
    fc.assert(
      fc.property(fragmentedMessage(message({ types: ['binary'], maxLength: 300 }), { encoding: reverseEncoding }), (fm) => {
        const frames = fragmentFrames(fm);
        expect(frames.slice(1).every((f) => f.rsv === undefined)).toBe(true);
        expect(frames[0]!.rsv ?? 0).toBe(fm.rsv);
        const events = decodeChunks([encodeFor(frames, 'server')], { ...peerDecoder('server'), extensions: [reverseExtension] });
        const messages = events.flatMap((e) => (e.type === 'message' ? [e] : []));
        expect(events.filter((e) => e.type === 'violation')).toEqual([]);
        expect(Array.from(messages[0]!.payload)).toEqual(Array.from(fm.message.payload));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('scenarios keep the extension’s RSV bit out of reserved-rsv data frames, and draw the extension’s corruptions', () => {
    const values = fc.sample(scenario({ peerRole: 'server', corruption: 'always', encoding: reverseEncoding }), { seed: SEED, numRuns: 400 });
    const kinds = new Set(values.map((g) => g.label.corruption!.kind));
    expect(kinds.has('extension-error')).toBe(true);
    expect(kinds.has('reserved-rsv')).toBe(true);
    for (const g of values) {
      const c = g.label.corruption!;
      if (c.kind === 'reserved-rsv' && /on a (text|binary) frame/.test(c.detail)) expect(c.detail).not.toMatch(/RSV bits 4 /);
      // No message goes through the tester's endpoint (it would not apply the extension).
      expect(g.scenario.steps.some((s) => s.kind === 'message')).toBe(false);
    }
  });
});
