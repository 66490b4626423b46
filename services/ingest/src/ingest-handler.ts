import type { Logger } from '@aws-lambda-powertools/logger';
import { DependencyUnavailableError, DomainError } from '@hookrelay/domain';
import { frontDoor, httpErrorHandler, jsonResponse, requestIdHeader, requestIdOf } from '@hookrelay/http';
import { type IngestDeps, ingest, requestIdFields } from '@hookrelay/inbound';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The body exactly as the provider sent it: API Gateway hands binary bodies over in base64. */
const rawBodyOf = (event: APIGatewayProxyEvent): Buffer =>
  event.body === null || event.body === undefined
    ? Buffer.alloc(0)
    : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');

const lowercase = (headers: APIGatewayProxyEvent['headers']): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
};

/**
 * `POST /in/{token}` as a Middy handler over the `ingest` step: 202 with the request's id, a
 * typed error as the JSON error shape, and a dependency that fails as 503 (the provider retries).
 * It serves either front door (the stage's `ingestGateway`): an HTTP API's payload format 2.0
 * event is read as the REST API's v1 event and answered in 2.0's shape; the body is the
 * provider's bytes either way (base64 when the door says so).
 */
export const createIngestHandler = (deps: IngestDeps, logger: Logger) =>
  frontDoor()
    .use(httpErrorHandler(logger))
    .use(requestIdHeader())
    .handler(async (apiEvent) => {
      // httpApiEvents has made every event a v1 one.
      const event = apiEvent as APIGatewayProxyEvent;
      const token = event.pathParameters?.token ?? '';
      if (!TOKEN.test(token)) throw new DomainError('not_found', 'not_found', 'No source for this URL.');
      try {
        const result = await ingest(deps, {
          token,
          rawBody: rawBodyOf(event),
          headers: lowercase(event.headers),
        });
        if ('challenge' in result) return jsonResponse(200, { challenge: result.challenge });
        // `request_id` in a log line is the HTTP request's (x-request-id), as in every front door's.
        logger.info(result.duplicate ? 'inbound duplicate' : 'inbound received', {
          inbound_request_id: result.request_id,
          request_id: requestIdOf(event),
        });
        return jsonResponse(202, {
          message: 'Webhook received and queued for processing',
          ...requestIdFields(result.request_id),
        });
      } catch (error) {
        if (error instanceof DomainError) throw error;
        logger.error('inbound request not stored', {
          error: error instanceof Error ? error.message : String(error),
          request_id: requestIdOf(event),
        });
        throw new DependencyUnavailableError();
      }
    });
