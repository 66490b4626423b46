const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A moment in the reader's time zone, with the exact UTC instant on hover. */
export const TimeOf = ({ iso }: { iso: string | null | undefined }) => {
  if (!iso) return <span className="muted">never</span>;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={date.toISOString()}>
      {format.format(date)}
    </time>
  );
};
