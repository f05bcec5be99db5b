/**
 * Wake-up signals between processes (and within one): "runs are waiting", "a run's events were
 * appended". A notification carries a short payload, never data: readers fetch the data themselves, so a
 * missed notification only delays them until their next sweep. Implementations: in-process, Postgres
 * LISTEN/NOTIFY.
 */
export interface Notifications {
  /** Reaches every listener on `channel`, in this process and in the others. */
  notify(channel: string, payload: string): Promise<void>;
  listen(channel: string, handler: (payload: string) => void): void;
  /** `handler` runs after the connection that listens was lost and is back: notifications may have been missed. */
  onReconnect(handler: () => void): void;
  close(): Promise<void>;
}
