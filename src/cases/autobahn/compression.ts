/**
 * Categories 12 and 13, WebSocket Compression (RFC 7692 permessage-deflate):
 * a thousand round trips of messages cut from a larger document, each echo
 * compared with what was sent, over every combination of message size and
 * fragmentation; 12.x varies the kind of data, 13.x the negotiated
 * parameters (context takeover, window bits). A peer that does not negotiate
 * permessage-deflate gets UNIMPLEMENTED. The documents are wscheck's own
 * (see test-data.ts), of the same kinds and sizes as Autobahn's.
 */
import type { DeflateRequirement, Scenario } from '../../model/scenario.js';
import { closeAfter } from '../steps.js';
import type { CaseDefinition } from '../types.js';
import { type TestDataKind, testData } from './test-data.js';

/** Message size (units: characters of text, octets of binary), frame size after compression (0: whole), seconds. */
const COMBINATIONS: readonly (readonly [number, number, number])[] = [
  [16, 0, 60],
  [64, 0, 60],
  [256, 0, 120],
  [1024, 0, 240],
  [4096, 0, 480],
  [8192, 0, 480],
  [16384, 0, 480],
  [32768, 0, 480],
  [65536, 0, 480],
  [131072, 0, 480],
  [8192, 256, 480],
  [16384, 256, 480],
  [32768, 256, 480],
  [65536, 256, 480],
  [131072, 256, 480],
  [131072, 1024, 480],
  [131072, 4096, 480],
  [131072, 32768, 480],
];

const ACCEPT_WORDS: Record<DeflateRequirement['accept'], string> = {
  accept_deflate: 'the default parameters',
  accept1: 'the default parameters',
  accept2: 'no context takeover on the server side',
  accept3: 'a server window of 9 bits',
  accept4: 'a server window of 15 bits',
  accept5: 'no server context takeover and a 9-bit server window',
  accept6: 'no server context takeover and a 15-bit server window',
  accept7: 'three offers in order of preference (13.5, 13.2, then 12.x parameters)',
};

function cases(category: '12' | '13', sub: number, title: string, kind: TestDataKind, accept: DeflateRequirement['accept']): CaseDefinition[] {
  return COMBINATIONS.map(([length, fragmentSize, seconds], k) => {
    const unit = kind === 'json' || kind === 'html' ? 'characters' : 'octets';
    return {
      id: `${category}.${sub}.${k + 1}`,
      category,
      categoryTitle: category === '12' ? 'WebSocket Compression (different payloads)' : 'WebSocket Compression (different parameters)',
      subcategory: `${category}.${sub}`,
      subcategoryTitle: title,
      description:
        `With permessage-deflate (${ACCEPT_WORDS[accept]}), send 1000 messages of ${length} ${unit} cut from a ${testData(kind).title.toLowerCase()}, ` +
        `each after the previous echo${fragmentSize > 0 ? `, compressed and then sent in frames of ${fragmentSize} octets` : ''}.`,
      expectation: `Every echo has the type and the exact content that was sent, all 1000 within ${seconds} seconds. Without permessage-deflate: UNIMPLEMENTED.`,
      reportTime: true,
      reportCompressionRatio: true,
      scenario: (): Scenario => {
        const data = testData(kind);
        return {
          steps: [{ kind: 'wirelog', enabled: false }, closeAfter(seconds)],
          deflate: { accept },
          perf: {
            kind: 'round-trips',
            binary: !data.text,
            source: { data: data.bytes, length },
            count: 1000,
            timeoutSeconds: seconds,
            compare: 'content',
            ...(fragmentSize > 0 ? { fragmentSize } : {}),
          },
        };
      },
    };
  });
}

const PAYLOADS: readonly [TestDataKind, string][] = [
  ['json', 'Large JSON data file (utf8, 194056 bytes)'],
  ['bitmap', 'Bitmap 512x512 (binary, 263222 bytes)'],
  ['prose', 'Human readable text, German verse and prose (binary, 222218 bytes)'],
  ['html', 'Large HTML file (utf8, 263647 bytes)'],
  ['pdf', 'A larger PDF-like document (binary, 1042328 bytes)'],
];

const PARAMETER_SETS: readonly DeflateRequirement['accept'][] = ['accept1', 'accept2', 'accept3', 'accept4', 'accept5', 'accept6', 'accept7'];

export const compression: readonly CaseDefinition[] = [
  ...PAYLOADS.flatMap(([kind, title], k) => cases('12', k + 1, title, kind, 'accept_deflate')),
  ...PARAMETER_SETS.flatMap((accept, k) => cases('13', k + 1, `Large JSON data file (utf8, 194056 bytes), ${ACCEPT_WORDS[accept]}`, 'json', accept)),
];
