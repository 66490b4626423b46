import { type CatalogEntry, useEventCatalog } from '../../api/shared-queries.js';
import { PortalLink } from '../../app/links.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JsonBlock } from '../../components/json-block.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { TimeOf } from '../../components/time-of.js';

const Example = ({ entry }: { entry: CatalogEntry }) =>
  entry.hasExample ? (
    <JsonBlock value={entry.example} label={`Example payload of ${entry.type}`} />
  ) : (
    <p className="muted small">
      Its payload is too large to keep as an example:{' '}
      <PortalLink to={`/deliveries/${encodeURIComponent(entry.exampleEventId)}`}>open the event</PortalLink>.
    </p>
  );

const CatalogCard = ({ entry }: { entry: CatalogEntry }) => (
  <article className="card" aria-labelledby={`type-${entry.type}`}>
    <h2 id={`type-${entry.type}`} className="type-name">
      <code>{entry.type}</code>
    </h2>
    <p className="muted small">
      Last sent <TimeOf iso={entry.lastSeenAt} /> ·{' '}
      <PortalLink to={`/deliveries?type=${encodeURIComponent(entry.type)}`}>its deliveries</PortalLink>
    </p>
    <Example entry={entry} />
  </article>
);

const CatalogPage = () => {
  const catalog = useEventCatalog();
  return (
    <>
      <PageHeader title="Event catalog" />
      <p className="muted">
        The event types sent to this account, each with the payload of a recent event as an example. An
        endpoint can receive all of them, some, or a family such as <code>order.*</code>.
      </p>
      {catalog.isPending && <Loading what="Reading the catalog" />}
      {catalog.isError && <ErrorNotice error={catalog.error} />}
      {catalog.data && catalog.data.entries.length === 0 && (
        <EmptyState title="No event sent yet">
          Types appear here once events are sent to the API (<code>POST /v1/events</code>).
        </EmptyState>
      )}
      {catalog.data && catalog.data.entries.length > 0 && (
        <div className="stack">
          {catalog.data.entries.map((entry) => (
            <CatalogCard key={entry.type} entry={entry} />
          ))}
        </div>
      )}
    </>
  );
};

export default CatalogPage;
