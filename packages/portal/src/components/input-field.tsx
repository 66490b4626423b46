import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

type InputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/**
 * A labelled input, with the hint under it that screen readers read with it; anything else an
 * input takes (`type`, `required`, `maxLength`, …) is passed on, and `children` (a datalist)
 * follows the input.
 *
 *   <InputField label="Endpoint URL" type="url" required value={url} onChange={setUrl} hint="http or https." />
 */
export const InputField = ({
  label,
  value,
  onChange,
  hint,
  children,
  ...input
}: InputAttributes & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
}) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(hint ? { 'aria-describedby': `${id}-hint` } : {})}
        {...input}
      />
      {children}
      {hint && (
        <p id={`${id}-hint`} className="muted small">
          {hint}
        </p>
      )}
    </div>
  );
};
