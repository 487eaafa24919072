/**
 * Jazzer.js calls a synchronous target from inside libFuzzer's loop, and
 * control never returns to Node's event loop for the whole session, so
 * callbacks queued with `process.nextTick` never run. node:zlib queues one
 * for every stream it destroys — its 'close' event, after 'error' when zlib
 * failed — and the queue holds the stream alive, with the 16 KiB output
 * buffer of a one-shot `inflateRawSync` that met invalid data. No garbage
 * collection can free them: the `deflate` target grew by about 20 KB a run
 * (810 MB after 30 000 runs) and slowed to a sixth of its speed as the heap
 * filled (docs/fuzzing.md). Running the queue after each input keeps memory
 * flat.
 */

type TickingProcess = NodeJS.Process & { _tickCallback?: () => void };

/**
 * Run the callbacks queued with `process.nextTick` (and the microtasks) now.
 * `process._tickCallback` is what Node runs after every native callback; it
 * is undocumented, so where it is missing this does nothing.
 */
export function runQueuedTicks(): void {
  (process as TickingProcess)._tickCallback?.();
}
