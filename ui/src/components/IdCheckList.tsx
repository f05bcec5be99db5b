import type { ReactNode } from 'react';

interface Props<T extends { id: string }> {
  items: readonly T[] | undefined;
  /** The ids checked, in the order they were checked. */
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  label: (item: T) => ReactNode;
}

/** A checkbox per item (files, vector stores), its id added to or removed from `selected`. */
export function IdCheckList<T extends { id: string }>({ items, selected, onChange, label }: Props<T>) {
  return (
    <div className="check-list">
      {items?.map((item) => (
        <label key={item.id} className="check">
          <input
            type="checkbox"
            checked={selected.includes(item.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, item.id] : selected.filter((id) => id !== item.id))}
          />
          {label(item)}
        </label>
      ))}
    </div>
  );
}

/** A file as the lists show it: its name, then its id. */
export const fileLabel = (file: { id: string; filename: string }) => (
  <>
    {file.filename} <code>{file.id}</code>
  </>
);
