import SwaggerParser from '@apidevtools/swagger-parser';
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { sample } from 'openapi-sampler';
import { buildOpenApi } from '../src/openapi.js';
import { buildRoutes } from '../src/route-table.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
interface Media {
  readonly schema?: Json;
  readonly example?: unknown;
}
interface Operation {
  readonly operationId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly parameters?: { name: string; in: string; description?: string }[];
  readonly requestBody?: { description?: string; content: Record<string, Media> };
  readonly responses: Record<string, { description?: string; content?: Record<string, Media> }>;
}

const routes = buildRoutes(new Logger({ logLevel: 'SILENT' }));
const document = buildOpenApi(routes) as unknown as {
  tags: { name: string; description: string }[];
  components: { schemas: Record<string, Json> };
  paths: Record<string, Record<string, Operation>>;
  servers: { url: string }[];
};
const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);

/** Every body of every operation: the request's and each response's, per media type. */
const bodies = operations.flatMap(({ name, op }) => [
  ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({
    where: `${name} request (${type})`,
    description: op.requestBody?.description,
    media,
  })),
  ...Object.entries(op.responses).flatMap(([status, response]) =>
    Object.entries(response.content ?? {}).map(([type, media]) => ({
      where: `${name} ${status} (${type})`,
      description: response.description,
      media,
    })),
  ),
]);

const resolve = (schema: Json): Json => {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
};

/** Paths of schema nodes that name properties without describing them. */
const undescribedFields = (schema: Json, at: string): string[] => {
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    const s = node as Json;
    if (s.properties && typeof s.properties === 'object') {
      for (const [name, child] of Object.entries(s.properties as Record<string, Json>)) {
        if (typeof child.description !== 'string' && typeof child.$ref !== 'string')
          out.push(`${path}.${name}`);
        walk(child, `${path}.${name}`);
      }
    }
    for (const key of ['items', 'additionalProperties'] as const) walk(s[key], `${path}[]`);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      for (const sub of (s[key] as Json[] | undefined) ?? []) walk(sub, path);
  };
  walk(schema, at);
  return out;
};

/** A schema that says nothing about its value: what makes Swagger UI and ReDoc show `{}`. */
const isBare = (schema: Json): boolean => {
  const s = resolve(schema);
  const keys = Object.keys(s).filter((k) => k !== 'description');
  const forms = [...((s.anyOf as Json[] | undefined) ?? []), ...((s.oneOf as Json[] | undefined) ?? [])];
  return (
    keys.length === 0 ||
    (s.type === 'object' && !s.properties && !s.additionalProperties && !forms.some((f) => !isBare(f)))
  );
};

const isEmptySample = (value: unknown): boolean =>
  value === undefined ||
  value === '' ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by swagger-parser', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every operation, parameter and tag', () => {
    const tags = new Map(document.tags.map((t) => [t.name, t.description]));
    for (const { name, op } of operations) {
      expect([name, op.summary?.length ?? 0]).not.toEqual([name, 0]);
      expect([name, (op.description ?? '').length > 20]).toEqual([name, true]);
      expect([name, op.tags?.length]).toEqual([name, 1]);
      expect([name, tags.get(op.tags?.[0] ?? '')?.length ?? 0]).not.toEqual([name, 0]);
      for (const p of op.parameters ?? [])
        expect([name, p.name, p.description]).toEqual([name, p.name, expect.any(String)]);
      for (const [status, r] of Object.entries(op.responses))
        expect([name, status, r.description]).toEqual([name, status, expect.any(String)]);
    }
  });

  it('gives every body a real schema, a description and an example that the schema accepts', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(document.components.schemas))
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    const problems: string[] = [];
    for (const { where, description, media } of bodies) {
      const schema = media.schema ?? {};
      if (isBare(schema)) problems.push(`${where}: no schema`);
      if (!description && typeof resolve(schema).description !== 'string')
        problems.push(`${where}: no description`);
      if (media.example === undefined) problems.push(`${where}: no example`);
      else if (typeof schema.$ref !== 'string') {
        const validate = ajv.compile(schema);
        if (!validate(media.example))
          problems.push(`${where}: example does not match: ${ajv.errorsText(validate.errors)}`);
      }
      problems.push(...undescribedFields(resolve(schema), where).map((f) => `${f}: no description`));
    }
    expect(problems).toEqual([]);
  });

  it('would show no {} sample in Swagger UI or ReDoc: every body has an example or a typed schema', () => {
    const empty: string[] = [];
    for (const { where, media } of bodies) {
      // Both tools show the example when there is one, else a sample built from the schema.
      const shown =
        media.example !== undefined
          ? media.example
          : sample(resolve(media.schema ?? {}) as never, { skipReadOnly: true }, document as never);
      if (isEmptySample(shown)) empty.push(where);
    }
    expect(empty).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('sends a real event as the example of POST /v1/events', () => {
    const example = document.paths['/v1/events']?.post?.requestBody?.content['application/json']?.example;
    expect(example).toMatchObject({ type: 'invoice.paid', data: { currency: expect.any(String) } });
  });

  it('lists the errors each operation answers, not one list for all', () => {
    const errorsOf = (op: Operation) =>
      Object.keys(op.responses)
        .filter((s) => Number(s) >= 400)
        .join(',');
    const lists = new Set(operations.map(({ op }) => errorsOf(op)));
    expect(lists.size).toBeGreaterThan(3);
    const health = document.paths['/health']?.get;
    const retry = document.paths['/v1/events/{id}/retry']?.post;
    expect(Object.keys(health?.responses ?? {})).not.toContain('401');
    expect(Object.keys(retry?.responses ?? {})).toEqual(expect.arrayContaining(['401', '404', '409']));
    expect(Object.keys(document.paths['/v1/events']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['413', '422']),
    );
  });

  it('documents what any request may get before its route reads it, in both shapes where API Gateway answers', () => {
    const bothShapes = {
      oneOf: [{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/GatewayError' }],
    };
    // A stray body past the limit is a 413 even where the route takes none; an HTTP API answers
    // a path it cannot decode (400) and a body over its own limit (413) with {"message": ...}.
    const answers = operations.map(({ name, op }) => ({
      name,
      statuses: Object.keys(op.responses).filter((s) => ['400', '413', '415'].includes(s)),
      shapes: ['400', '413'].map((s) => op.responses[s]?.content?.['application/json']?.schema),
    }));
    expect(answers).toEqual(
      operations.map(({ name }) => ({
        name,
        statuses: ['400', '413', '415'],
        shapes: [bothShapes, bothShapes],
      })),
    );
  });

  it('documents the old spellings kept for one release as deprecated', () => {
    const params = document.paths['/v1/webhooks/deliveries']?.get?.parameters ?? [];
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['webhook_id', 'webhookId']));
    expect(params.find((p) => p.name === 'webhookId')).toMatchObject({ deprecated: true });
    const accepted =
      document.paths['/v1/events']?.post?.responses['201']?.content?.['application/json']?.schema;
    expect((accepted?.properties as Record<string, Json> | undefined)?.deliveries).toMatchObject({
      deprecated: true,
    });
  });

  it('is served at the prefix it was called under', () => {
    expect(buildOpenApi(routes, { serverUrl: '/prod' }).servers[0]?.url).toBe('/prod');
    expect(document.servers[0]?.url).toBe('/');
  });
});

describe('GET /v1/openapi.json', () => {
  const served = async (path: string, calledAs: string) => {
    const spec = routes.find((r) => r.path === '/v1/openapi.json');
    const event = { path, requestContext: { path: calledAs } };
    const reply = await spec?.handle({ event } as never, {} as never);
    return JSON.parse(reply?.body ?? '{}') as { servers: { url: string }[] };
  };

  it('names as its server the stage prefix it was called under, or / without one', async () => {
    expect((await served('/v1/openapi.json', '/prod/v1/openapi.json')).servers[0]?.url).toBe('/prod');
    expect((await served('/v1/openapi.json', '/v1/openapi.json')).servers[0]?.url).toBe('/');
  });
});
