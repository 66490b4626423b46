import { useId } from 'react';
import { JsonBlock } from './json-block.js';

/** A page's section that shows one payload under its heading (`label` names the scroll box). */
export const JsonSection = ({ title, value, label }: { title: string; value: unknown; label: string }) => {
  const titleId = useId();
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <JsonBlock value={value} label={label} />
    </section>
  );
};
