import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SeriesPoint } from './stats-types.js';

const hour = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const label = (iso: string) => hour.format(new Date(iso));
const percent = (v: number) => `${Math.round(v * 100)}%`;

const axis = { stroke: 'var(--muted)', fontSize: 12 } as const;

/** Per bucket: success rate of attempts, deliveries ended, attempt latency; recharts, in its own chunk. */
const OverTimeCharts = ({ series }: { series: readonly SeriesPoint[] }) => {
  const rows = series.map((p) => ({
    ...p,
    at: label(p.start),
    rate: p.attempts > 0 ? p.succeeded / p.attempts : null,
  }));
  return (
    <div className="charts">
      <figure className="card chart">
        <figcaption>Success rate of attempts</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="at" tick={axis} minTickGap={24} />
            <YAxis domain={[0, 1]} tickFormatter={percent} tick={axis} width={48} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? percent(v) : String(v))} />
            <Line type="monotone" dataKey="rate" name="Success rate" stroke="var(--good)" dot={{ r: 2 }} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="card chart">
        <figcaption>Deliveries over time</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="at" tick={axis} minTickGap={24} />
            <YAxis allowDecimals={false} tick={axis} width={48} />
            <Tooltip />
            <Legend />
            <Bar dataKey="delivered" name="Delivered" stackId="a" fill="var(--good)" />
            <Bar dataKey="exhausted" name="Retries spent" stackId="a" fill="var(--bad)" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="card chart">
        <figcaption>Attempt latency (ms)</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="at" tick={axis} minTickGap={24} />
            <YAxis tick={axis} width={48} />
            <Tooltip />
            <Legend />
            <Line type="monotone" dataKey="p50_ms" name="p50" stroke="var(--accent-ink)" dot={{ r: 2 }} />
            <Line type="monotone" dataKey="p95_ms" name="p95" stroke="var(--wait)" dot={{ r: 2 }} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
};

export default OverTimeCharts;
