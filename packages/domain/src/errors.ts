/**
 * Typed errors that say what went wrong (`kind`) with a snake_case `code` and a sentence for the
 * caller; never how a front door answers it. Each front door turns a kind into its status in one
 * place (@hookrelay/http's `statusOf`); anything that is not a DomainError is answered as an
 * opaque failure there.
 *
 * @example
 * throw new NotFoundError('webhook', id);
 * throw new DomainError('conflict', 'too_many_sources', 'A tenant can have at most 50 sources.');
 */
export interface ErrorDetail {
  readonly field?: string;
  readonly message: string;
}

/**
 * What went wrong, from the caller's side: its input is invalid; it did not prove who it is
 * (`unauthorized`) or may not do this (`forbidden`); what it names does not exist; the state
 * does not allow it (`conflict`); it is over a size limit; it contradicts what it sent before
 * (`unprocessable`); or something the platform depends on is down (`unavailable`).
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'limit'
  | 'unprocessable'
  | 'unavailable';

interface DomainErrorOptions {
  readonly details?: readonly ErrorDetail[];
  /** When asking again makes sense: a busy or unavailable thing that should be free shortly. */
  readonly retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly details: readonly ErrorDetail[];
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: DomainErrorKind, code: string, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: readonly ErrorDetail[] = [], code = 'validation_error') {
    super('invalid', code, message, { details });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(
    message = 'A valid API key is required in the Authorization header.',
    code = 'unauthorized',
    details: readonly ErrorDetail[] = [],
  ) {
    super('unauthorized', code, message, { details });
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'This key is not allowed to do that.') {
    super('forbidden', 'forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id?: string) {
    super('not_found', 'not_found', id ? `No ${resource} with id ${id}.` : `No such ${resource}.`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict', retryAfterSeconds?: number) {
    super('conflict', code, message, { retryAfterSeconds });
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('limit', 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnprocessableError extends DomainError {
  constructor(message: string, code = 'unprocessable') {
    super('unprocessable', code, message);
  }
}

export class DependencyUnavailableError extends DomainError {
  constructor(message = 'A service the platform depends on is unavailable; try again shortly.') {
    super('unavailable', 'service_unavailable', message, { retryAfterSeconds: 1 });
  }
}
