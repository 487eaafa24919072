/**
 * A `builtin:` target in a worker thread of its own. In the tester's thread
 * the target would share one event loop with the tester: the peer's work
 * (framing, echoing, its zlib callbacks) would delay the tester's reads and
 * timers, which would then measure the peer and the tester together, and one
 * CPU core would carry both. In its own thread the target runs on the other
 * core, and a target that blocks its event loop (as a broken one may) stalls
 * only itself. The target is the same module, loaded in the worker.
 */
import { Worker } from 'node:worker_threads';
import type { ClientUnderTest, ServerUnderTest, TargetOptions } from '../targets/target.js';
import type { FromWorker, TargetWorkerData, ToWorker } from './protocol.js';

/**
 * A worker running the entry next to this module: compiled JS; or, when
 * wscheck runs from its TypeScript source (its own tests, tsx), a bootstrap
 * (tsx-bootstrap.mjs) that registers tsx's loader in the worker first.
 */
function startWorker(data: TargetWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker-entry.js', import.meta.url), { workerData: data });
  const entry = new URL('./worker-entry.ts', import.meta.url).href;
  return new Worker(new URL('./tsx-bootstrap.mjs', import.meta.url), { workerData: { ...data, entry } });
}

class TargetWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, () => void>();
  private nextId = 1;
  private closed: Promise<void> | null = null;
  private exited = false;

  constructor(data: TargetWorkerData) {
    this.worker = startWorker(data);
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'connected-and-ended') {
        this.pending.get(m.id)?.();
        this.pending.delete(m.id);
      }
    });
    this.worker.once('exit', () => {
      this.exited = true;
      // A client whose worker is gone will not connect any more; its cases end as not run.
      for (const done of this.pending.values()) done();
      this.pending.clear();
    });
  }

  started(): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'started') {
          this.worker.off('message', onMessage);
          this.worker.off('error', reject);
          resolve(m.url);
        } else if (m.type === 'start-failed') {
          this.worker.off('message', onMessage);
          void this.worker.terminate();
          reject(new Error(m.message));
        }
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
  }

  connect(url: string): Promise<void> {
    if (this.exited) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ type: 'connect', id, url } satisfies ToWorker);
    });
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      // A target that does not close within a second is stopped with its thread.
      const force = setTimeout(() => void this.worker.terminate(), 1000);
      this.worker.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'closed') void this.worker.terminate();
      });
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
    return this.closed;
  }
}

/** Start the server target `builtin:NAME` in a worker thread. */
export async function startIsolatedServer(name: string, options: TargetOptions = {}): Promise<ServerUnderTest> {
  const w = new TargetWorker({ role: 'server', name, options });
  const url = await w.started();
  if (url === null) throw new Error(`server target "${name}" reported no URL`);
  return { url, close: () => w.close() };
}

/** Start the client target `builtin:NAME` in a worker thread. */
export async function startIsolatedClient(name: string, options: TargetOptions = {}): Promise<ClientUnderTest> {
  const w = new TargetWorker({ role: 'client', name, options });
  await w.started();
  return { connect: (url) => w.connect(url), close: () => w.close() };
}
