/**
 * Runs async tasks one at a time in submission order. LanceDB allows one writer per table version,
 * so concurrent writes from one process would otherwise conflict and retry (or fail).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // A failed task must not poison the queue for the tasks after it.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task submitted so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
