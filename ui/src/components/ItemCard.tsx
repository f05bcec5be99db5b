import type { ReactNode } from 'react';

interface Props {
  href: string;
  title: ReactNode;
  meta: ReactNode;
  /** More of the item's main part, under the meta line. */
  children?: ReactNode;
  /** Button-styled links before the Delete button. */
  links?: readonly { label: string; href: string }[];
  onDelete?: () => void;
}

/** One `.card-list` entry: a linked title, a meta line, and its actions (links, then Delete). */
export function ItemCard({ href, title, meta, children, links = [], onDelete }: Props) {
  return (
    <li className="card item">
      <div className="item-main">
        <a className="item-title" href={href}>
          {title}
        </a>
        <div className="item-meta">{meta}</div>
        {children}
      </div>
      {(links.length > 0 || onDelete) && (
        <div className="item-actions">
          {links.map((link) => (
            <a key={link.label} className="button" href={link.href}>
              {link.label}
            </a>
          ))}
          {onDelete && (
            <button type="button" className="danger" onClick={onDelete}>
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}
