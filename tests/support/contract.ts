import { Logger } from '@aws-lambda-powertools/logger';
import { openApiDocument, routeIndex } from '@hookrelay/api/routes';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
interface Media {
  readonly schema?: Json;
}
interface Operation {
  readonly responses: Record<string, { readonly content?: Record<string, Media> }>;
}

const logger = new Logger({ logLevel: 'SILENT' });
const document = openApiDocument(logger) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

// OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's own refs point into components.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const [name, schema] of Object.entries(document.components.schemas))
  ajv.addSchema(schema, `#/components/schemas/${name}`);
// A route the document lacks is answered by the router in the error envelope, or by an HTTP
// API front door itself as {message}.
const noRouteSchema = {
  oneOf: [{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/GatewayError' }],
};

// OpenAPI has no greedy path variable: the document writes API Gateway's {proxy+} as {proxy},
// and the route index says which spans slashes.
const greedy = new Set(
  routeIndex(logger).flatMap((r) => [...r.path.matchAll(/\{(\w+)\+\}/g)].map((m) => `${r.path}:${m[1]}`)),
);
const templates = Object.entries(document.paths)
  .map(([template, ops]) => ({
    template,
    ops,
    params: (template.match(/\{/g) ?? []).length,
    regex: new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, name: string) =>
        greedy.has(`${template.replace(`{${name}}`, `{${name}+}`)}:${name}`) ? '.+' : '[^/]+',
      )}/?$`,
    ),
  }))
  // A literal path wins over a template (/v1/webhooks/test before /v1/webhooks/{id}).
  .sort((a, b) => a.params - b.params);

const compiled = new Map<string, ValidateFunction>();
const validatorFor = (key: string, schema: Json): ValidateFunction => {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
};

export interface Exchange {
  readonly method: string;
  /** The path as requested, with or without its query string. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

/**
 * What in a response the OpenAPI document does not allow: an undocumented status, another
 * content type, or a body its schema refuses. Empty when the response keeps the contract.
 *
 * @example
 * contractProblems({ method: 'GET', path: '/v1/webhooks', status: 200, contentType: 'application/json', text })
 */
export const contractProblems = (exchange: Exchange): string[] => {
  const path = (exchange.path.split('?')[0] ?? '').replace(/%[0-9a-f]{2}/gi, 'x');
  const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
  const match = templates.find((t) => t.regex.test(path) && t.ops[exchange.method.toLowerCase()]);
  const operation = match?.ops[exchange.method.toLowerCase()];
  const key = `${exchange.method} ${match?.template ?? '(no route)'} ${exchange.status}`;
  let content: Record<string, Media> | undefined;
  if (!operation) {
    // No such operation: the router's (or gateway's) 404 or 405, in the error shape.
    if (exchange.status !== 404 && exchange.status !== 405)
      return [`${where}: no operation in the document, and not a 404/405`];
    content = { 'application/json': { schema: noRouteSchema } };
  } else {
    const response = operation.responses[String(exchange.status)];
    if (!response) {
      return [
        `${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')}); body ${exchange.text.slice(0, 300)}`,
      ];
    }
    content = response.content;
  }
  if (!content) return exchange.text === '' ? [] : [`${where}: documented without a body, got one`];
  const type = (exchange.contentType ?? '').split(';')[0]?.trim() ?? '';
  const media = content[type];
  if (!media)
    return [`${where}: content type ${type || '(none)'} not documented (${Object.keys(content).join(', ')})`];
  if (type !== 'application/json') return [];
  let body: unknown;
  try {
    body = JSON.parse(exchange.text);
  } catch {
    return [`${where}: body is not JSON: ${exchange.text.slice(0, 200)}`];
  }
  const validate = validatorFor(`${key} ${type}`, media.schema ?? {});
  return validate(body)
    ? []
    : [`${where}: body does not match the document: ${ajv.errorsText(validate.errors)}`];
};

/** Throws when the response breaks the document, so the test that saw it fails. */
export const expectContract = (exchange: Exchange): void => {
  const problems = contractProblems(exchange);
  if (problems.length > 0) throw new Error(`OpenAPI contract broken:\n${problems.join('\n')}`);
};
