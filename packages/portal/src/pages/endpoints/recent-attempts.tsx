import { PortalLink } from '../../app/links.js';
import { AttemptsTable } from '../../components/attempts-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { useRecentAttempts } from './endpoint-queries.js';

export const RecentAttempts = ({ id }: { id: string }) => {
  const attempts = useRecentAttempts(id);
  return (
    <section aria-labelledby="attempts-title" className="section">
      <h2 id="attempts-title">Recent attempts</h2>
      {attempts.isPending && <Loading what="Reading attempts" />}
      {attempts.isError && <ErrorNotice error={attempts.error} />}
      {attempts.data && attempts.data.attempts.length === 0 && (
        <EmptyState title="Nothing delivered here yet">
          Events of the types it receives are delivered as they are sent; a test event above checks the
          endpoint now.
        </EmptyState>
      )}
      {attempts.data && attempts.data.attempts.length > 0 && (
        <>
          <AttemptsTable attempts={attempts.data.attempts} label="Recent attempts" showEvent />
          {attempts.data.has_more && (
            <p>
              <PortalLink to={`/deliveries?endpoint=${id}`}>All of this endpoint's attempts</PortalLink>
            </p>
          )}
        </>
      )}
    </section>
  );
};
