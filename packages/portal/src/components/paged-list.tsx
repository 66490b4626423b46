import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorNotice } from './error-notice.js';
import { Loading } from './loading.js';
import { MoreButton } from './more-button.js';

/**
 * A cursor-paged list: "Reading…" while the first page loads, what went wrong, what to do when
 * it is empty, or its items (as `children` shows them) and the button for the next page.
 *
 *   <PagedList pages={pages} itemsOf={(p) => p.events} reading="Reading events" empty={<EmptyState … />}>
 *     {(events) => <EventsTable events={events} />}
 *   </PagedList>
 */
export const PagedList = <P, E, Item>({
  pages,
  itemsOf,
  reading,
  empty,
  children,
}: {
  pages: UseInfiniteQueryResult<InfiniteData<P>, E>;
  itemsOf: (page: P) => readonly Item[];
  reading: string;
  empty: ReactNode;
  children: (items: Item[]) => ReactNode;
}) => {
  if (pages.isPending) return <Loading what={reading} />;
  if (pages.isError) return <ErrorNotice error={pages.error} />;
  const items = pages.data.pages.flatMap(itemsOf);
  if (items.length === 0) return empty;
  return (
    <>
      {children(items)}
      <MoreButton
        hasMore={pages.hasNextPage}
        loading={pages.isFetchingNextPage}
        onMore={() => pages.fetchNextPage()}
      />
    </>
  );
};
