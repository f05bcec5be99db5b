import { href } from '../lib/router.js';

/** Chat over a thread with an assistant's runs, or over a conversation with responses: same store, two APIs. */
export function ChatModeSwitch({ mode }: { mode: 'assistants' | 'responses' }) {
  return (
    <nav className="mode-switch" aria-label="Chat mode">
      <a href={href('chat')} aria-current={mode === 'assistants' ? 'page' : undefined}>
        Assistants
      </a>
      <a href={href('responses')} aria-current={mode === 'responses' ? 'page' : undefined}>
        Responses
      </a>
    </nav>
  );
}
