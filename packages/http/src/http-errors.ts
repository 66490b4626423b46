import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DependencyUnavailableError,
  DomainError,
  type DomainErrorKind,
  type ErrorDetail,
} from '@hookrelay/domain';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse, requestIdOf } from './responses.js';

type HttpError = Error & { statusCode?: number; expose?: boolean };

/** The status each kind of domain error is answered with, by every front door. */
const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit: 413,
  unprocessable: 422,
  unavailable: 503,
};

/**
 * The HTTP status of a kind of domain error.
 *
 * @example statusOf(new NotFoundError('webhook', id).kind) // 404
 */
export const statusOf = (kind: DomainErrorKind): number => STATUS_OF_KIND[kind];

interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;
}

const answer = (status: number, code: string, message: string): ErrorAnswer => ({
  status,
  code,
  message,
  details: [],
  headers: {},
});

const fromDomain = (error: DomainError): ErrorAnswer => ({
  status: statusOf(error.kind),
  code: error.code,
  message: error.message,
  details: error.details,
  headers: error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) },
});

/** Errors thrown by Middy's own middlewares (router, JSON body parser) as our error shape. */
const fromMiddy = (error: HttpError): ErrorAnswer | undefined => {
  switch (error.statusCode) {
    case 404:
      return answer(404, 'route_not_found', 'No such route.');
    case 405:
      return answer(405, 'method_not_allowed', 'That method is not allowed on this route.');
    case 415:
      return answer(
        415,
        'unsupported_media_type',
        'The request body must be JSON (Content-Type: application/json).',
      );
    case 422:
      return answer(400, 'invalid_json', 'The request body is not valid JSON.');
    default:
      return error.statusCode && error.statusCode < 500 && error.expose
        ? answer(error.statusCode, 'bad_request', error.message)
        : undefined;
  }
};

/**
 * The one place errors become responses: domain errors with the status of their kind and their
 * code; anything else is logged with its stack and answered as an opaque 500 that names the
 * request id.
 */
export const httpErrorHandler = (
  logger: Logger,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const error = request.error as HttpError;
    const known = error instanceof DomainError ? fromDomain(error) : fromMiddy(error);
    const requestId = requestIdOf(request.event);
    if (known) {
      // A dependency that failed is worth a look; a deliberate 503 (a disabled receiver) is not.
      if (error instanceof DependencyUnavailableError)
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
