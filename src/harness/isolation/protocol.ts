/** Messages between the tester's thread and a target's worker thread. */

export interface TargetWorkerData {
  readonly role: 'server' | 'client';
  readonly name: string;
}

export type ToWorker = { readonly type: 'connect'; readonly id: number; readonly url: string } | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'started'; readonly url: string | null }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'connected-and-ended'; readonly id: number }
  | { readonly type: 'closed' };
