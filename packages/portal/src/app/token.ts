const STORAGE_KEY = 'hookrelay.portal.token';

// A sandboxed frame may refuse storage: the token then lives only as long as the page.
const storage = (): Storage | undefined => {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
};

/**
 * The session token of the link (`#token=hrps_…`), kept for this tab in sessionStorage and taken
 * off the address bar at once so that it is neither bookmarked, shared nor sent as a Referer.
 */
export const takeToken = (): string | undefined => {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
  if (fromHash) {
    try {
      storage()?.setItem(STORAGE_KEY, fromHash);
    } catch {
      // storage full or refused: the token still serves this page
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromHash;
  }
  return storage()?.getItem(STORAGE_KEY) ?? undefined;
};

/** Forgets the token once the API has said it no longer opens anything. */
export const forgetToken = (): void => {
  storage()?.removeItem(STORAGE_KEY);
};
