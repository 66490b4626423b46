import type { ReactNode } from 'react';
import { InputField } from '../../components/input-field.js';

/**
 * A source's signing secret as typed: the one its provider issued (then required), or empty
 * for one the platform generates.
 */
export const SigningSecretField = ({
  label,
  required,
  value,
  onChange,
  hint,
}: {
  label: string;
  required: boolean;
  value: string;
  onChange: (secret: string) => void;
  hint?: ReactNode;
}) => (
  <InputField
    label={label}
    required={required}
    minLength={8}
    maxLength={512}
    autoComplete="off"
    value={value}
    onChange={onChange}
    hint={hint}
  />
);
