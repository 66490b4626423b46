import { InputField } from './input-field.js';

/** `2026-06-30T12:00` (a datetime-local input, the reader's zone) as an ISO instant, or undefined. */
export const isoOfLocal = (value: string): string | undefined => {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** An ISO instant as a datetime-local input's value, in the reader's zone. */
export const localOfIso = (iso: string | undefined): string => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};

/** A moment, typed in the reader's zone (`isoOfLocal` turns the value into an instant). */
export const DateTimeField = ({
  label,
  value,
  onChange,
  required,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) => (
  <InputField label={label} type="datetime-local" value={value} required={required} onChange={onChange} />
);
