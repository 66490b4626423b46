/**
 * Typed errors with an HTTP status and a snake_case code. Only errors of this family
 * reach a client as they are; anything else becomes an opaque 500 (see @hookrelay/http).
 *
 * @example
 * throw new NotFoundError('webhook', id);
 */
export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: readonly ErrorDetail[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: readonly ErrorDetail[] = []) {
    super(400, 'validation_error', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required in the Authorization header.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This key is not allowed to do that.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id?: string) {
    super(404, 'not_found', id ? `No ${resource} with id ${id}.` : `No such ${resource}.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, code = 'unprocessable') {
    super(422, code, message);
  }
}

export class DependencyUnavailableError extends AppError {
  constructor(message = 'A service the platform depends on is unavailable; try again shortly.') {
    super(503, 'service_unavailable', message, [], { 'retry-after': '1' });
  }
}
