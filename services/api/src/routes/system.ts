import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { route } from '../route-spec.js';
import { anyObject } from '../schemas.js';

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

const cache = new Map<string, string>();
const readAsset = (name: string): string => {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const path = assetPath(name);
  if (!path || !existsSync(path)) throw new NotFoundError('documentation asset', name);
  const text = readFileSync(path, 'utf8');
  cache.set(name, text);
  return text;
};

const html = (body: string): APIGatewayProxyResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

const SWAGGER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hookrelay API</title>
<link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#ui' });</script></body></html>`;

const REDOC_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hookrelay API</title></head>
<body><redoc spec-url="/v1/openapi.json"></redoc>
<script src="/v1/docs/assets/redoc.standalone.js"></script></body></html>`;

export const ASSET_NAMES = Object.keys(ASSETS);

export const systemRoutes = (openapi: () => unknown) => [
  route({
    method: 'GET',
    path: '/health',
    auth: 'public',
    tag: 'System',
    summary: 'Liveness',
    success: { status: 200, schema: anyObject },
    handle: async () => jsonResponse(200, { status: 'ok' }),
  }),
  route({
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'public',
    tag: 'System',
    summary: 'This OpenAPI 3.1 document',
    success: { status: 200, schema: anyObject },
    handle: async () => jsonResponse(200, openapi()),
  }),
  route({
    method: 'GET',
    path: '/v1/docs',
    auth: 'public',
    tag: 'System',
    summary: 'Swagger UI',
    success: { status: 200, contentType: 'text/html' },
    handle: async () => html(SWAGGER_PAGE),
  }),
  route({
    method: 'GET',
    path: '/v1/redoc',
    auth: 'public',
    tag: 'System',
    summary: 'ReDoc',
    success: { status: 200, contentType: 'text/html' },
    handle: async () => html(REDOC_PAGE),
  }),
  route({
    method: 'GET',
    path: '/v1/docs/assets/{file}',
    auth: 'public',
    tag: 'System',
    summary: 'Static files of the documentation pages (bundled, no CDN)',
    success: { status: 200, contentType: 'text/plain' },
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
  }),
];
