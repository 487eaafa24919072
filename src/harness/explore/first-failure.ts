/**
 * The first failing item of a sequence, judged several at a time. Items are
 * started in order, up to the free lanes; once one fails, no later item is
 * started, and the answer waits for every earlier item still running. The
 * answer is therefore the first failing item in sequence order, whatever the
 * number of lanes and whatever order the judgements come back in: the same
 * one a one-at-a-time search finds. Both the search over generated scenarios
 * and every round of shrinking are such a sequence.
 */

/** Lanes shared by every search of one exploration: at most `size` judgements at once. */
export class Lanes {
  private busy = 0;
  private readonly waiting = new Set<() => void>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(readonly size: number) {}

  get free(): number {
    return this.size - this.busy;
  }

  /** Start `work` in a lane (the caller checked `free`); `wake` runs whenever any lane frees up. */
  start<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    const p = work().finally(() => {
      this.busy--;
      this.running.delete(p);
      for (const w of [...this.waiting]) w();
    });
    this.running.add(p);
    return p;
  }

  /** Call `fn` whenever a lane frees up, until the returned function is called. */
  onFree(fn: () => void): () => void {
    this.waiting.add(fn);
    return () => this.waiting.delete(fn);
  }

  /** Resolve once nothing runs any more (judgements abandoned by a finished search included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

export interface Found<V, J> {
  /** Position in the sequence. */
  readonly index: number;
  readonly item: V;
  readonly judgement: J;
}

export interface FirstFailureOptions<V, J> {
  readonly lanes: Lanes;
  readonly judge: (item: V, index: number) => Promise<J>;
  readonly failed: (j: J) => boolean;
  /** Checked before each start: true stops starting items (those running still count). */
  readonly stop?: () => boolean;
  /** Every judgement, as it comes back (in completion order). */
  readonly onJudged?: (j: J, index: number, item: V) => void;
}

/** The first item of `items` that `failed`, or null when none did (or starting stopped before one did). */
export function firstFailure<V, J>(items: Iterator<V>, o: FirstFailureOptions<V, J>): Promise<Found<V, J> | null> {
  return new Promise((resolve, reject) => {
    const started: V[] = [];
    const judged: (J | undefined)[] = [];
    let exhausted = false;
    let running = 0;
    /** Items before this index passed. */
    let settled = 0;
    /** Some started item failed: start nothing more. */
    let failureSeen = false;
    let done = false;

    const finish = (value: Found<V, J> | null | Error): void => {
      if (done) return;
      done = true;
      unsubscribe();
      if (value instanceof Error) reject(value);
      else resolve(value);
    };

    const pump = (): void => {
      if (done) return;
      while (settled < started.length && judged[settled] !== undefined) {
        const j = judged[settled]!;
        if (o.failed(j)) return finish({ index: settled, item: started[settled]!, judgement: j });
        settled++;
      }
      while (!failureSeen && !exhausted && o.lanes.free > 0) {
        if (o.stop?.() === true) {
          exhausted = true;
          break;
        }
        let next: IteratorResult<V>;
        try {
          next = items.next();
        } catch (e) {
          return finish(e as Error);
        }
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const index = started.length;
        started.push(next.value);
        judged.push(undefined);
        running++;
        o.lanes
          .start(() => o.judge(next.value, index))
          .then(
            (j) => {
              running--;
              if (done) return;
              judged[index] = j;
              o.onJudged?.(j, index, next.value);
              if (o.failed(j)) failureSeen = true;
              pump();
            },
            (e: unknown) => {
              running--;
              finish(e instanceof Error ? e : new Error(String(e)));
            },
          );
      }
      if ((exhausted || failureSeen) && running === 0 && settled === started.length) finish(null);
    };
    const unsubscribe = o.lanes.onFree(pump);
    pump();
  });
}
