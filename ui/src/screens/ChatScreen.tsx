import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, listAll, postStream } from '../api/client.js';
import { getRememberedThreads, rememberThread } from '../api/settings.js';
import type { ApiList, Assistant, Message, Run, Thread } from '../api/types.js';
import { ChatModeSwitch } from '../components/ChatModeSwitch.js';
import { Composer } from '../components/Composer.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { MessageView } from '../components/MessageView.js';
import { ToolOutputsForm } from '../components/ToolOutputsForm.js';
import { applyStreamEvent, emptyChatState, TERMINAL_RUN_STATUSES, type ChatState } from '../lib/run-stream.js';
import { href, navigate } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';
import { useFollowBottom } from '../lib/use-follow-bottom.js';
import { useFollowRun } from '../lib/use-follow-run.js';

interface Props {
  threadId?: string;
  initialAssistantId?: string;
}

function runSummary(run: Run): string {
  switch (run.status) {
    case 'queued':
    case 'in_progress':
      return 'Running…';
    case 'requires_action':
      return 'Waiting for tool outputs';
    case 'failed':
      return `Run failed: ${run.last_error?.message ?? 'unknown error'}`;
    case 'incomplete':
      return `Run incomplete${run.incomplete_details?.reason ? `: ${run.incomplete_details.reason}` : ''}`;
    default:
      return `Run ${run.status}`;
  }
}

export function ChatScreen({ threadId: routeThreadId, initialAssistantId }: Props) {
  const ids = useId();
  const assistants = useAsync(() => listAll<Assistant>('/assistants?order=desc'), []);
  const [assistantId, setAssistantId] = useState(initialAssistantId ?? '');
  const [threadId, setThreadId] = useState(routeThreadId);
  const [chat, setChat] = useState<ChatState>(emptyChatState);
  const [loadingThread, setLoadingThread] = useState(Boolean(routeThreadId));
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const messageList = useRef<HTMLDivElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);

  // Load an existing thread: its messages and its latest run (to resume a pending tool call).
  useEffect(() => {
    if (!routeThreadId) return;
    let cancelled = false;
    setLoadingThread(true);
    Promise.all([
      listAll<Message>(`/threads/${encodeURIComponent(routeThreadId)}/messages?order=asc`),
      api.get<ApiList<Run>>(`/threads/${encodeURIComponent(routeThreadId)}/runs?limit=1&order=desc`),
    ]).then(
      ([messages, runs]) => {
        if (cancelled) return;
        const run = runs.data[0] ?? null;
        setChat({ messages, run, steps: [] });
        const remembered = getRememberedThreads().find((t) => t.id === routeThreadId);
        setAssistantId((current) => current || run?.assistant_id || remembered?.assistant_id || '');
        setLoadingThread(false);
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(failure);
        setLoadingThread(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [routeThreadId]);

  // Default to the newest assistant once the list arrives.
  useEffect(() => {
    const first = assistants.data?.[0];
    if (first && !routeThreadId) setAssistantId((current) => current || first.id);
  }, [assistants.data, routeThreadId]);

  useEffect(() => () => abort.current?.abort(), []);

  const followLatest = useFollowBottom(messageList, bottom);

  // A run this page is not streaming (the thread was reopened mid-answer, or another client started it):
  // wait for it to settle, then show the thread as it ended up (answer, or the tool-output form).
  const following = useFollowRun(
    threadId,
    chat.run,
    !busy && !loadingThread,
    async (settled, signal) => {
      const messages = await listAll<Message>(`/threads/${encodeURIComponent(settled.thread_id)}/messages?order=asc`, 500, signal);
      if (signal.aborted) return;
      setChat({ messages, run: settled, steps: [] });
      followLatest();
    },
    setError,
  );

  const stream = useCallback(async (path: string, payload: Record<string, unknown>) => {
    const controller = new AbortController();
    abort.current = controller;
    try {
      await postStream(path, payload, ({ event, data }) => setChat((state) => applyStreamEvent(state, event, data)), controller.signal);
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  }, []);

  const send = async () => {
    const text = input.trim();
    if (!text || busy || following) return;
    if (!assistantId) {
      setError(new Error('Choose an assistant first (or create one on the Assistants screen).'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let current = threadId;
      if (!current) {
        const thread = await api.post<Thread>('/threads', {});
        current = thread.id;
        setThreadId(current);
        rememberThread({ id: current, created_at: thread.created_at, assistant_id: assistantId, title: text.slice(0, 80) });
        // Put the thread in the address bar without remounting this screen.
        window.history.replaceState(null, '', href('chat', current));
      } else {
        rememberThread({ id: current, created_at: Math.floor(Date.now() / 1000), assistant_id: assistantId });
      }
      const message = await api.post<Message>(`/threads/${encodeURIComponent(current)}/messages`, { role: 'user', content: text });
      setInput('');
      setChat((state) => ({ ...state, messages: [...state.messages, message] }));
      followLatest();
      await stream(`/threads/${encodeURIComponent(current)}/runs`, { assistant_id: assistantId });
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
    } finally {
      setBusy(false);
      composer.current?.focus();
    }
  };

  const submitToolOutputs = async (outputs: { tool_call_id: string; output: string }[]) => {
    const run = chat.run;
    if (!run || !threadId) return;
    setBusy(true);
    setError(null);
    try {
      await stream(`/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs`, { tool_outputs: outputs });
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const cancelRun = async () => {
    const run = chat.run;
    abort.current?.abort();
    if (!run || !threadId || TERMINAL_RUN_STATUSES.has(run.status)) return;
    try {
      const cancelled = await api.post<Run>(`/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(run.id)}/cancel`);
      setChat((state) => ({ ...state, run: cancelled }));
    } catch (failure) {
      setError(failure);
    }
  };

  const run = chat.run;
  const pendingCalls = run?.status === 'requires_action' ? (run.required_action?.submit_tool_outputs.tool_calls ?? []) : [];
  const streamingMessageId = busy ? chat.messages.filter((m) => m.role === 'assistant' && m.status === 'in_progress').at(-1)?.id : undefined;
  const runningTools = busy
    ? chat.steps.filter((step) => step.status === 'in_progress' && step.step_details.type === 'tool_calls').flatMap((step) => (step.step_details.type === 'tool_calls' ? step.step_details.tool_calls.map((c) => c.type) : []))
    : [];
  const recent = getRememberedThreads();
  const noAssistants = assistants.data?.length === 0;

  return (
    <section className="screen chat">
      <div className="chat-toolbar">
        <ChatModeSwitch mode="assistants" />
        <div className="field-inline">
          <label htmlFor={`${ids}-assistant`}>Assistant</label>
          <select id={`${ids}-assistant`} value={assistantId} onChange={(e) => setAssistantId(e.target.value)} disabled={busy}>
            {!assistantId && <option value="">Choose…</option>}
            {assistants.data?.map((assistant) => (
              <option key={assistant.id} value={assistant.id}>
                {assistant.name || assistant.id} ({assistant.model})
              </option>
            ))}
            {assistantId && assistants.data && !assistants.data.some((a) => a.id === assistantId) && <option value={assistantId}>{assistantId}</option>}
          </select>
        </div>
        {recent.length > 0 && (
          <div className="field-inline">
            <label htmlFor={`${ids}-thread`}>Thread</label>
            <select id={`${ids}-thread`} value={threadId ?? ''} onChange={(e) => (e.target.value ? navigate('chat', e.target.value) : navigate('chat'))} disabled={busy}>
              <option value="">New thread</option>
              {threadId && !recent.some((t) => t.id === threadId) && <option value={threadId}>{threadId}</option>}
              {recent.map((thread) => (
                <option key={thread.id} value={thread.id}>
                  {thread.title ? `${thread.title.slice(0, 40)} · ` : ''}
                  {thread.id}
                </option>
              ))}
            </select>
          </div>
        )}
        <button
          type="button"
          onClick={() => {
            if (routeThreadId) navigate('chat');
            else {
              setThreadId(undefined);
              setChat(emptyChatState);
              window.history.replaceState(null, '', href('chat'));
            }
          }}
          disabled={busy}
        >
          New thread
        </button>
        {threadId && (
          <a className="muted small" href={href('threads', threadId)}>
            <code>{threadId}</code>
          </a>
        )}
      </div>

      <ErrorBanner error={assistants.error} onRetry={assistants.reload} />
      {noAssistants && (
        <p className="banner banner-info">
          There are no assistants yet. <a href={href('assistants', 'new')}>Create one</a> to start chatting.
        </p>
      )}

      <div className="messages" ref={messageList} aria-live="polite" aria-busy={busy}>
        {loadingThread && <p className="muted">Loading thread…</p>}
        {!loadingThread && chat.messages.length === 0 && <p className="empty">Send a message to start a new thread. 안녕하세요!</p>}
        {chat.messages.map((message) => (
          <MessageView key={message.id} message={message} streaming={message.id === streamingMessageId} onError={setError} />
        ))}
        {busy && !streamingMessageId && run?.status !== 'requires_action' && (chat.messages.at(-1)?.role !== 'assistant' || runningTools.length > 0) && (
          <p className="typing-line">{runningTools.length ? `Running ${runningTools.join(', ')}…` : 'Thinking…'}</p>
        )}
        {pendingCalls.length > 0 && !busy && <ToolOutputsForm key={run?.id} toolCalls={pendingCalls} busy={busy} onSubmit={submitToolOutputs} />}
        {run && threadId && (
          <p className={`run-status run-${run.status}`}>
            {runSummary(run)} · <a href={href('runs', threadId, run.id)}>Inspect run</a>
          </p>
        )}
        <div ref={bottom} className="scroll-anchor" />
      </div>

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <Composer
        ref={composer}
        value={input}
        onChange={setInput}
        onSend={() => void send()}
        onStop={busy || following ? cancelRun : undefined}
        placeholder="Message the assistant (Enter to send, Shift+Enter for a new line)"
        locked={pendingCalls.length > 0 && !busy}
      />
    </section>
  );
}
