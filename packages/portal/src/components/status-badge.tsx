export type Tone = 'good' | 'bad' | 'wait' | 'quiet';

const TONES: Record<string, Tone> = {
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
export const StatusBadge = ({ status, tone }: { status: string; tone?: Tone }) => (
  <span className={`badge badge-${tone ?? TONES[status] ?? 'quiet'}`}>{status}</span>
);
