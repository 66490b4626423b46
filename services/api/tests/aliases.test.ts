import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from '@jest/globals';
import { FIELD_ALIASES, withFieldAliases } from '../src/aliases.js';
import { buildOpenApi } from '../src/openapi.js';
import { buildRoutes } from '../src/route-table.js';

type Schema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

describe('the inbound request id, request_id, and its old name', () => {
  it('answers webhook_id beside request_id, with the same value', () => {
    const answer = withFieldAliases(
      { request_id: 'iwh_1', status: 'RECEIVED' },
      FIELD_ALIASES.replayAccepted,
    );
    expect(answer).toEqual({ request_id: 'iwh_1', status: 'RECEIVED', webhook_id: 'iwh_1' });
  });

  it('is documented: request_id required, webhook_id deprecated', () => {
    const document = buildOpenApi(buildRoutes(new Logger({ logLevel: 'SILENT' }))) as unknown as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
      >;
    };
    const schema =
      document.paths['/v1/inbound/{id}/replay']?.post?.responses['202']?.content?.['application/json']
        ?.schema;
    expect(schema?.required).toContain('request_id');
    expect(schema?.required).not.toContain('webhook_id');
    expect(schema?.properties?.webhook_id).toMatchObject({ deprecated: true });
  });
});
