import { type FormEvent, useId, useState } from 'react';
import { useEventCatalog, useWebhooks } from '../../api/shared-queries.js';
import { DateTimeField } from '../../components/datetime-field.js';
import { type DeliveryFilters, type EventStatus, STATUSES } from './delivery-filters.js';

/** Status, type, endpoint and period; applied together so one request follows each change. */
export const FiltersForm = ({
  value,
  onApply,
}: {
  value: DeliveryFilters;
  onApply: (f: DeliveryFilters) => void;
}) => {
  const [draft, setDraft] = useState<DeliveryFilters>(value);
  const webhooks = useWebhooks();
  const catalog = useEventCatalog();
  const ids = useId();
  const set = (patch: Partial<DeliveryFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter deliveries">
      <div className="field">
        <label htmlFor={`${ids}-status`}>Status</label>
        <select
          id={`${ids}-status`}
          value={draft.status ?? ''}
          onChange={(e) => set({ status: (e.target.value || undefined) as EventStatus | undefined })}
        >
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0) + s.slice(1).toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-type`}>Event type</label>
        <input
          id={`${ids}-type`}
          list={`${ids}-types`}
          value={draft.type ?? ''}
          onChange={(e) => set({ type: e.target.value || undefined })}
        />
        <datalist id={`${ids}-types`}>
          {(catalog.data?.entries ?? []).map((t) => (
            <option key={t.type} value={t.type} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-endpoint`}>Endpoint</label>
        <select
          id={`${ids}-endpoint`}
          value={draft.endpoint ?? ''}
          onChange={(e) => set({ endpoint: e.target.value || undefined })}
        >
          <option value="">Any</option>
          {(webhooks.data ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {w.url}
            </option>
          ))}
        </select>
      </div>
      <DateTimeField
        label="From"
        value={draft.from ?? ''}
        onChange={(from) => set({ from: from || undefined })}
      />
      <DateTimeField label="Until" value={draft.to ?? ''} onChange={(to) => set({ to: to || undefined })} />
      <div className="actions">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
};
