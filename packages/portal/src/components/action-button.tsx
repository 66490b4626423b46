/**
 * A button that starts a request: it says what it is doing, and cannot be pressed again, until
 * the answer comes.
 *
 *   <ActionButton label="Resend" busyLabel="Resending…" busy={resend.isPending} onClick={() => resend.mutate()} />
 */
export const ActionButton = ({
  label,
  busyLabel,
  busy,
  primary = false,
  onClick,
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  primary?: boolean;
  onClick: () => void;
}) => (
  <button
    type="button"
    className={primary ? 'button button-primary' : 'button'}
    disabled={busy}
    onClick={onClick}
  >
    {busy ? busyLabel : label}
  </button>
);
