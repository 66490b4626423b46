export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p className="muted" role="status">
    {what}…
  </p>
);
