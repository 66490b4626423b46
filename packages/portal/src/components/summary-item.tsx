import type { ReactNode } from 'react';

/**
 * One term of a summary list (`<dl className="summary">`) and what it is.
 *
 *   <SummaryItem term="Created"><TimeOf iso={source.created_at} /></SummaryItem>
 */
export const SummaryItem = ({
  term,
  testId,
  children,
}: {
  term: string;
  /** `data-testid` of the description, for a test that reads it whole. */
  testId?: string;
  children: ReactNode;
}) => (
  <>
    <dt>{term}</dt>
    <dd data-testid={testId}>{children}</dd>
  </>
);
