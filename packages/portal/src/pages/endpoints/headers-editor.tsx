import { useId } from 'react';
import type { HeaderRow } from './form-state.js';

/** Custom headers as name/value rows; stored values come back masked and are kept unless retyped. */
export const HeadersEditor = ({
  rows,
  onChange,
}: {
  rows: readonly HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
}) => {
  const set = (key: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const base = useId();
  const nextKey = rows.reduce((max, r) => Math.max(max, r.key + 1), 0);
  return (
    <fieldset className="fieldset">
      <legend>Custom headers</legend>
      <p className="muted small">
        Sent on every delivery. Stored values are shown masked; leave one as it is to keep it.
      </p>
      {rows.map((row, i) => (
        <div className="inline-form" key={row.key}>
          <div className="field">
            <label htmlFor={`${base}-name-${row.key}`}>Header {i + 1} name</label>
            <input
              id={`${base}-name-${row.key}`}
              value={row.name}
              onChange={(e) => set(row.key, { name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${base}-value-${row.key}`}>Header {i + 1} value</label>
            <input
              id={`${base}-value-${row.key}`}
              value={row.value}
              autoComplete="off"
              onChange={(e) => set(row.key, { value: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="button"
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
          >
            Remove header {i + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button"
        onClick={() => onChange([...rows, { key: nextKey, name: '', value: '' }])}
      >
        Add header
      </button>
    </fieldset>
  );
};
