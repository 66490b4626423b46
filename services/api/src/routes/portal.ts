import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  hashPortalToken,
  iso,
  NotFoundError,
  newId,
  type PortalCapability,
  type PortalSession,
  portalSessionRefusal,
  portalToken,
} from '@hookrelay/domain';
import { cameThroughHttpApi, jsonResponse } from '@hookrelay/http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Deps } from '../deps.js';
import { type RouteRequest, route } from '../route-spec.js';
import {
  createPortalSessionBody,
  portalPageQuery,
  portalSessionCreated,
  portalSessionView,
} from '../schemas/portal.js';
import { assetFile, htmlPage } from '../schemas/system.js';
import { servedPrefix } from './system.js';

/**
 * The portal's built files: beside the bundle (`portal/`, copied by the API's build), or the
 * portal package's `dist/` in the workspace.
 */
const portalRoot = (): string | undefined => {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'portal', 'index.html'))) return join(here, 'portal');
  let dir = here;
  for (let up = 0; up < 6; up += 1) {
    const candidate = join(dir, 'packages', 'portal', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
};

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

const files = new Map<string, { text: string; gzip: string }>();
/** A file of the portal's build, read once per instance, or undefined when it is not one. */
const portalFile = (name: string): { text: string; gzip: string } | undefined => {
  const cached = files.get(name);
  if (cached) return cached;
  const root = portalRoot();
  if (!root) return undefined;
  const path = normalize(join(root, name));
  if (!path.startsWith(root + sep) || !existsSync(path) || !TYPES[extname(path)]) return undefined;
  const text = readFileSync(path, 'utf8');
  const file = { text, gzip: gzipSync(text).toString('base64') };
  files.set(name, file);
  return file;
};

/**
 * A text body, gzipped when the client takes gzip and the front door is an HTTP API (which
 * passes a base64 body through as bytes; the REST API front door compresses by itself).
 */
const textBody = (
  req: Pick<RouteRequest, 'event' | 'headers'>,
  file: { text: string; gzip: string },
  headers: Record<string, string>,
): APIGatewayProxyResult =>
  cameThroughHttpApi(req.event) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
    ? {
        statusCode: 200,
        headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
        body: file.gzip,
        isBase64Encoded: true,
      }
    : { statusCode: 200, headers, body: file.text };

/** Where the API was reached: scheme, host and stage prefix, as the caller called it. */
const publicBase = (req: Pick<RouteRequest, 'event' | 'headers'>): string => {
  const proto = (req.headers['x-forwarded-proto'] ?? 'https').split(',')[0]?.trim() || 'https';
  return `${proto}://${req.headers.host ?? 'localhost'}${servedPrefix(req)}`;
};

/**
 * The page's security policy: scripts, styles and calls only to its own origin; logos from
 * https or data URLs; framed only by the origins the session names (none: not at all).
 */
const contentSecurityPolicy = (frameOrigins: readonly string[]): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${frameOrigins.length > 0 ? frameOrigins.join(' ') : "'none'"}`,
  ].join('; ');

/** The origins that may frame the page opened for `sessionId`, while that session is live. */
const frameOriginsOf = async (deps: Deps, sessionId: string | undefined): Promise<readonly string[]> => {
  if (!sessionId || !/^ps_[0-9A-Za-z]{10,40}$/.test(sessionId)) return [];
  const resolved = await deps.portalSessions.resolve(sessionId);
  return portalSessionRefusal(resolved, iso(deps.clock.now())) ? [] : (resolved?.session.frame_origins ?? []);
};

/** index.html with its base, per stage prefix (one per API, in practice): built and gzipped once. */
const pages = new Map<string, { text: string; gzip: string }>();
const pageFor = (base: string): { text: string; gzip: string } => {
  const known = pages.get(base);
  if (known) return known;
  const index = portalFile('index.html');
  if (!index) throw new NotFoundError('portal build (run make build)');
  const text = index.text.replace(/<head>/i, `<head><base href="${base}">`);
  const page = { text, gzip: gzipSync(text).toString('base64') };
  if (pages.size >= 16) pages.clear();
  pages.set(base, page);
  return page;
};

/** index.html with the base every relative asset and API path resolves against. */
const portalPage = async (req: RouteRequest, deps: Deps): Promise<APIGatewayProxyResult> => {
  const page = pageFor(`${servedPrefix(req)}/portal/`);
  const origins = await frameOriginsOf(deps, req.query.session as string | undefined);
  return textBody(req, page, {
    'content-type': TYPES['.html'] as string,
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(origins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
};

const sessionView = (session: PortalSession) => ({
  session_id: session.session_id,
  tenant_id: session.tenant_id,
  capabilities: session.capabilities,
  expires_at: session.expires_at,
  theme: session.theme,
  frame_origins: session.frame_origins,
});

const PAGE = {
  status: 200,
  description: 'The portal (a single-page app); any path below /portal/ answers the same page.',
  contentType: 'text/html',
  schema: htmlPage,
  example: '<!doctype html>...',
} as const;

export const portalRoutes = [
  route({
    method: 'POST',
    path: '/v1/portal/sessions',
    auth: 'tenant',
    tag: 'Portal',
    summary: 'Open a portal session',
    description:
      'A link that opens the tenant portal for the calling tenant, and only that tenant, for `ttl_seconds` ' +
      '(default 1 hour, at most 7 days). The link carries a session token, never an API key; the token ' +
      'is shown in this answer only. `capabilities` says what the person may do, enforced by the API; ' +
      '`theme` brands the portal; `frame_origins` lets those origins show it in an iframe. A portal ' +
      'session cannot open another.',
    body: createPortalSessionBody,
    bodyExample: {
      ttl_seconds: 3600,
      capabilities: ['read', 'manage'],
      theme: { accent: '#5b4cdb', name: 'Acme' },
      frame_origins: ['https://app.acme.example'],
    },
    success: {
      status: 201,
      description: 'The session and its link.',
      schema: portalSessionCreated,
      example: {
        session_id: 'ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C',
        url: 'https://api.hookrelay.example/portal?session=ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C#token=hrps_ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C.q3Vb…',
        expires_at: '2026-12-06T10:00:00.000Z',
        capabilities: ['read', 'manage'],
        theme: { accent: '#5b4cdb', name: 'Acme' },
        frame_origins: ['https://app.acme.example'],
      },
    },
    handle: async (req, deps) => {
      const now = deps.clock.now();
      const ttl = req.body.ttl_seconds ?? 3600;
      const sessionId = newId('ps', now);
      const token = portalToken(sessionId);
      const session: PortalSession = {
        session_id: sessionId,
        tenant_id: req.principal.tenant_id,
        token_hash: hashPortalToken(token),
        capabilities: (req.body.capabilities ?? ['read', 'manage']) as PortalCapability[],
        theme: req.body.theme ?? {},
        frame_origins: req.body.frame_origins ?? [],
        created_at: iso(now),
        expires_at: iso(now + ttl * 1000),
      };
      await deps.portalSessions.create(session);
      const { tenant_id: _tenant, ...view } = sessionView(session);
      const url = `${publicBase(req)}/portal?session=${sessionId}#token=${token}`;
      return jsonResponse(201, { ...view, url });
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/portal/sessions',
    auth: 'tenant',
    tag: 'Portal',
    summary: 'End all portal sessions',
    description:
      'Every portal session of the tenant opened until now stops working at its next request, including ' +
      'requests the gateway would answer from its cached authorization.',
    success: { status: 204, description: 'Ended; no body.' },
    handle: async (req, deps) => {
      await deps.portalSessions.revokeAll(req.principal.tenant_id, iso(deps.clock.now()));
      return { statusCode: 204, headers: {}, body: '' };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/portal/sessions/{id}',
    auth: 'tenant',
    tag: 'Portal',
    summary: 'End a portal session',
    description: 'The session stops working at its next request.',
    success: { status: 204, description: 'Ended; no body.' },
    errors: {
      404: { code: 'not_found', message: 'No portal session with id ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C.' },
    },
    handle: async (req, deps) => {
      const id = req.params.id ?? '';
      if (!(await deps.portalSessions.revoke(req.principal.tenant_id, id, iso(deps.clock.now())))) {
        throw new NotFoundError('portal session', id);
      }
      return { statusCode: 204, headers: {}, body: '' };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/portal/session',
    auth: 'portal',
    tag: 'Portal',
    summary: 'The calling portal session',
    description: 'What the portal needs to know of its own session: tenant, capabilities, expiry, theme.',
    success: {
      status: 200,
      description: 'The session.',
      schema: portalSessionView,
      example: {
        session_id: 'ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C',
        tenant_id: 'acme',
        capabilities: ['read'],
        expires_at: '2026-12-06T10:00:00.000Z',
        theme: { mode: 'dark' },
        frame_origins: [],
      },
    },
    handle: async (req, deps) => {
      const resolved = await deps.portalSessions.resolve(req.principal.key_id);
      if (!resolved) throw new NotFoundError('portal session', req.principal.key_id);
      return jsonResponse(200, sessionView(resolved.session));
    },
  }),
  route({
    method: 'GET',
    path: '/portal',
    auth: 'public',
    tag: 'Portal',
    summary: 'The tenant portal',
    description: 'The portal page; opened with a session link, its API calls carry the session token.',
    query: portalPageQuery,
    success: PAGE,
    handle: portalPage,
  }),
  route({
    method: 'GET',
    path: '/portal/{proxy+}',
    auth: 'public',
    tag: 'Portal',
    summary: 'The tenant portal: its files and pages',
    description:
      'The portal’s scripts and styles under `assets/` (bundled with the API, no CDN, cached for a year: ' +
      'their names change with their content); any other path is the page itself, for deep links.',
    query: portalPageQuery,
    success: {
      status: 200,
      description: 'The file, or the page.',
      contentType: ['text/html', 'text/javascript', 'text/css'],
      schema: assetFile,
      example: '<!doctype html>...',
    },
    handle: async (req, deps) => {
      const path = req.params.proxy ?? '';
      if (!path.startsWith('assets/')) return portalPage(req, deps);
      const file = portalFile(path);
      if (!file) throw new NotFoundError('portal file', path);
      return textBody(req, file, {
        'content-type': TYPES[extname(path)] as string,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
    },
  }),
];
