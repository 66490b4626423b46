import type { Answer } from '@hookrelay/client';
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { useApi } from '../api/api-context.js';
import { unwrap } from '../api/failure.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Loading } from '../components/loading.js';

export type PortalSession = Answer<'/v1/portal/session', 'get'>;
export type PortalTheme = PortalSession['theme'];

const SessionContext = createContext<PortalSession | undefined>(undefined);

/** Reads what this session may do and how it looks, once, before any page shows. */
export const SessionProvider = ({ children }: { children: (session: PortalSession) => ReactNode }) => {
  const api = useApi();
  const session = useQuery({
    queryKey: ['session'],
    queryFn: () => unwrap(api.GET('/v1/portal/session')),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (session.isPending) {
    return (
      <main className="center">
        <Loading what="Opening the portal" />
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="center">
        <h1>The portal could not open</h1>
        <ErrorNotice error={session.error} />
      </main>
    );
  }
  return <SessionContext.Provider value={session.data}>{children(session.data)}</SessionContext.Provider>;
};

const useSession = (): PortalSession => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
};

/** Whether this session may change things (create, edit, delete, resend, replay…). */
export const useCanManage = (): boolean => useSession().capabilities.includes('manage');
