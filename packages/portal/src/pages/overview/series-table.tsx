import { ScrollRegion } from '../../components/scroll-region.js';
import { TimeOf } from '../../components/time-of.js';
import type { SeriesPoint } from './stats-types.js';

/** The charts' figures as a table, for screen readers and for reading exact numbers. */
export const SeriesTable = ({ series }: { series: readonly SeriesPoint[] }) => (
  <details className="details">
    <summary>The figures as a table</summary>
    <ScrollRegion label="Figures over time">
      <table>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Attempts</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Failed</th>
            <th scope="col">Delivered</th>
            <th scope="col">Retries spent</th>
            <th scope="col">p50 ms</th>
            <th scope="col">p95 ms</th>
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.start}>
              <td>
                <TimeOf iso={p.start} />
              </td>
              <td>{p.attempts}</td>
              <td>{p.succeeded}</td>
              <td>{p.failed}</td>
              <td>{p.delivered}</td>
              <td>{p.exhausted}</td>
              <td>{p.p50_ms ?? '–'}</td>
              <td>{p.p95_ms ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  </details>
);
