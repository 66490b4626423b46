import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { MoreButton } from '../../components/more-button.js';
import { PageHeader } from '../../components/page-header.js';
import { type DeliveryFilters, useDeliveryFilters } from './delivery-filters.js';
import { EventsTable } from './events-table.js';
import { FiltersForm } from './filters-form.js';
import { useEventPages } from './list-queries.js';

const nothingFound = (filters: DeliveryFilters) =>
  Object.keys(filters).length > 0 ? (
    <EmptyState title="Nothing matches these filters">Widen the period or clear a filter.</EmptyState>
  ) : (
    <EmptyState title="No event sent yet">
      Events appear here as they are sent to the API (<code>POST /v1/events</code>), with each endpoint's
      attempts.
    </EmptyState>
  );

const EventList = ({ filters }: { filters: DeliveryFilters }) => {
  const pages = useEventPages(filters);
  if (pages.isPending) return <Loading what="Reading events" />;
  if (pages.isError) return <ErrorNotice error={pages.error} />;
  const events = pages.data.pages.flatMap((p) => p.events);
  if (events.length === 0) return nothingFound(filters);
  return (
    <>
      <EventsTable events={events} />
      <MoreButton
        hasMore={pages.hasNextPage}
        loading={pages.isFetchingNextPage}
        onMore={() => pages.fetchNextPage()}
      />
    </>
  );
};

const DeliveriesPage = () => {
  const [filters, apply] = useDeliveryFilters();
  return (
    <>
      <PageHeader title="Deliveries" />
      <FiltersForm key={JSON.stringify(filters)} value={filters} onApply={apply} />
      <EventList filters={filters} />
    </>
  );
};

export default DeliveriesPage;
