import { EmptyState } from '../../components/empty-state.js';
import { PageHeader } from '../../components/page-header.js';
import { PagedList } from '../../components/paged-list.js';
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
  return (
    <PagedList pages={pages} itemsOf={(p) => p.events} reading="Reading events" empty={nothingFound(filters)}>
      {(events) => <EventsTable events={events} />}
    </PagedList>
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
