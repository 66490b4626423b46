import type { HookrelayClient } from '@hookrelay/client';
import { createContext, type ReactNode, useContext } from 'react';

const ApiContext = createContext<HookrelayClient | undefined>(undefined);

export const ApiProvider = ({ client, children }: { client: HookrelayClient; children: ReactNode }) => (
  <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
);

/** The portal's typed client (`@hookrelay/client`), bearing this session's token. */
export const useApi = (): HookrelayClient => {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
};
