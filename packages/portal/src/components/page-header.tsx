import { type ReactNode, useEffect, useRef } from 'react';

/** The page's h1, focused when the page opens so a screen reader hears where it is. */
export const PageHeader = ({ title, children }: { title: ReactNode; children?: ReactNode }) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <div className="page-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children && <div className="actions">{children}</div>}
    </div>
  );
};
