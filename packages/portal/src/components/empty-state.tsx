import type { ReactNode } from 'react';

/** An empty list that says what to do next. */
export const EmptyState = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="empty">
    <p className="empty-title">{title}</p>
    {children && <div className="muted">{children}</div>}
  </div>
);
