import type { ReactNode } from 'react';

/** A wide table or long text in a box that scrolls; named, and reachable by keyboard so it can scroll. */
export const ScrollRegion = ({
  label,
  className = 'table-wrap',
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
  <section className={className} tabIndex={0} aria-label={label}>
    {children}
  </section>
);
