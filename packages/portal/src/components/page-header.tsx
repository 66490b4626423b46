import { type ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * The page's h1. After an in-app navigation it takes the focus, so a screen reader hears where it
 * is; on the page the browser loaded (location key `default`) focus starts at the skip link.
 */
export const PageHeader = ({ title, children }: { title: ReactNode; children?: ReactNode }) => {
  const heading = useRef<HTMLHeadingElement>(null);
  const navigated = useLocation().key !== 'default';
  useEffect(() => {
    if (navigated) heading.current?.focus({ preventScroll: true });
  }, [navigated]);
  return (
    <div className="page-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children && <div className="actions">{children}</div>}
    </div>
  );
};
