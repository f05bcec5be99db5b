import { api } from '../api/client.js';

interface DeleteOptions {
  /** Asked with `window.confirm` first; nothing is deleted unless the user agrees. */
  confirm?: string;
  onDeleted: () => void;
  onError: (failure: unknown) => void;
}

/** `DELETE`s `path` (after an optional confirmation), then calls `onDeleted`, or `onError` with the failure. */
export async function deleteResource(path: string, { confirm, onDeleted, onError }: DeleteOptions): Promise<void> {
  if (confirm !== undefined && !window.confirm(confirm)) return;
  try {
    await api.delete(path);
    onDeleted();
  } catch (failure) {
    onError(failure);
  }
}
