import { useId } from 'react';
import type { WebhookInput } from './webhook-types.js';

export type Ordering = NonNullable<WebhookInput['ordering']>;
export type OnExhausted = NonNullable<WebhookInput['on_exhausted']>;

/** Ordered delivery per key, and what a key does once one of its deliveries is exhausted. */
export const OrderingField = ({
  ordering,
  onExhausted,
  onChange,
}: {
  readonly ordering: Ordering;
  readonly onExhausted: OnExhausted;
  readonly onChange: (change: { ordering?: Ordering; onExhausted?: OnExhausted }) => void;
}) => {
  const ids = useId();
  return (
    <div className="field">
      <label htmlFor={`${ids}-ordering`}>Ordering</label>
      <select
        id={`${ids}-ordering`}
        value={ordering}
        onChange={(e) => onChange({ ordering: e.target.value as Ordering })}
        aria-describedby={`${ids}-ordering-hint`}
      >
        <option value="none">None: deliveries may arrive in any order</option>
        <option value="per_key">Per key: events with the same ordering_key one at a time, in order</option>
      </select>
      <p id={`${ids}-ordering-hint`} className="muted small">
        Keys never wait for each other; events without a key are delivered unordered.
      </p>
      {ordering === 'per_key' ? (
        <>
          <label htmlFor={`${ids}-exhausted`}>When a delivery exhausts its retries</label>
          <select
            id={`${ids}-exhausted`}
            value={onExhausted}
            onChange={(e) => onChange({ onExhausted: e.target.value as OnExhausted })}
          >
            <option value="continue">Continue with the key’s next event</option>
            <option value="pause">Pause the key until it is resumed</option>
          </select>
        </>
      ) : null}
    </div>
  );
};
