import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * Which API Gateway the gateway plays (infra's `api_gateway`): a REST API, which hands
 * functions v1 proxy events and a TOKEN authorizer event and answers its own errors in the
 * platform's shape (infra/src/gateway-responses.ts), or an HTTP API, which hands them payload
 * format 2.0 events (a REQUEST authorizer event on the Authorization header) and answers its
 * own errors with its fixed `{"message": ...}` bodies.
 */
export type FrontDoor = 'rest' | 'http';

const gatewayError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId });
  res.end(JSON.stringify({ error: { code, message } }));
};

/** What the gateway answers by itself, before or instead of a function. */
export type GatewayFailure =
  | 'no_route'
  | 'bad_path'
  | 'too_large'
  | 'no_key'
  | 'denied'
  | 'authorizer_failed'
  | 'integration_failed';

/** A REST API's answers: the platform's error shape (the stage's gateway responses). */
const REST_ANSWERS: Readonly<Record<GatewayFailure, readonly [number, string, string]>> = {
  no_route: [404, 'route_not_found', 'No such route.'],
  bad_path: [400, 'bad_request', 'The path is not valid percent-encoding.'],
  too_large: [413, 'payload_too_large', 'The request body is too large.'],
  no_key: [401, 'unauthorized', 'A valid API key is required in the Authorization header.'],
  denied: [403, 'forbidden', 'This key is not allowed to call this route.'],
  authorizer_failed: [503, 'service_unavailable', 'Authorization is unavailable; try again shortly.'],
  integration_failed: [502, 'bad_gateway', 'The integration failed.'],
};

/** An HTTP API's answers: fixed bodies that cannot be changed, and its `apigw-requestid` header. */
const HTTP_API_ANSWERS: Readonly<Record<GatewayFailure, readonly [number, string]>> = {
  no_route: [404, 'Not Found'],
  bad_path: [400, 'Bad Request'],
  too_large: [413, 'Request Entity Too Large'],
  no_key: [401, 'Unauthorized'],
  denied: [403, 'Forbidden'],
  authorizer_failed: [500, 'Internal Server Error'],
  integration_failed: [500, 'Internal Server Error'],
};

/** Answers `failure` by the gateway itself, as the chosen front door does. */
export const gatewayAnswer = (
  door: FrontDoor,
  res: ServerResponse,
  failure: GatewayFailure,
  requestId: string,
  message?: string,
) => {
  if (door === 'http') {
    const [status, text] = HTTP_API_ANSWERS[failure];
    res.writeHead(status, { 'content-type': 'application/json', 'apigw-requestid': requestId });
    res.end(JSON.stringify({ message: text }));
    return;
  }
  const [status, code, text] = REST_ANSWERS[failure];
  gatewayError(res, status, code, message ?? text, requestId);
};

/**
 * What API Gateway answers for a request it cannot parse (request line or header block over
 * its limits, malformed syntax), in the platform's error shape rather than Node's bare reply,
 * with the code its DEFAULT_4XX response carries in the cloud (infra/src/gateway-responses.ts).
 */
export const clientErrorReply = (error: Error & { code?: string; rawPacket?: Buffer }): string => {
  const requestId = randomUUID();
  const code = 'bad_request';
  let status = 400;
  let message = 'The request could not be parsed.';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // A request line over API Gateway's URL limit (10 KB) is a URI too long; else headers are.
    const head = error.rawPacket?.toString('latin1') ?? '';
    const lineEnd = head.indexOf('\r\n');
    if ((lineEnd === -1 ? head.length : lineEnd) > 10_240) {
      status = 414;
      message = 'The request URI is too long.';
    } else {
      status = 431;
      message = 'The request headers are too large.';
    }
  }
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 400: 'Bad Request', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }[status];
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/json',
    `x-request-id: ${requestId}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
};
