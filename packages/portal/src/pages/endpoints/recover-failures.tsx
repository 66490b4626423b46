import { type FormEvent, useState } from 'react';
import { DateTimeField, isoOfLocal, localOfIso } from '../../components/datetime-field.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useRecoverFailures } from './endpoint-queries.js';

/** Requeues this endpoint's failed deliveries since a moment (default: a day ago). */
export const RecoverFailures = ({ id }: { id: string }) => {
  const recover = useRecoverFailures(id);
  const [since, setSince] = useState(() => localOfIso(new Date(Date.now() - 86_400_000).toISOString()));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const iso = isoOfLocal(since);
    if (iso) recover.mutate(iso);
  };
  return (
    <section aria-labelledby="recover-title" className="section card">
      <h2 id="recover-title">Recover failures</h2>
      <p className="muted">
        Once the endpoint works again, send it the deliveries that failed since a moment: each starts a fresh
        retry schedule.
      </p>
      <form onSubmit={submit} className="inline-form">
        <DateTimeField label="Failed since" value={since} onChange={setSince} required />
        <button type="submit" className="button" disabled={recover.isPending}>
          {recover.isPending ? 'Recovering…' : 'Recover failures'}
        </button>
      </form>
      {recover.isError && <ErrorNotice error={recover.error} action="Recover" />}
      {recover.data && (
        <p role="status">
          {recover.data.recovered === 0
            ? 'No failed delivery in that period.'
            : `${recover.data.recovered} failed ${recover.data.recovered === 1 ? 'delivery' : 'deliveries'} requeued.`}
        </p>
      )}
    </section>
  );
};
