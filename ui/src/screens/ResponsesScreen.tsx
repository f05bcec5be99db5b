import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, listAll, postStream } from '../api/client.js';
import type { Conversation, MessageItem, ResponseItem, ResponseObject } from '../api/response-types.js';
import { getRememberedThreads, rememberThread } from '../api/settings.js';
import type { ApiList, Assistant, Run } from '../api/types.js';
import { ChatModeSwitch } from '../components/ChatModeSwitch.js';
import { Composer } from '../components/Composer.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ResponseItemView } from '../components/ResponseItemView.js';
import { ResponseSetupPanel } from '../components/ResponseSetupPanel.js';
import { ToolOutputsForm } from '../components/ToolOutputsForm.js';
import { drawnItems, functionOutputs, pendingFunctionCalls } from '../lib/response-items.js';
import { includeQuery, loadSetup, saveSetup, setupRequest, type ResponseSetup } from '../lib/response-setup.js';
import { applyResponseEvent, emptyResponsesChat, TERMINAL_RESPONSE_STATUSES, type ResponsesChatState } from '../lib/response-stream.js';
import { href, navigate } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { useFollowBottom } from '../lib/use-follow-bottom.js';
import { useFollowResponse } from '../lib/use-follow-response.js';

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** The conversation's items (with file search results) and its latest response, which runs as the thread's latest run. */
async function loadConversation(conversationId: string, signal?: AbortSignal): Promise<{ items: ResponseItem[]; latest: Run | null }> {
  const id = encodeURIComponent(conversationId);
  const [items, runs] = await Promise.all([
    listAll<ResponseItem>(`/conversations/${id}/items?order=asc&${includeQuery}`, 1000, signal),
    api.get<ApiList<Run>>(`/threads/${id}/runs?limit=1&order=desc`, signal),
  ]);
  return { items, latest: runs.data[0] ?? null };
}

function statusLine(chat: ResponsesChatState): string | undefined {
  const response = chat.response;
  if (!response || !TERMINAL_RESPONSE_STATUSES.has(response.status)) return undefined;
  if (response.status === 'failed') return `Response failed: ${response.error?.message ?? 'unknown error'}`;
  if (response.status === 'incomplete') return `Response incomplete${response.incomplete_details?.reason ? `: ${response.incomplete_details.reason}` : ''}`;
  const usage = response.usage ? ` · ${response.usage.total_tokens} tokens` : '';
  return `Response ${response.status}${usage}`;
}

/** Chat over a conversation with `POST /v1/responses`, streamed; the conversation is a thread on the Assistants side. */
export function ResponsesScreen({ conversationId: routeId }: { conversationId?: string }) {
  const ids = useId();
  const assistants = useAsync(() => listAll<Assistant>('/assistants?order=desc'), []);
  const [setup, setSetup] = useState<ResponseSetup>(loadSetup);
  const [conversationId, setConversationId] = useState(routeId);
  const [chat, setChat] = useState<ResponsesChatState>(emptyResponsesChat);
  const [latestRun, setLatestRun] = useState<Run | null>(null);
  const [loading, setLoading] = useState(Boolean(routeId));
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const itemList = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const followLatest = useFollowBottom(itemList, bottom);

  const refresh = useCallback(async (id: string, signal?: AbortSignal) => {
    const loaded = await loadConversation(id, signal);
    if (signal?.aborted) return;
    setChat((state) => ({ ...state, items: loaded.items }));
    setLatestRun(loaded.latest);
  }, []);

  useEffect(() => {
    if (!routeId) return;
    const controller = new AbortController();
    setLoading(true);
    refresh(routeId, controller.signal).then(
      () => setLoading(false),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [routeId, refresh]);

  useEffect(() => saveSetup(setup), [setup]);
  useEffect(() => () => abort.current?.abort(), []);

  // A response this page is not streaming (reopened mid-answer, or another client's): its stream, then the conversation as stored.
  const following = useFollowResponse(conversationId, latestRun, !busy && !loading, {
    onEvent: ({ event, data }) => setChat((state) => applyResponseEvent(state, event, data)),
    onSettled: (signal) => refresh(conversationId ?? '', signal),
    onError: setError,
  });

  /** Streams one response on the conversation, then reloads the conversation as stored (ids, outputs, results). */
  const respond = async (id: string, input: unknown) => {
    const request = setupRequest(setup);
    if (!request.ok) throw new Error(request.error);
    const controller = new AbortController();
    abort.current = controller;
    try {
      // In the background, so that Stop can cancel it (a foreground response cannot be cancelled).
      const payload = { ...request.fields, conversation: id, input, background: true };
      await postStream('/responses', payload, ({ event, data }) => setChat((state) => applyResponseEvent(state, event, data)), controller.signal);
    } finally {
      if (abort.current === controller) abort.current = null;
    }
    await refresh(id);
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      if (!isAbort(failure)) setError(failure);
    } finally {
      setBusy(false);
      composer.current?.focus();
    }
  };

  const send = () => {
    const text = input.trim();
    if (!text || busy || following) return;
    const request = setupRequest(setup);
    if (!request.ok) {
      setError(new Error(request.error));
      return;
    }
    void run(async () => {
      let current = conversationId;
      if (!current) {
        const conversation = await api.post<Conversation>('/conversations', {});
        current = conversation.id;
        setConversationId(current);
        rememberThread({ id: current, created_at: conversation.created_at, title: text.slice(0, 80) });
        // Put the conversation in the address bar without remounting this screen.
        window.history.replaceState(null, '', href('responses', current));
      } else {
        rememberThread({ id: current, created_at: Math.floor(Date.now() / 1000) });
      }
      setInput('');
      const sent: MessageItem = { type: 'message', id: `local_${Date.now()}`, role: 'user', status: 'completed', content: [{ type: 'input_text', text }] };
      setChat((state) => ({ ...state, response: null, items: [...state.items, sent] }));
      followLatest();
      await respond(current, text);
    });
  };

  const submitToolOutputs = (outputs: { tool_call_id: string; output: string }[]) => {
    if (!conversationId) return;
    const input = outputs.map((output) => ({ type: 'function_call_output', call_id: output.tool_call_id, output: output.output }));
    const shown: ResponseItem[] = outputs.map((output) => ({ type: 'function_call_output', id: `local_${output.tool_call_id}`, call_id: output.tool_call_id, output: output.output }));
    setChat((state) => ({ ...state, response: null, items: [...state.items, ...shown] }));
    void run(() => respond(conversationId, input));
  };

  const stop = async () => {
    abort.current?.abort();
    const response = chat.response;
    const runningId = response && !TERMINAL_RESPONSE_STATUSES.has(response.status) ? response.id : latestRun?.id;
    if (!runningId) return;
    try {
      const cancelled = await api.post<ResponseObject>(`/responses/${encodeURIComponent(runningId)}/cancel`);
      setChat((state) => ({ ...state, response: cancelled }));
      if (conversationId) await refresh(conversationId);
    } catch (failure) {
      setError(failure);
    }
  };

  const startOver = () => {
    if (routeId) return navigate('responses');
    setConversationId(undefined);
    setChat(emptyResponsesChat);
    setLatestRun(null);
    window.history.replaceState(null, '', href('responses'));
  };

  const pendingCalls = busy ? [] : pendingFunctionCalls(chat.items);
  const outputs = functionOutputs(chat.items);
  const streamingId = busy || following ? chat.items.findLast((item) => item.type === 'message' && item.status === 'in_progress')?.id : undefined;
  const searching = (busy || following) && chat.items.some((item) => item.type === 'file_search_call' && item.status !== 'completed');
  const recent = getRememberedThreads();
  const status = busy ? undefined : statusLine(chat);

  return (
    <section className="screen chat">
      <div className="chat-toolbar">
        <ChatModeSwitch mode="responses" />
        {recent.length > 0 && (
          <div className="field-inline">
            <label htmlFor={`${ids}-conversation`}>Conversation</label>
            <select id={`${ids}-conversation`} value={conversationId ?? ''} onChange={(e) => navigate('responses', ...(e.target.value ? [e.target.value] : []))} disabled={busy}>
              <option value="">New conversation</option>
              {conversationId && !recent.some((t) => t.id === conversationId) && <option value={conversationId}>{conversationId}</option>}
              {recent.map((thread) => (
                <option key={thread.id} value={thread.id}>
                  {thread.title ? `${thread.title.slice(0, 40)} · ` : ''}
                  {thread.id}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" onClick={startOver} disabled={busy}>
          New conversation
        </button>
        {conversationId && (
          <a className="muted small" href={href('threads', conversationId)}>
            <code>{conversationId}</code>
          </a>
        )}
      </div>

      <ErrorBanner error={assistants.error} onRetry={assistants.reload} />
      <ResponseSetupPanel setup={setup} assistants={assistants.data} disabled={busy} onChange={setSetup} />

      <div className="messages" ref={itemList} aria-live="polite" aria-busy={busy}>
        {loading && <p className="muted">Loading conversation…</p>}
        {!loading && chat.items.length === 0 && <p className="empty">Send a message to start a new conversation.</p>}
        {drawnItems(chat.items).map((item) => (
          <ResponseItemView key={item.id} item={item} conversationId={conversationId ?? ''} outputs={outputs} streaming={item.id === streamingId} onError={setError} />
        ))}
        {busy && !streamingId && <p className="typing-line">{searching ? 'Running file_search…' : 'Thinking…'}</p>}
        {following && !streamingId && <p className="typing-line">A response is in progress…</p>}
        {pendingCalls.length > 0 && <ToolOutputsForm key={pendingCalls[0]?.id} toolCalls={pendingCalls} busy={busy} onSubmit={submitToolOutputs} />}
        {status && <p className={`run-status run-${chat.response?.status ?? ''}`}>{status}</p>}
        <div ref={bottom} className="scroll-anchor" />
      </div>

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <Composer
        ref={composer}
        value={input}
        onChange={setInput}
        onSend={send}
        onStop={busy || following ? () => void stop() : undefined}
        placeholder="Message the model (Enter to send, Shift+Enter for a new line)"
        locked={pendingCalls.length > 0}
      />
    </section>
  );
}
