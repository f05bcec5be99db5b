import { listAll } from '../api/client.js';
import type { ResponseItem } from '../api/response-types.js';
import { drawnItems, functionOutputs } from '../lib/response-items.js';
import { includeQuery } from '../lib/response-setup.js';
import { useAsync } from '../lib/use-async.js';
import { AsyncList } from './AsyncList.js';
import { ResponseItemView } from './ResponseItemView.js';

/** A thread as the Conversations API shows it: its messages and tool calls as items, in order. */
export function ConversationItems({ conversationId, version, onError }: { conversationId: string; version: number; onError: (error: unknown) => void }) {
  const items = useAsync(
    () => listAll<ResponseItem>(`/conversations/${encodeURIComponent(conversationId)}/items?order=asc&${includeQuery}`, 1000),
    [conversationId, version],
  );
  const outputs = functionOutputs(items.data ?? []);
  return (
    <AsyncList state={items} items={items.data} empty="No items.">
      {(loaded) => (
        <div className="messages static">
          {drawnItems(loaded).map((item) => (
            <ResponseItemView key={item.id} item={item} conversationId={conversationId} outputs={outputs} onError={onError} />
          ))}
        </div>
      )}
    </AsyncList>
  );
}
