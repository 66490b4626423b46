import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is sane, else the gateway's request id. */
export const requestIdOf = (event: APIGatewayProxyEvent): string => {
  const given = event.headers?.['x-request-id'];
  if (given && REQUEST_ID.test(given)) return given;
  return event.requestContext?.requestId ?? randomUUID();
};

export const jsonResponse = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
