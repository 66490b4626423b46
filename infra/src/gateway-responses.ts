import { ApiGatewayGatewayResponse } from '@cdktn/provider-aws/lib/api-gateway-gateway-response';
import type { Construct } from 'constructs';

export interface GatewayErrorResponse {
  readonly type: string;
  /** Omitted: API Gateway keeps the status it chose (the DEFAULT_* families). */
  readonly status?: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What API Gateway answers by itself, before any function runs, in the API's own error shape
 * and with the codes the local gateway uses, so clients handle one format whichever answered.
 */
export const GATEWAY_ERROR_RESPONSES: readonly GatewayErrorResponse[] = [
  {
    type: 'UNAUTHORIZED',
    status: '401',
    code: 'unauthorized',
    message: 'A valid API key is required in the Authorization header.',
  },
  {
    type: 'ACCESS_DENIED',
    status: '403',
    code: 'forbidden',
    message: 'This key is not allowed to call this route.',
  },
  // REST APIs answer an unknown path or method with "Missing Authentication Token" and 403;
  // it is a missing route, and says so.
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: '404', code: 'route_not_found', message: 'No such route.' },
  // The authorizer failing is a dependency being down, not the caller's fault.
  {
    type: 'AUTHORIZER_FAILURE',
    status: '503',
    code: 'service_unavailable',
    message: 'Authorization is unavailable; try again shortly.',
  },
  {
    type: 'AUTHORIZER_CONFIGURATION_ERROR',
    status: '503',
    code: 'service_unavailable',
    message: 'Authorization is unavailable; try again shortly.',
  },
  { type: 'THROTTLED', status: '429', code: 'throttled', message: 'Too many requests; slow down.' },
  {
    type: 'REQUEST_TOO_LARGE',
    status: '413',
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  { type: 'DEFAULT_4XX', code: 'bad_request', message: 'The gateway refused the request.' },
  {
    type: 'DEFAULT_5XX',
    code: 'bad_gateway',
    message: 'The gateway could not complete the request; try again shortly.',
  },
];

/** `{"error":{"code":"...","message":"..."}}`, the body every API error has. */
export const errorBody = (code: string, message: string): string =>
  JSON.stringify({ error: { code, message } });

export const addGatewayResponses = (scope: Construct, restApiId: string): ApiGatewayGatewayResponse[] =>
  GATEWAY_ERROR_RESPONSES.map(
    (response) =>
      new ApiGatewayGatewayResponse(scope, `gateway-response-${response.type.toLowerCase()}`, {
        restApiId,
        responseType: response.type,
        ...(response.status ? { statusCode: response.status } : {}),
        responseTemplates: { 'application/json': errorBody(response.code, response.message) },
      }),
  );
