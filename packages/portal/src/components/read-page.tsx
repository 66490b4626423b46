import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorNotice } from './error-notice.js';
import { Loading } from './loading.js';
import { PageHeader } from './page-header.js';

/**
 * The page of one thing read from the API: "Reading…" while it loads, what went wrong under a
 * plain title when it cannot be read, or the page itself; the crumbs above either.
 *
 *   <ReadPage query={source} reading="Reading the source" title="Source" crumbs={crumbs}>
 *     {(s) => <PageHeader title={s.name} />}
 *   </ReadPage>
 */
export const ReadPage = <T, E>({
  query,
  reading,
  title,
  crumbs,
  children,
}: {
  query: UseQueryResult<T, E>;
  reading: string;
  title: string;
  crumbs: ReactNode;
  children: (data: T) => ReactNode;
}) => {
  if (query.isPending) return <Loading what={reading} />;
  if (query.isError) {
    return (
      <>
        {crumbs}
        <PageHeader title={title} />
        <ErrorNotice error={query.error} />
      </>
    );
  }
  return (
    <>
      {crumbs}
      {children(query.data)}
    </>
  );
};
