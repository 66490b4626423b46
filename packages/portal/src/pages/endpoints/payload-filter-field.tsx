import { useId } from 'react';
import { filterTextProblem } from './form-state.js';

/**
 * The payload filter as JSON text: an EventBridge pattern over `{type, id, data}`. Text that is
 * not a JSON object is pointed out as it is typed; what the API finds wrong with the pattern
 * itself comes back with the save, each problem with its path.
 */
export const PayloadFilterField = ({
  text,
  onChange,
}: {
  text: string;
  onChange: (text: string) => void;
}) => {
  const id = useId();
  const problem = filterTextProblem(text);
  return (
    <div className="field">
      <label htmlFor={`${id}-filter`}>Payload filter</label>
      <textarea
        id={`${id}-filter`}
        rows={5}
        spellCheck={false}
        className="code-input"
        placeholder='{"data": {"amount": [{"numeric": [">", 10000]}], "currency": ["eur"]}}'
        value={text}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-filter-hint${problem ? ` ${id}-filter-problem` : ''}`}
      />
      <p id={`${id}-filter-hint`} className="muted small">
        An EventBridge event pattern over the event as <code>{'{type, id, data}'}</code>: only the events it
        matches are delivered here. Empty: every event of the types above. At most 4 KB.
      </p>
      {problem && (
        <p id={`${id}-filter-problem`} className="field-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
};
