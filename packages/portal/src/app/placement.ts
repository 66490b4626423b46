/**
 * Where the portal is served. The platform answers every path under `<prefix>/portal/` with
 * index.html and injects `<base href="<prefix>/portal/">`, so the page knows its place from
 * `document.baseURI`: the router's basename is its path, the API is one level up.
 */
const baseUrl = (): URL => {
  const base = new URL(document.baseURI);
  if (document.querySelector('base[href]')) return base;
  // Without an injected <base> (vite dev): everything up to and including /portal/.
  const at = location.pathname.indexOf('/portal/');
  return new URL(at >= 0 ? location.pathname.slice(0, at + '/portal/'.length) : '/', location.origin);
};

/** `/prod/portal` (no trailing slash), or `/portal` when the API has no stage prefix. */
export const routerBasename = (): string => baseUrl().pathname.replace(/\/+$/, '');

/** `https://host/prod`: what the typed client takes as its baseUrl. */
export const apiBaseUrl = (): string => new URL('..', baseUrl()).href.replace(/\/+$/, '');

/**
 * The `?session=ps_…` the link came with; the platform reads it on a reload to name the origins
 * that may frame the page, so every in-app URL keeps it.
 */
export const sessionQuery = (): string | undefined =>
  new URLSearchParams(location.search).get('session') ?? undefined;
