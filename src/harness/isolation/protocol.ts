/** Messages between the tester's thread and a target's worker thread. */
import type { TargetOptions } from '../targets/target.js';

export interface TargetWorkerData {
  readonly role: 'server' | 'client';
  readonly name: string;
  /** How to start it (plain data: it crosses to the worker). */
  readonly options?: TargetOptions;
}

export type ToWorker = { readonly type: 'connect'; readonly id: number; readonly url: string } | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'started'; readonly url: string | null }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'connected-and-ended'; readonly id: number }
  | { readonly type: 'closed' };
