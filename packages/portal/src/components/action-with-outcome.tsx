import type { ReactNode } from 'react';
import { ActionButton } from './action-button.js';
import { ErrorNotice } from './error-notice.js';

/** The part of a TanStack Query mutation (of no variables) that the control reads and starts. */
interface Mutation<Data> {
  readonly isPending: boolean;
  readonly isError: boolean;
  readonly error: unknown;
  readonly data: Data | undefined;
  readonly mutate: () => void;
}

/**
 * A page's main action as an {@link ActionButton}, then what came of it: the API's refusal, or
 * the answer in words, announced. `offered: false` hides the button but keeps the outcome in view.
 *
 *   <ActionWithOutcome mutation={replay} label="Replay" busyLabel="Replaying…" action="Replay"
 *     outcome={(answer) => answer.message} />
 */
export const ActionWithOutcome = <Data,>({
  mutation,
  label,
  busyLabel,
  action,
  offered = true,
  outcome,
}: {
  mutation: Mutation<Data>;
  label: string;
  busyLabel: string;
  /** What the error notice says was refused. */
  action: string;
  offered?: boolean;
  outcome: (data: Data) => ReactNode;
}) => (
  <>
    {offered && (
      <ActionButton
        label={label}
        busyLabel={busyLabel}
        busy={mutation.isPending}
        primary
        onClick={() => mutation.mutate()}
      />
    )}
    {mutation.isError && <ErrorNotice error={mutation.error} action={action} />}
    {mutation.data && <span role="status">{outcome(mutation.data)}</span>}
  </>
);
