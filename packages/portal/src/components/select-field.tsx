import { type ReactNode, useId } from 'react';

/**
 * A labelled select of the `<option>`s given as children.
 *
 *   <SelectField label="Encoding" value={encoding} onChange={setEncoding}>
 *     <option value="hex">hex</option>
 *   </SelectField>
 */
export const SelectField = ({
  label,
  value,
  onChange,
  children,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
};
