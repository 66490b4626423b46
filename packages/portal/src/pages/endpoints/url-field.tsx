import type { ReactNode } from 'react';
import { InputField } from '../../components/input-field.js';

/** A required http(s) address, as long as the API takes one (2,048 characters). */
export const UrlField = ({
  label,
  placeholder,
  value,
  onChange,
  hint,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (url: string) => void;
  hint?: ReactNode;
}) => (
  <InputField
    label={label}
    type="url"
    required
    maxLength={2048}
    placeholder={placeholder}
    value={value}
    onChange={onChange}
    hint={hint}
  />
);
