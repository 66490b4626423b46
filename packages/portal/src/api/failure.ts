import { type ApiError, apiError } from '@hookrelay/client';

/** An answer other than 2xx, carrying what the API said so a person can act on it. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: NonNullable<ApiError['details']>;

  constructor(status: number, error: ApiError | undefined, fallback: string) {
    super(error?.message ?? fallback);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = error?.code ?? `http_${status}`;
    this.details = error?.details ?? [];
  }
}

interface Answered<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The body of a 2xx answer of the typed client, or an ApiFailure: how every query and mutation
 * of the portal reads a call, so that errors reach the screen with their code and message.
 *
 * @example
 * const { webhooks } = await unwrap(api.GET('/v1/webhooks'));
 */
export const unwrap = async <T>(call: Promise<Answered<T>>): Promise<T> => {
  let answer: Answered<T>;
  try {
    answer = await call;
  } catch (cause) {
    throw new ApiFailure(0, undefined, `The API could not be reached (${String(cause)}).`);
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const gatewayMessage =
    typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : undefined;
  throw new ApiFailure(
    response.status,
    apiError(error),
    gatewayMessage ?? `The API answered ${response.status} ${response.statusText}.`,
  );
};
