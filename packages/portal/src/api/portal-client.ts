import { createHookrelayClient, type HookrelayClient } from '@hookrelay/client';

/**
 * The typed client with the session token as its bearer; a 401 anywhere means the session is
 * over (expired or revoked), which `onSessionEnded` shows.
 */
export const createPortalClient = (
  baseUrl: string,
  token: string,
  onSessionEnded: () => void,
): HookrelayClient => {
  const api = createHookrelayClient({ baseUrl, apiKey: token });
  api.use({
    onResponse({ response }) {
      if (response.status === 401) onSessionEnded();
      return undefined;
    },
  });
  return api;
};
