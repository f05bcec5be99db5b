import type { ReactNode } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { href, useHashRoute, type Route } from './lib/router.js';
import { AssistantEditor } from './screens/AssistantEditor.js';
import { AssistantsScreen } from './screens/AssistantsScreen.js';
import { ChatScreen } from './screens/ChatScreen.js';
import { FilesScreen } from './screens/FilesScreen.js';
import { ProjectScreen } from './screens/ProjectScreen.js';
import { ProjectsScreen } from './screens/ProjectsScreen.js';
import { ResponsesScreen } from './screens/ResponsesScreen.js';
import { RunInspector } from './screens/RunInspector.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { ThreadScreen } from './screens/ThreadScreen.js';
import { ThreadsScreen } from './screens/ThreadsScreen.js';
import { UsageScreen } from './screens/UsageScreen.js';
import { VectorStoreScreen } from './screens/VectorStoreScreen.js';
import { VectorStoresScreen } from './screens/VectorStoresScreen.js';

const NAV: { section: string; label: string }[] = [
  { section: 'chat', label: 'Chat' },
  { section: 'assistants', label: 'Assistants' },
  { section: 'threads', label: 'Threads' },
  { section: 'files', label: 'Files' },
  { section: 'vector-stores', label: 'Vector stores' },
  { section: 'projects', label: 'Projects' },
  { section: 'usage', label: 'Usage' },
  { section: 'settings', label: 'Settings' },
];

function screenFor(route: Route): ReactNode {
  const [section = 'chat', id, sub] = route.path;
  switch (section) {
    case 'chat':
      return <ChatScreen threadId={id} initialAssistantId={route.query.get('assistant') ?? undefined} />;
    case 'responses':
      return <ResponsesScreen conversationId={id} />;
    case 'assistants':
      return id ? <AssistantEditor assistantId={id === 'new' ? undefined : id} /> : <AssistantsScreen />;
    case 'threads':
      return id ? <ThreadScreen threadId={id} /> : <ThreadsScreen />;
    case 'runs':
      return id && sub ? <RunInspector threadId={id} runId={sub} /> : <NotFound />;
    case 'files':
      return <FilesScreen />;
    case 'vector-stores':
      return id ? <VectorStoreScreen vectorStoreId={id} /> : <VectorStoresScreen />;
    case 'projects':
      return id ? <ProjectScreen projectId={id} /> : <ProjectsScreen />;
    case 'usage':
      return <UsageScreen />;
    case 'settings':
      return <SettingsScreen />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <section className="screen">
      <h1>Not found</h1>
      <p>
        There is no such screen. <a href={href('chat')}>Go to chat</a>.
      </p>
    </section>
  );
}

export function App() {
  const route = useHashRoute();
  const section = route.path[0] ?? 'chat';
  const current = section === 'runs' ? 'threads' : section === 'responses' ? 'chat' : section;
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={href('chat')}>
          <span className="brand-dot" aria-hidden="true" />
          Spool
        </a>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.section}>
                <a href={href(item.section)} aria-current={current === item.section ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="content">
        <ErrorBoundary key={route.version}>{screenFor(route)}</ErrorBoundary>
      </main>
    </div>
  );
}
