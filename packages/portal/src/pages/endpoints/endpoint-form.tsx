import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice.js';
import { EventTypePicker } from './event-type-picker.js';
import { type EndpointFormState, filterTextProblem, formStateOf } from './form-state.js';
import { HeadersEditor } from './headers-editor.js';
import { OrderingField } from './ordering-field.js';
import { PayloadFilterField } from './payload-filter-field.js';
import { VerificationField } from './verification-field.js';
import { SIGNATURE_SCHEMES, type SignatureScheme, type Webhook } from './webhook-types.js';

interface EndpointFormProps {
  readonly webhook?: Webhook;
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly error: unknown;
  readonly onSubmit: (state: EndpointFormState) => void;
  readonly children?: ReactNode;
}

const SCHEME_NAMES = Object.keys(SIGNATURE_SCHEMES) as SignatureScheme[];

/** Every setting of an endpoint, for creating one or changing it. */
export const EndpointForm = ({
  webhook,
  submitLabel,
  pending,
  error,
  onSubmit,
  children,
}: EndpointFormProps) => {
  const [state, setState] = useState<EndpointFormState>(() => formStateOf(webhook));
  const set = (patch: Partial<EndpointFormState>) => setState((s) => ({ ...s, ...patch }));
  const ids = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A filter that is not JSON is shown where it is typed; nothing is sent until it parses.
    if (filterTextProblem(state.filter) === undefined) onSubmit(state);
  };
  return (
    <form onSubmit={submit} className="form" noValidate={false}>
      <div className="field">
        <label htmlFor={`${ids}-url`}>Endpoint URL</label>
        <input
          id={`${ids}-url`}
          type="url"
          required
          maxLength={2048}
          placeholder="https://example.com/webhooks"
          value={state.url}
          onChange={(e) => set({ url: e.target.value })}
          aria-describedby={`${ids}-url-hint`}
        />
        <p id={`${ids}-url-hint`} className="muted small">
          Where each event is POSTed, signed. http or https.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-description`}>Description</label>
        <input
          id={`${ids}-description`}
          maxLength={500}
          value={state.description}
          onChange={(e) => set({ description: e.target.value })}
        />
      </div>
      <EventTypePicker
        allTypes={state.allTypes}
        types={state.types}
        operational={state.operational}
        onChange={(next) => set(next)}
      />
      <PayloadFilterField text={state.filter} onChange={(filter) => set({ filter })} />
      <fieldset className="fieldset">
        <legend>Signatures</legend>
        <p className="muted small">Signature headers on every delivery; at least one.</p>
        {SCHEME_NAMES.map((scheme) => (
          <label key={scheme} className="check">
            <input
              type="checkbox"
              checked={state.schemes.includes(scheme)}
              disabled={state.schemes.length === 1 && state.schemes.includes(scheme)}
              onChange={(e) =>
                set({
                  schemes: e.target.checked
                    ? [...state.schemes, scheme]
                    : state.schemes.filter((s) => s !== scheme),
                })
              }
            />
            {SIGNATURE_SCHEMES[scheme]}
          </label>
        ))}
      </fieldset>
      <HeadersEditor rows={state.headers} onChange={(headers) => set({ headers })} />
      <div className="field">
        <label htmlFor={`${ids}-rate`}>Rate limit (deliveries per second)</label>
        <input
          id={`${ids}-rate`}
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          value={state.rateLimit}
          placeholder="no limit"
          onChange={(e) => set({ rateLimit: e.target.value })}
          aria-describedby={`${ids}-rate-hint`}
        />
        <p id={`${ids}-rate-hint`} className="muted small">
          Over it a delivery waits rather than fails. Empty: no limit.
        </p>
      </div>
      <OrderingField
        ordering={state.ordering}
        onExhausted={state.onExhausted}
        onChange={(change) => set(change)}
      />
      <VerificationField
        checked={state.verification}
        required={state.verificationRequired}
        onChange={(verification) => set({ verification })}
      />
      {!webhook && (
        <label className="check">
          <input type="checkbox" checked={state.active} onChange={(e) => set({ active: e.target.checked })} />
          Start delivering at once
        </label>
      )}
      {error ? <ErrorNotice error={error} action="Save" /> : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
};
