import { type FormEvent, type ReactNode, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice.js';
import { InputField } from '../../components/input-field.js';
import { AuthenticationField } from './authentication-field.js';
import { EventTypePicker } from './event-type-picker.js';
import { type EndpointFormState, filterTextProblem, formStateOf } from './form-state.js';
import { HeadersEditor } from './headers-editor.js';
import { OrderingField } from './ordering-field.js';
import { PayloadFilterField } from './payload-filter-field.js';
import { SignaturesField } from './signatures-field.js';
import { UrlField } from './url-field.js';
import { VerificationField } from './verification-field.js';
import type { Webhook } from './webhook-types.js';

interface FieldsProps {
  readonly state: EndpointFormState;
  readonly set: (patch: Partial<EndpointFormState>) => void;
}

/** Where deliveries go, and which events they carry. */
const TargetFields = ({ state, set }: FieldsProps) => (
  <>
    <UrlField
      label="Endpoint URL"
      placeholder="https://example.com/webhooks"
      value={state.url}
      onChange={(url) => set({ url })}
      hint="Where each event is POSTed, signed. http or https."
    />
    <InputField
      label="Description"
      maxLength={500}
      value={state.description}
      onChange={(description) => set({ description })}
    />
    <EventTypePicker
      allTypes={state.allTypes}
      types={state.types}
      operational={state.operational}
      onChange={(next) => set(next)}
    />
    <PayloadFilterField text={state.filter} onChange={(filter) => set({ filter })} />
  </>
);

/** How each delivery is made: signed, with which headers, how fast, in what order, authenticated. */
const DeliveryFields = ({ state, set, webhook }: FieldsProps & { readonly webhook: Webhook | undefined }) => (
  <>
    <SignaturesField schemes={state.schemes} onChange={(schemes) => set({ schemes })} />
    <HeadersEditor rows={state.headers} onChange={(headers) => set({ headers })} />
    <InputField
      label="Rate limit (deliveries per second)"
      type="number"
      min={1}
      max={1000}
      inputMode="numeric"
      value={state.rateLimit}
      placeholder="no limit"
      onChange={(rateLimit) => set({ rateLimit })}
      hint="Over it a delivery waits rather than fails. Empty: no limit."
    />
    <OrderingField
      ordering={state.ordering}
      onExhausted={state.onExhausted}
      onChange={(change) => set(change)}
    />
    <AuthenticationField
      state={state.authentication}
      certificate={webhook?.tls_client_certificate}
      onChange={(patch) => set({ authentication: { ...state.authentication, ...patch } })}
    />
    <VerificationField
      checked={state.verification}
      required={state.verificationRequired}
      onChange={(verification) => set({ verification })}
    />
  </>
);

interface EndpointFormProps {
  readonly webhook?: Webhook;
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly error: unknown;
  readonly onSubmit: (state: EndpointFormState) => void;
  readonly children?: ReactNode;
}

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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A filter that is not JSON is shown where it is typed; nothing is sent until it parses.
    if (filterTextProblem(state.filter) === undefined) onSubmit(state);
  };
  return (
    <form onSubmit={submit} className="form" noValidate={false}>
      <TargetFields state={state} set={set} />
      <DeliveryFields state={state} set={set} webhook={webhook} />
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
