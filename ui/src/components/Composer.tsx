import { forwardRef, useId, type KeyboardEvent } from 'react';

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  /** Shows Stop instead of Send while an answer is coming. */
  onStop?: () => void;
  placeholder: string;
  /** The text box is read-only (e.g. while a tool-output form waits). */
  locked: boolean;
}

/** The chat's message box: Enter sends, Shift+Enter is a newline; Stop replaces Send while an answer comes. */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer({ value, onChange, onSend, onStop, placeholder, locked }, ref) {
  const ids = useId();
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Never send while an IME (Korean, Japanese…) is composing.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      onSend();
    }
  };
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        onSend();
      }}
    >
      <label htmlFor={`${ids}-input`} className="visually-hidden">
        Message
      </label>
      <textarea id={`${ids}-input`} ref={ref} rows={2} value={value} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} onKeyDown={onKeyDown} disabled={locked} />
      {onStop ? (
        <button type="button" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" className="primary" disabled={!value.trim() || locked}>
          Send
        </button>
      )}
    </form>
  );
});
