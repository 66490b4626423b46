export type EndReason = 'missing' | 'ended';

/** No token, or the API no longer takes it: what happened and what to do. */
export const SessionEnded = ({ reason }: { reason: EndReason }) => (
  <main className="center" id="main">
    <h1>{reason === 'missing' ? 'This link is missing its key' : 'This session has ended'}</h1>
    <p>
      {reason === 'missing'
        ? 'The portal opens from a link that carries a one-time key, and this address has none (it may have been copied without it, or the tab was closed).'
        : 'Portal links are short-lived and can be revoked: this one has expired or was revoked.'}
    </p>
    <p>Ask the team that gave you the link for a new one.</p>
  </main>
);
