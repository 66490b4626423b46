import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError } from '@hookrelay/domain';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse, requestIdOf } from './responses.js';

type HttpError = Error & { statusCode?: number; expose?: boolean };

/** Errors thrown by Middy's own middlewares (router, JSON body parser) as our error shape. */
const fromMiddy = (error: HttpError): AppError | undefined => {
  switch (error.statusCode) {
    case 404:
      return new AppError(404, 'route_not_found', 'No such route.');
    case 405:
      return new AppError(405, 'method_not_allowed', 'That method is not allowed on this route.');
    case 415:
      return new AppError(
        415,
        'unsupported_media_type',
        'The request body must be JSON (Content-Type: application/json).',
      );
    case 422:
      return new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
    default:
      return error.statusCode && error.statusCode < 500 && error.expose
        ? new AppError(error.statusCode, 'bad_request', error.message)
        : undefined;
  }
};

/**
 * The one place errors become responses: typed errors with their status and code; anything
 * else is logged with its stack and answered as an opaque 500 that names the request id.
 */
export const httpErrorHandler = (
  logger: Logger,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const error = request.error as HttpError;
    const known = error instanceof AppError ? error : fromMiddy(error);
    const requestId = requestIdOf(request.event);
    if (known) {
      if (known.status >= 500)
        logger.error('dependency failure', { error: known.message, request_id: requestId });
      request.response = jsonResponse(
        known.status,
        {
          error: {
            code: known.code,
            message: known.message,
            ...(known.details.length > 0 ? { details: known.details } : {}),
          },
        },
        { ...known.headers, 'x-request-id': requestId },
      );
      return;
    }
    logger.error('unhandled error', { error, request_id: requestId });
    request.response = jsonResponse(
      500,
      {
        error: {
          code: 'internal_error',
          message: `Something went wrong on our side (request ${requestId}).`,
        },
      },
      { 'x-request-id': requestId },
    );
  },
});
