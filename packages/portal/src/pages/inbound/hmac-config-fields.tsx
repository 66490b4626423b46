import { InputField } from '../../components/input-field.js';
import { SelectField } from '../../components/select-field.js';
import type { SourceInput } from './source-types.js';

export type HmacConfig = NonNullable<SourceInput['config']>;

export const DEFAULT_HMAC: HmacConfig = { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' };

const OPTIONAL = [
  ['prefix', 'Prefix before the signature (e.g. sha256=)'],
  ['id_header', 'Header with the delivery id (deduplication)'],
  ['type_header', 'Header with the event type'],
] as const;

/** How a custom HMAC provider signs: header, algorithm, encoding, and optional extras. */
export const HmacConfigFields = ({
  value,
  onChange,
}: {
  value: HmacConfig;
  onChange: (c: HmacConfig) => void;
}) => (
  <fieldset className="fieldset">
    <legend>Signature header</legend>
    <InputField
      label="Header name"
      required
      value={value.header}
      onChange={(header) => onChange({ ...value, header })}
    />
    <SelectField
      label="Algorithm"
      value={value.algorithm}
      onChange={(algorithm) =>
        onChange({ ...value, algorithm: algorithm === 'sha512' ? 'sha512' : 'sha256' })
      }
    >
      <option value="sha256">HMAC-SHA256</option>
      <option value="sha512">HMAC-SHA512</option>
    </SelectField>
    <SelectField
      label="Encoding"
      value={value.encoding}
      onChange={(encoding) => onChange({ ...value, encoding: encoding === 'base64' ? 'base64' : 'hex' })}
    >
      <option value="hex">hex</option>
      <option value="base64">base64</option>
    </SelectField>
    {OPTIONAL.map(([key, label]) => (
      <InputField
        key={key}
        label={label}
        value={value[key] ?? ''}
        onChange={(typed) => {
          const { [key]: _old, ...rest } = value;
          onChange(typed ? { ...rest, [key]: typed } : rest);
        }}
      />
    ))}
  </fieldset>
);
