import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiFailure, unwrap } from '../api/failure.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Loading } from '../components/loading.js';

export interface PortalTheme {
  readonly mode?: 'light' | 'dark';
  readonly accent?: string;
  readonly logo_url?: string;
  readonly name?: string;
}

export interface PortalSession {
  readonly session_id?: string;
  readonly tenant_id?: string;
  readonly capabilities: readonly string[];
  readonly expires_at?: string;
  readonly theme: PortalTheme;
}

const SessionContext = createContext<PortalSession | undefined>(undefined);

// Until the platform serves GET /v1/portal/session, a tenant key opens the portal with every
// capability and no theme.
const FALLBACK: PortalSession = { capabilities: ['read', 'manage'], theme: {} };

type LooseGet = { GET(path: string): Promise<{ data?: PortalSession; error?: unknown; response: Response }> };

/** Reads what this session may do and how it looks, once, before any page shows. */
export const SessionProvider = ({ children }: { children: (session: PortalSession) => ReactNode }) => {
  const api = useApi();
  const session = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await unwrap((api as unknown as LooseGet).GET('/v1/portal/session'));
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) return FALLBACK;
        throw error;
      }
    },
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

export const useSession = (): PortalSession => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
};

/** Whether this session may change things (create, edit, delete, resend, replay…). */
export const useCanManage = (): boolean => useSession().capabilities.includes('manage');
