import { OPERATIONAL_EVENT_TYPES } from '@hookrelay/domain/models';
import { useId, useState } from 'react';
import { useEventCatalog } from '../../api/shared-queries.js';

const toggle = (list: readonly string[], item: string, on: boolean): string[] =>
  on ? [...new Set([...list, item])] : list.filter((x) => x !== item);

/** `order.created`, `order.paid` → `order.*`: a pattern for each family of types in the catalog. */
const familiesOf = (types: readonly string[]): string[] => {
  const prefixes = types
    .map((t) => t.lastIndexOf('.'))
    .flatMap((at, i) => (at > 0 ? [types[i]?.slice(0, at)] : []));
  return [...new Set(prefixes)].filter((p): p is string => !!p).map((p) => `${p}.*`);
};

const Checkbox = ({
  value,
  checked,
  onChange,
}: {
  value: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) => (
  <label className="check">
    <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
    <code>{value}</code>
  </label>
);

/**
 * A type or pattern not in the list yet, typed and added (Enter adds it too). What is typed is
 * kept by the picker, so it is still there after a switch to every type and back.
 */
const AnotherType = ({
  typed,
  setTyped,
  onAdd,
}: {
  typed: string;
  setTyped: (typed: string) => void;
  onAdd: (type: string) => void;
}) => {
  const id = useId();
  const add = () => {
    const value = typed.trim();
    if (value) onAdd(value);
    setTyped('');
  };
  return (
    <div className="inline-form">
      <div className="field">
        <label htmlFor={id}>Another type or pattern</label>
        <input
          id={id}
          value={typed}
          placeholder="invoice.paid or invoice.*"
          pattern="[A-Za-z0-9._:\-]{0,127}\*?"
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
      </div>
      <button type="button" className="button" onClick={add}>
        Add type
      </button>
    </div>
  );
};

interface PickerProps {
  readonly allTypes: boolean;
  readonly types: readonly string[];
  readonly operational: readonly string[];
  readonly onChange: (next: { allTypes?: boolean; types?: string[]; operational?: string[] }) => void;
}

/** The types to choose from (the catalog's, a pattern for each family, those chosen already). */
const ChosenTypes = ({
  options,
  types,
  onChange,
  typed,
  setTyped,
}: Pick<PickerProps, 'types' | 'onChange'> & {
  options: readonly string[];
  typed: string;
  setTyped: (typed: string) => void;
}) => (
  <div className="picker">
    {options.length === 0 && (
      <p className="muted small">
        No event sent yet: type the names you will send, or a pattern such as order.*
      </p>
    )}
    {options.map((t) => (
      <Checkbox
        key={t}
        value={t}
        checked={types.includes(t)}
        onChange={(on) => onChange({ types: toggle(types, t, on) })}
      />
    ))}
    <AnotherType
      typed={typed}
      setTyped={setTyped}
      onAdd={(type) => onChange({ types: toggle(types, type, true), allTypes: false })}
    />
  </div>
);

/** The platform's own events about the endpoint, each chosen by name. */
const OperationalEvents = ({ operational, onChange }: Pick<PickerProps, 'operational' | 'onChange'>) => (
  <fieldset className="fieldset">
    <legend>Operational events</legend>
    <p className="muted small">The platform's own notices about this endpoint, delivered to it if chosen.</p>
    {OPERATIONAL_EVENT_TYPES.map((t) => (
      <Checkbox
        key={t}
        value={t}
        checked={operational.includes(t)}
        onChange={(on) => onChange({ operational: toggle(operational, t, on) })}
      />
    ))}
  </fieldset>
);

/** Which events the endpoint receives: all, or types from the catalog, patterns, or typed ones. */
export const EventTypePicker = ({ allTypes, types, operational, onChange }: PickerProps) => {
  const catalog = useEventCatalog();
  const [typed, setTyped] = useState('');
  const choice = useId();
  const known = (catalog.data?.entries ?? []).map((e) => e.type);
  const options = [...new Set([...known, ...familiesOf(known), ...types])].sort();
  return (
    <>
      <fieldset className="fieldset">
        <legend>Event types</legend>
        <label className="check">
          <input
            type="radio"
            name={choice}
            checked={allTypes}
            onChange={() => onChange({ allTypes: true })}
          />
          Every type you send
        </label>
        <label className="check">
          <input
            type="radio"
            name={choice}
            checked={!allTypes}
            onChange={() => onChange({ allTypes: false })}
          />
          Only the types chosen below
        </label>
        {!allTypes && (
          <ChosenTypes
            options={options}
            types={types}
            onChange={onChange}
            typed={typed}
            setTyped={setTyped}
          />
        )}
      </fieldset>
      <OperationalEvents operational={operational} onChange={onChange} />
    </>
  );
};
