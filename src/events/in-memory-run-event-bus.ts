import type { RunBusMessage, RunEventBus, RunSubscription } from "./run-event-bus.js";

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

export function createInMemoryRunEventBus(): RunEventBus {
  const subscribers = new Map<string, Set<QueueSubscription>>();
  return {
    publish(runId, message) {
      for (const subscription of subscribers.get(runId) ?? []) subscription.push(message);
    },
    subscribe(runId) {
      const set = subscribers.get(runId) ?? new Set<QueueSubscription>();
      subscribers.set(runId, set);
      const subscription = new QueueSubscription(() => {
        set.delete(subscription);
        if (set.size === 0) subscribers.delete(runId);
      });
      set.add(subscription);
      return subscription;
    },
  };
}
