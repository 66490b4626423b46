import { ScrollRegion } from './scroll-region.js';

/** A payload, pretty-printed (text as it is) in a scroll box that the keyboard can reach. */
export const JsonBlock = ({ value, label }: { value: unknown; label: string }) => {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'undefined');
  } catch {
    text = String(value);
  }
  return (
    <ScrollRegion label={label} className="code">
      <pre>{text}</pre>
    </ScrollRegion>
  );
};
