import type { Notifications } from "./notifications.js";

/** Notifications within one process (SQLite mode). */
export function createInProcessNotifications(): Notifications {
  const handlers = new Map<string, ((payload: string) => void)[]>();
  return {
    async notify(channel, payload) {
      for (const handler of handlers.get(channel) ?? []) handler(payload);
    },
    listen(channel, handler) {
      handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
    },
    onReconnect: () => undefined,
    close: async () => undefined,
  };
}
