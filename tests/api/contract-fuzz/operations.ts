import { Logger } from '@aws-lambda-powertools/logger';
import { openApiDocument, routeIndex } from '@hookrelay/api/routes';
import type { Schema } from './edge-values.js';

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema: Schema;
}

/** One operation of the OpenAPI document, with who may call it (the route index says). */
export interface Operation {
  readonly method: string;
  /** As the document writes it: `/v1/webhooks/{id}`. */
  readonly template: string;
  readonly auth: 'public' | 'admin' | 'tenant' | 'portal';
  readonly portal?: 'read' | 'manage';
  readonly parameters: readonly Parameter[];
  readonly body?: { readonly schema: Schema; readonly required: boolean };
}

type RawOperation = {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  readonly 'x-portal-capability'?: 'read' | 'manage';
};

const logger = new Logger({ logLevel: 'SILENT' });

/**
 * Every operation of the document the API serves (the same `openApiDocument` it answers
 * `/v1/openapi.json` with), read once when the test files are collected.
 */
export const documentedOperations = (): Operation[] => {
  const document = openApiDocument(logger) as unknown as {
    paths: Record<string, Record<string, RawOperation>>;
  };
  const auth = new Map(
    routeIndex(logger).map((r) => [`${r.method} ${r.path.replace(/\{(\w+)\+\}/g, '{$1}')}`, r.auth]),
  );
  return Object.entries(document.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]): Operation => {
      const key = `${method.toUpperCase()} ${template}`;
      const content = op.requestBody?.content['application/json'];
      return {
        method: method.toUpperCase(),
        template,
        auth: auth.get(key) ?? 'public',
        ...(op['x-portal-capability'] ? { portal: op['x-portal-capability'] } : {}),
        parameters: op.parameters ?? [],
        ...(content
          ? { body: { schema: content.schema ?? {}, required: op.requestBody?.required === true } }
          : {}),
      };
    }),
  );
};

/** What a path parameter names, for the real ids it should sometimes get. */
export const idKindOf = (template: string, name: string) => {
  if (name === 'key_id') return 'key';
  if (name === 'webhook_id') return 'webhook';
  if (name !== 'id') return undefined;
  const collection = template.split('/')[2];
  return (
    {
      webhooks: 'webhook',
      events: 'event',
      sources: 'source',
      inbound: 'inbound',
      tenants: 'tenant',
      portal: 'session',
    } as const
  )[collection ?? ''];
};

/** Whether the operation uses up what it names (its real ids then come from the spares). */
export const isDestructive = (op: Operation) =>
  op.method === 'DELETE' || /\/v1\/tenants\/\{id\}$/.test(op.template);
