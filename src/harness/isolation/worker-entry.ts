/**
 * The worker thread that runs one `builtin:` target (see isolated-target.ts):
 * start it, report its URL, serve connect requests, close on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { clientTarget, serverTarget } from '../targets/registry.js';
import type { ClientUnderTest, ServerUnderTest } from '../targets/target.js';
import type { FromWorker, TargetWorkerData, ToWorker } from './protocol.js';

const port = parentPort!;
const data = workerData as TargetWorkerData;
const post = (m: FromWorker): void => port.postMessage(m);

async function main(): Promise<void> {
  let running: ServerUnderTest | ClientUnderTest;
  try {
    const factory = data.role === 'server' ? serverTarget(data.name) : clientTarget(data.name);
    if (factory === undefined) throw new Error(`no ${data.role} target named "${data.name}"`);
    running = await factory.start(data.options);
  } catch (e) {
    post({ type: 'start-failed', message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'connect') {
      void (running as ClientUnderTest).connect(m.url).then(() => post({ type: 'connected-and-ended', id: m.id }));
    } else {
      void running.close().finally(() => {
        post({ type: 'closed' });
        port.close();
      });
    }
  });
  post({ type: 'started', url: 'url' in running ? running.url : null });
}

void main();
