import { type FormEvent, useId, useState } from 'react';
import { useEventCatalog, useWebhooks } from '../../api/shared-queries.js';
import { DateTimeField } from '../../components/datetime-field.js';
import { InputField } from '../../components/input-field.js';
import { SelectField } from '../../components/select-field.js';
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
  const typesId = useId();
  const set = (patch: Partial<DeliveryFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter deliveries">
      <SelectField
        label="Status"
        value={draft.status ?? ''}
        onChange={(status) => set({ status: (status || undefined) as EventStatus | undefined })}
      >
        <option value="">Any</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s.charAt(0) + s.slice(1).toLowerCase()}
          </option>
        ))}
      </SelectField>
      <InputField
        label="Event type"
        list={typesId}
        value={draft.type ?? ''}
        onChange={(type) => set({ type: type || undefined })}
      >
        <datalist id={typesId}>
          {(catalog.data?.entries ?? []).map((t) => (
            <option key={t.type} value={t.type} />
          ))}
        </datalist>
      </InputField>
      <SelectField
        label="Endpoint"
        value={draft.endpoint ?? ''}
        onChange={(endpoint) => set({ endpoint: endpoint || undefined })}
      >
        <option value="">Any</option>
        {(webhooks.data ?? []).map((w) => (
          <option key={w.id} value={w.id}>
            {w.url}
          </option>
        ))}
      </SelectField>
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
