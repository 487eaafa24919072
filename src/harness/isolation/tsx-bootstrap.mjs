// Runs a target worker from wscheck's TypeScript source (its own tests, tsx): a
// worker does not inherit the loader hooks of the thread that starts it, so
// tsx's loader is registered here before the entry is imported.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
