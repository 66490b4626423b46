import { useId } from 'react';
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
}) => {
  const ids = useId();
  return (
    <fieldset className="fieldset">
      <legend>Signature header</legend>
      <div className="field">
        <label htmlFor={`${ids}-header`}>Header name</label>
        <input
          id={`${ids}-header`}
          required
          value={value.header}
          onChange={(e) => onChange({ ...value, header: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-algorithm`}>Algorithm</label>
        <select
          id={`${ids}-algorithm`}
          value={value.algorithm}
          onChange={(e) =>
            onChange({ ...value, algorithm: e.target.value === 'sha512' ? 'sha512' : 'sha256' })
          }
        >
          <option value="sha256">HMAC-SHA256</option>
          <option value="sha512">HMAC-SHA512</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-encoding`}>Encoding</label>
        <select
          id={`${ids}-encoding`}
          value={value.encoding}
          onChange={(e) => onChange({ ...value, encoding: e.target.value === 'base64' ? 'base64' : 'hex' })}
        >
          <option value="hex">hex</option>
          <option value="base64">base64</option>
        </select>
      </div>
      {OPTIONAL.map(([key, label]) => (
        <div className="field" key={key}>
          <label htmlFor={`${ids}-${key}`}>{label}</label>
          <input
            id={`${ids}-${key}`}
            value={value[key] ?? ''}
            onChange={(e) => {
              const { [key]: _old, ...rest } = value;
              onChange(e.target.value ? { ...rest, [key]: e.target.value } : rest);
            }}
          />
        </div>
      ))}
    </fieldset>
  );
};
