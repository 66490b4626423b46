import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { ApiProvider } from '../api/api-context.js';
import { ApiFailure } from '../api/failure.js';
import { createPortalClient } from '../api/portal-client.js';
import { apiBaseUrl, routerBasename } from './placement.js';
import { PortalRoutes } from './routes.js';
import { SessionProvider } from './session.js';
import { type EndReason, SessionEnded } from './session-ended.js';
import { forgetToken } from './token.js';

// A 4xx will answer the same again: only network trouble and 5xx are worth another try.
const worthRetrying = (count: number, error: unknown) =>
  count < 2 && !(error instanceof ApiFailure && error.status >= 400 && error.status < 500);

export const App = ({ token }: { token: string | undefined }) => {
  const [ended, setEnded] = useState<EndReason | undefined>(token ? undefined : 'missing');
  const [queries] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5_000, retry: worthRetrying },
          mutations: { retry: false },
        },
      }),
  );
  const api = useMemo(
    () =>
      token
        ? createPortalClient(apiBaseUrl(), token, () => {
            forgetToken();
            queries.clear();
            setEnded('ended');
          })
        : undefined,
    [token, queries],
  );
  if (ended || !api) return <SessionEnded reason={ended ?? 'missing'} />;
  return (
    <QueryClientProvider client={queries}>
      <ApiProvider client={api}>
        <SessionProvider>
          {(session) => (
            <BrowserRouter basename={routerBasename()}>
              <PortalRoutes session={session} />
            </BrowserRouter>
          )}
        </SessionProvider>
      </ApiProvider>
    </QueryClientProvider>
  );
};
