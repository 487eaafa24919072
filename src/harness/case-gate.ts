/**
 * Admission of cases to a concurrent run. Most cases share the peer with
 * others; an exclusive case (CaseDefinition.exclusive) has it to itself,
 * because it either loads the peer enough to stall every case beside it
 * (100,000 fragments) or times the peer's answer against a baseline that
 * concurrent cases would distort. Admission is first come, first served: a
 * waiting exclusive case holds back the shared cases that arrive after it,
 * so it cannot be starved.
 */
interface Waiter {
  readonly exclusive: boolean;
  readonly admit: () => void;
}

export class CaseGate {
  #shared = 0;
  #exclusive = false;
  readonly #queue: Waiter[] = [];

  /** Run `work` once admitted; the gate is released however it ends. */
  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await this.#enter(exclusive);
    try {
      return await work();
    } finally {
      this.#leave(exclusive);
    }
  }

  #enter(exclusive: boolean): Promise<void> {
    if (this.#queue.length === 0 && this.#admissible(exclusive)) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push({ exclusive, admit: resolve }));
  }

  #admissible(exclusive: boolean): boolean {
    return !this.#exclusive && (!exclusive || this.#shared === 0);
  }

  #take(exclusive: boolean): void {
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
  }

  #leave(exclusive: boolean): void {
    if (exclusive) this.#exclusive = false;
    else this.#shared--;
    while (this.#queue.length > 0 && this.#admissible(this.#queue[0]!.exclusive)) {
      const next = this.#queue.shift()!;
      this.#take(next.exclusive);
      next.admit();
    }
  }
}
