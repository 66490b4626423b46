import { useState } from 'react';

/** Copies a value to the clipboard and says so to screen readers. */
export const CopyButton = ({ value, label = 'Copy' }: { value: string; label?: string }) => {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid('Copied');
    } catch {
      setSaid('Copy refused by the browser: select the text and copy it');
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={copy}>
        {label}
      </button>
      <span className="muted small" aria-live="polite">
        {said}
      </span>
    </>
  );
};
