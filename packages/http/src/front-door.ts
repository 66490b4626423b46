import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type ApiGatewayEvent, httpApiEvents } from './http-api-event.js';
import { requestIdOf } from './responses.js';

/** What a function behind either front door answers: a REST API's v1 result, or an HTTP API's 2.0 one. */
type FrontDoorResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2;

/**
 * A Middy handler that serves either front door (infra's `api_gateway`, the stage's
 * `ingestGateway`): an HTTP API's payload format 2.0 event is read as the REST API's v1 event,
 * and answered in 2.0's shape (`httpApiEvents`, first, so that it converts what every other
 * middleware answers).
 *
 * @example export const handler = frontDoor().use(httpErrorHandler(logger)).handler(async (event) => ...);
 */
export const frontDoor = () => middy<ApiGatewayEvent, FrontDoorResult, Error, Context>().use(httpApiEvents());

/**
 * Stamps every response the handler gives with the request id (`x-request-id`), to quote to
 * support. Behind `frontDoor` the event it reads is a v1 one already.
 */
export const requestIdHeader = (): middy.MiddlewareObj<ApiGatewayEvent, FrontDoorResult> => ({
  after: async (request) => {
    if (request.response) {
      const requestId = requestIdOf(request.event as APIGatewayProxyEvent);
      request.response.headers = { ...request.response.headers, 'x-request-id': requestId };
    }
  },
});
