import type { RunBusMessage, RunSubscription } from "./run-event-bus.js";

class QueueSubscription implements RunSubscription {
  private readonly buffered: RunBusMessage[] = [];
  private waiting: ((result: IteratorResult<RunBusMessage>) => void) | undefined;
  private closed = false;

  constructor(private readonly onClose: () => void) {}

  push(message: RunBusMessage): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: message, done: false });
    } else {
      this.buffered.push(message);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<RunBusMessage> {
    return {
      next: () => {
        const next = this.buffered.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** This process's subscribers, by run: every bus delivers through one of these. */
export class LocalFanOut {
  private readonly subscribers = new Map<string, Set<QueueSubscription>>();

  constructor(private readonly onLastClosed: (runId: string) => void = () => undefined) {}

  deliver(runId: string, message: RunBusMessage): void {
    for (const subscription of this.subscribers.get(runId) ?? []) subscription.push(message);
  }

  has(runId: string): boolean {
    return this.subscribers.has(runId);
  }

  runIds(): string[] {
    return [...this.subscribers.keys()];
  }

  subscribe(runId: string): RunSubscription {
    const set = this.subscribers.get(runId) ?? new Set<QueueSubscription>();
    this.subscribers.set(runId, set);
    const subscription = new QueueSubscription(() => {
      set.delete(subscription);
      if (set.size === 0 && this.subscribers.get(runId) === set) {
        this.subscribers.delete(runId);
        this.onLastClosed(runId);
      }
    });
    set.add(subscription);
    return subscription;
  }
}
