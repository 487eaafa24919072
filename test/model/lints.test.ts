import { describe, expect, it } from 'vitest';
import { INITIAL_CLOSING } from '../../src/model/endpoint.js';
import { lint } from '../../src/model/lints.js';

describe('lints', () => {
  it('flags a close reason padded with NUL octets (code 1002 followed by 41 zero octets, as seen in a published report)', () => {
    const lints = lint({ peerRole: 'server', closing: { ...INITIAL_CLOSING, remoteCloseCode: 1002, remoteCloseReason: new Uint8Array(41) }, peerMaskKeys: [] });
    expect(lints.map((l) => l.id)).toEqual(['close-reason-nul-padding']);
    expect(lints[0]!.message).toContain('41 NUL octets');
  });

  it('does not flag an ordinary reason', () => {
    expect(lint({ peerRole: 'server', closing: { ...INITIAL_CLOSING, remoteCloseCode: 1000, remoteCloseReason: new TextEncoder().encode('bye') }, peerMaskKeys: [] })).toEqual([]);
  });

  it('flags zero and repeated masking keys from a client, not from a server', () => {
    const ids = lint({ peerRole: 'client', closing: INITIAL_CLOSING, peerMaskKeys: [0, 7, 7] }).map((l) => l.id);
    expect(ids).toEqual(['zero-mask-key', 'repeated-mask-key']);
    expect(lint({ peerRole: 'server', closing: INITIAL_CLOSING, peerMaskKeys: [null, null] })).toEqual([]);
  });

  it('flags a server that never closed TCP and non-minimal length encodings', () => {
    const ids = lint({
      peerRole: 'server',
      closing: { ...INITIAL_CLOSING, wasServerConnectionDropTimeout: true },
      peerMaskKeys: [],
      peerLengths: [{ encoding: 16, length: 5 }, { encoding: 7, length: 5 }],
    }).map((l) => l.id);
    expect(ids).toEqual(['server-never-closed-tcp', 'non-minimal-length']);
  });
});
