import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { unwrap } from '../../api/failure.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { FailingEndpoints } from './failing-endpoints.js';
import { SeriesTable } from './series-table.js';

const OverTimeCharts = lazy(() => import('./over-time-charts.js'));

const WINDOWS = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
] as const;

const Figure = ({ label, value, note }: { label: string; value: string; note?: string }) => (
  <div className="card figure">
    <dt>{label}</dt>
    <dd>
      <span className="figure-value">{value}</span>
      {note && <span className="muted small"> {note}</span>}
    </dd>
  </div>
);

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v} ms`);

const OverviewPage = () => {
  const api = useApi();
  const [period, setPeriod] = useState<string>('24h');
  const windowId = useId();
  const stats = useQuery({
    queryKey: ['stats', period],
    queryFn: () => unwrap(api.GET('/v1/stats', { params: { query: { window: period } } })),
    refetchInterval: 30_000,
  });
  return (
    <>
      <PageHeader title="Overview">
        <label htmlFor={windowId}>Period</label>
        <select id={windowId} value={period} onChange={(e) => setPeriod(e.target.value)}>
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
      </PageHeader>
      {stats.isPending && <Loading what="Reading the figures" />}
      {stats.isError && <ErrorNotice error={stats.error} />}
      {stats.data && (
        <>
          <dl className="figures">
            <Figure
              label="Success rate"
              value={
                stats.data.success_rate === null ? '–' : `${(stats.data.success_rate * 100).toFixed(1)}%`
              }
              note={stats.data.success_rate === null ? 'no attempts yet' : 'of attempts'}
            />
            <Figure label="Events" value={String(stats.data.total)} note="sent" />
            <Figure
              label="Attempts"
              value={String(stats.data.attempts.total)}
              note={`${stats.data.attempts.failed} failed`}
            />
            <Figure
              label="Deliveries"
              value={String(stats.data.deliveries.delivered)}
              note={`delivered, ${stats.data.deliveries.exhausted} retries spent`}
            />
            <Figure label="Latency p50" value={ms(stats.data.attempt_latency_ms.p50)} />
            <Figure label="Latency p95" value={ms(stats.data.attempt_latency_ms.p95)} />
          </dl>
          <section aria-labelledby="over-time-title" className="section">
            <h2 id="over-time-title">Over time</h2>
            {stats.data.attempts.total > 0 ? (
              <>
                <Suspense fallback={<Loading what="Drawing the charts" />}>
                  <OverTimeCharts series={stats.data.series} />
                </Suspense>
                <SeriesTable series={stats.data.series} />
              </>
            ) : (
              <p className="muted">No delivery was attempted in this period.</p>
            )}
          </section>
          <FailingEndpoints failing={stats.data.failing_endpoints} />
        </>
      )}
    </>
  );
};

export default OverviewPage;
