import { Logger } from '@aws-lambda-powertools/logger';
import {
  ConflictError,
  DependencyUnavailableError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { httpErrorHandler, statusOf } from '../src/index.js';

const logger = new Logger({ logLevel: 'SILENT' });

/** A handler that throws `error`, behind the error middleware, answering one request. */
const answerTo = async (error: unknown, log: Logger = logger): Promise<APIGatewayProxyResult> => {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpErrorHandler(log))
    .handler(async () => {
      throw error;
    });
  const event = {
    headers: { 'x-request-id': 'req-1' },
    requestContext: {},
  } as unknown as APIGatewayProxyEvent;
  return handler(event, {} as Context);
};

describe('domain errors at the HTTP edge', () => {
  it.each([
    [new ValidationError('Bad.', [{ field: 'url', message: 'is not a URL' }]), 400, 'validation_error'],
    [new UnauthorizedError(), 401, 'unauthorized'],
    [new ForbiddenError(), 403, 'forbidden'],
    [new NotFoundError('webhook', 'wh_1'), 404, 'not_found'],
    [new ConflictError('Taken.', 'tenant_exists'), 409, 'tenant_exists'],
    [new PayloadTooLargeError(1024), 413, 'payload_too_large'],
    [new UnprocessableError('Other body.', 'idempotency_key_reused'), 422, 'idempotency_key_reused'],
    [new DependencyUnavailableError(), 503, 'service_unavailable'],
  ])(
    '%p is answered %p with its code, message and details in the error shape',
    async (error, status, code) => {
      const response = await answerTo(error);
      expect(response.statusCode).toBe(status);
      expect(statusOf(error.kind)).toBe(status);
      expect(response.headers).toMatchObject({ 'x-request-id': 'req-1', 'content-type': 'application/json' });
      expect(JSON.parse(response.body)).toEqual({
        error: {
          code,
          message: error.message,
          ...(error.details.length > 0 ? { details: error.details } : {}),
        },
      });
    },
  );

  it('says when to ask again where the error knows, and only there', async () => {
    expect((await answerTo(new DependencyUnavailableError())).headers?.['retry-after']).toBe('1');
    expect((await answerTo(new ConflictError('Busy.', 'in_progress', 1))).headers?.['retry-after']).toBe('1');
    expect((await answerTo(new ConflictError('Taken.'))).headers).not.toHaveProperty('retry-after');
    expect((await answerTo(new DomainError('unavailable', 'off', 'Off.'))).headers).not.toHaveProperty(
      'retry-after',
    );
  });

  it('logs a dependency that failed as an error, and not a deliberate 503', async () => {
    const logged: string[] = [];
    const log = { error: (message: string) => logged.push(message) } as unknown as Logger;
    await answerTo(new DomainError('unavailable', 'receiver_disabled', 'This receiver is disabled.'), log);
    expect(logged).toEqual([]);
    await answerTo(new DependencyUnavailableError(), log);
    expect(logged).toEqual(['dependency failure']);
  });

  it('answers anything else as an opaque 500 naming the request', async () => {
    const response = await answerTo(new Error('secret stack detail'));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side (request req-1).' },
    });
  });
});
