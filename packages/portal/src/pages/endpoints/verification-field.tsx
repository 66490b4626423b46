import { useId } from 'react';

interface VerificationFieldProps {
  readonly checked: boolean;
  /** The tenant requires the challenge of every endpoint: shown ticked, and not to be changed. */
  readonly required: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** Whether the endpoint must answer an ownership challenge before it gets anything. */
export const VerificationField = ({ checked, required, onChange }: VerificationFieldProps) => {
  const id = useId();
  return (
    <div className="field">
      <label className="check">
        <input
          type="checkbox"
          checked={checked || required}
          disabled={required}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={`${id}-hint`}
        />
        Require an ownership challenge
      </label>
      <p id={`${id}-hint`} className="muted small">
        {required ? 'Your account requires it of every endpoint. ' : ''}
        The endpoint gets nothing until it answers a signed <code>hookrelay.endpoint.verification</code>{' '}
        request by echoing its challenge, and again after any change of its URL.
      </p>
    </div>
  );
};
