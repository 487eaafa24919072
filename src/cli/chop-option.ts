/** `--chop PATTERNS`: the segmentations of a chopped replay, from the command line. */
import { ALL_SEGMENTATIONS, type Segmentation, parseSegmentation, segmentationName } from '../model/segmentation.js';
import { UsageError } from './errors.js';

const KNOWN = '1, header, mask, coalesce, random:SEED or all';

/** The patterns named by a comma-separated list, each once, in the order given (`all`: every one). */
export function parseChopOption(value: string | undefined): Segmentation[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError(`empty --chop list "${value}"; give ${KNOWN}`);
  const out: Segmentation[] = [];
  for (const name of names) {
    let found: readonly Segmentation[];
    if (name === 'all') found = ALL_SEGMENTATIONS;
    else {
      const s = parseSegmentation(name);
      if (s === null) {
        throw new UsageError(
          name === 'random' || name.startsWith('random:')
            ? `--chop ${name}: random needs a seed from 0 to 4294967295, e.g. random:7`
            : `unknown --chop pattern "${name}"; use ${KNOWN}`,
        );
      }
      found = [s];
    }
    for (const s of found) if (!out.some((o) => segmentationName(o) === segmentationName(s))) out.push(s);
  }
  return out;
}
