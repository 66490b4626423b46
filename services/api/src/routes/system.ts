import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { type RouteRequest, route } from '../route-spec.js';
import { assetFile, healthView, htmlPage, openApiView } from '../schemas/system.js';

const ASSETS: Readonly<Record<string, { pkg: string; file: string; type: string }>> = {
  'swagger-ui.css': { pkg: 'swagger-ui-dist', file: 'swagger-ui.css', type: 'text/css' },
  'swagger-ui-bundle.js': { pkg: 'swagger-ui-dist', file: 'swagger-ui-bundle.js', type: 'text/javascript' },
  'redoc.standalone.js': { pkg: 'redoc', file: 'bundles/redoc.standalone.js', type: 'text/javascript' },
};

/** Asset files ship beside the bundle (docs-assets/), or come from the packages in dev. */
const assetPath = (name: string): string | undefined => {
  const asset = ASSETS[name];
  if (!asset) return undefined;
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'docs-assets', name);
  if (existsSync(bundled)) return bundled;
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file);
  } catch {
    return undefined;
  }
};

/**
 * ReDoc's sidebar shows a logo it loads from Redocly's CDN; the pages load nothing from
 * elsewhere, so the served bundle points that image at an inline one instead.
 */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const INLINE_LOGO = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E';
const localAsset = (name: string, text: string): string =>
  name === 'redoc.standalone.js' ? text.replaceAll(REDOC_CDN_LOGO, INLINE_LOGO) : text;

const cache = new Map<string, string>();
const readAsset = (name: string): string => {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const path = assetPath(name);
  if (!path || !existsSync(path)) throw new NotFoundError('documentation asset', name);
  const text = localAsset(name, readFileSync(path, 'utf8'));
  cache.set(name, text);
  return text;
};

const html = (body: string): APIGatewayProxyResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

// Both pages sit at /v1/<page>, so paths relative to them reach /v1/openapi.json and the assets
// under whatever prefix the API is served (an API Gateway stage: /prod/v1/docs). Swagger UI's
// validator badge would call validator.swagger.io: it is switched off.
const SWAGGER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hookrelay API</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#ui', validatorUrl: null });</script></body></html>`;

const REDOC_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hookrelay API</title></head>
<body><redoc spec-url="openapi.json"></redoc>
<script src="docs/assets/redoc.standalone.js"></script></body></html>`;

/**
 * The prefix the caller reached the API under: API Gateway's requestContext.path is the path as
 * called (with a stage, `/prod/v1/openapi.json`), event.path the route's (`/v1/openapi.json`).
 */
export const servedPrefix = (req: Pick<RouteRequest, 'event'>): string => {
  const called = req.event.requestContext?.path ?? '';
  const own = req.event.path ?? '';
  return own && called.endsWith(own) ? called.slice(0, called.length - own.length) : '';
};

const healthRoute = route({
  method: 'GET',
  path: '/health',
  auth: 'public',
  tag: 'System',
  summary: 'Liveness',
  description: 'Answers 200 while the API runs; public.',
  success: { status: 200, description: 'The API is up.', schema: healthView, example: { status: 'ok' } },
  handle: async () => jsonResponse(200, { status: 'ok' }),
});

/** `openapi` gives the document as served from a URL, or a promise of it (the API loads it on first use). */
const openApiRoute = (openapi: (serverUrl: string) => unknown) =>
  route({
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'public',
    tag: 'System',
    summary: 'This OpenAPI 3.1 document',
    description:
      'Generated from the schemas that validate the requests; its server is where it was fetched from ' +
      '(with an API Gateway stage prefix, that prefix).',
    success: {
      status: 200,
      description: 'The document.',
      schema: openApiView,
      example: {
        openapi: '3.1.0',
        info: { title: 'Hookrelay webhook delivery API', version: '1.0.0' },
        paths: {},
      },
    },
    handle: async (req) => jsonResponse(200, await openapi(servedPrefix(req) || '/')),
  });

/** A page that shows this document in `viewer` (Swagger UI, ReDoc). */
const docsPageRoute = (path: string, viewer: string, page: string) =>
  route({
    method: 'GET',
    path,
    auth: 'public',
    tag: 'System',
    summary: viewer,
    description: `This document in ${viewer}, every asset served by the API itself.`,
    success: {
      status: 200,
      description: 'The page.',
      contentType: 'text/html',
      schema: htmlPage,
      example: '<!doctype html>...',
    },
    handle: async () => html(page),
  });

const docsAssetRoute = route({
  method: 'GET',
  path: '/v1/docs/assets/{file}',
  auth: 'public',
  tag: 'System',
  summary: 'Documentation page assets',
  description: 'The scripts and styles of the documentation pages (bundled with the API, no CDN).',
  success: {
    status: 200,
    description: 'The file (text/javascript or text/css).',
    contentType: ['text/javascript', 'text/css'],
    schema: assetFile,
    example: '/* swagger-ui-bundle.js */',
  },
  handle: async (req) => {
    const name = req.params.file ?? '';
    const asset = ASSETS[name];
    if (!asset) throw new NotFoundError('documentation asset', name);
    return {
      statusCode: 200,
      headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' },
      body: readAsset(name),
    };
  },
});

/** The system group: liveness, this document and its reference pages. */
export const systemRoutes = (openapi: (serverUrl: string) => unknown) => [
  healthRoute,
  openApiRoute(openapi),
  docsPageRoute('/v1/docs', 'Swagger UI', SWAGGER_PAGE),
  docsPageRoute('/v1/redoc', 'ReDoc', REDOC_PAGE),
  docsAssetRoute,
];
