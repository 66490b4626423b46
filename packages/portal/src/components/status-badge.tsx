const tone: Record<string, string> = {
  DELIVERED: 'good',
  ROUTED: 'good',
  success: 'good',
  Active: 'good',
  FAILED: 'bad',
  failure: 'bad',
  'Disabled by the platform': 'bad',
  PENDING: 'wait',
  RECEIVED: 'wait',
  Paused: 'wait',
  CANCELLED: 'quiet',
};

/** A status in words (never colour alone), tinted by what it means. */
export const StatusBadge = ({ status }: { status: string }) => (
  <span className={`badge badge-${tone[status] ?? 'quiet'}`}>{status}</span>
);
