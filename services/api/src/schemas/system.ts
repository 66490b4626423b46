import { text } from './common.js';

export const healthView = {
  type: 'object',
  required: ['status'],
  description: 'The API answers.',
  properties: { status: { type: 'string', const: 'ok', description: 'Always "ok".' } },
} as const;

export const openApiView = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  description: 'An OpenAPI 3.1 document.',
  properties: {
    openapi: text('The OpenAPI version, 3.1.0.'),
    info: { type: 'object', description: 'Title, version and description.' },
    servers: { type: 'array', description: 'Where the API is served.', items: { type: 'object' } },
    paths: { type: 'object', description: 'Every operation.' },
    components: { type: 'object', description: 'Shared schemas and security schemes.' },
  },
} as const;

export const htmlPage = { type: 'string', description: 'An HTML page.' } as const;
export const assetFile = {
  type: 'string',
  description: 'A JavaScript or CSS file of the documentation pages.',
} as const;
