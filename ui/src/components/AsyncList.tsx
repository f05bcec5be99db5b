import type { ReactNode } from 'react';
import type { AsyncState } from '../lib/use-async.js';
import { ErrorBanner } from './ErrorBanner.js';

interface Props<T> {
  /** The load behind the list: its error (with a Retry button), and "Loading…" until the first result. */
  state: Pick<AsyncState<unknown>, 'error' | 'loading' | 'reload'>;
  items: readonly T[] | undefined;
  /** Shown in place of the list when it loaded empty. */
  empty: ReactNode;
  /** Renders the list; called only with at least one item. */
  children: (items: readonly T[]) => ReactNode;
}

/** The states of a loaded list: error banner with Retry, "Loading…", the empty text, or the list itself. */
export function AsyncList<T>({ state, items, empty, children }: Props<T>) {
  return (
    <>
      <ErrorBanner error={state.error} onRetry={state.reload} />
      {state.loading && !items && <p className="muted">Loading…</p>}
      {items?.length === 0 && <p className="empty">{empty}</p>}
      {items && items.length > 0 && children(items)}
    </>
  );
}
