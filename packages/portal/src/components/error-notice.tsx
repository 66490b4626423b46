import { ApiFailure } from '../api/failure.js';

const headline = (error: unknown): string => {
  if (!(error instanceof ApiFailure)) return 'Something went wrong';
  if (error.status === 0) return 'The API could not be reached';
  if (error.status === 403) return 'This link cannot do that';
  if (error.status === 404) return 'Not found';
  if (error.status === 409) return 'It changed meanwhile';
  if (error.status === 429) return 'Too many requests: wait a moment and try again';
  if (error.status >= 500) return 'The platform failed to answer: try again shortly';
  return 'The API refused this';
};

/** What the API answered, in words a person can act on: headline, its message, each field's problem. */
export const ErrorNotice = ({ error, action }: { error: unknown; action?: string }) => {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        {action ? `${action}: ` : ''}
        {headline(error)}
      </p>
      <p>{message}</p>
      {error instanceof ApiFailure && error.status === 403 && (
        <p>This portal link can only read. Ask for a link that can manage to make changes.</p>
      )}
      {error instanceof ApiFailure && error.details.length > 0 && (
        <ul>
          {error.details.map((d) => (
            <li key={`${d.field}:${d.message}`}>
              {d.field && <code>{d.field}</code>} {d.message}
            </li>
          ))}
        </ul>
      )}
      {error instanceof ApiFailure && (
        <p className="muted small">
          Code <code>{error.code}</code>
          {error.status ? `, HTTP ${error.status}` : ''}
        </p>
      )}
    </div>
  );
};
