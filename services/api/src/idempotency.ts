import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError, UnprocessableError } from '@hookrelay/domain';
import type { Deps } from './deps.js';
import { once } from './once.js';

/** How long a key answers with its first response. */
const KEY_TTL_SECONDS = 24 * 3600;

/** Powertools idempotency set up over its DynamoDB table. */
const load = async (tableName: string, client: DynamoDBClient) => {
  const [idempotency, { DynamoDBPersistenceLayer }] = await Promise.all([
    import('@aws-lambda-powertools/idempotency'),
    import('@aws-lambda-powertools/idempotency/dynamodb'),
  ]);
  const config = new idempotency.IdempotencyConfig({
    eventKeyJmesPath: '[tenant_id, idempotency_key, route]',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: KEY_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  /** Powertools' errors as the API answers them. */
  const answer = (error: unknown): never => {
    if (error instanceof idempotency.IdempotencyValidationError) {
      throw new UnprocessableError(
        'This Idempotency-Key was already used with a different request body.',
        'idempotency_key_reused',
      );
    }
    if (error instanceof idempotency.IdempotencyAlreadyInProgressError) {
      // The first request usually answers within a second: ask again then.
      throw new ConflictError(
        'A request with this Idempotency-Key is still in progress; ask again in a second.',
        'idempotency_in_progress',
        1,
      );
    }
    throw error;
  };
  return { config, persistenceStore, makeIdempotent: idempotency.makeIdempotent, answer };
};

/**
 * `Deps.idempotent` with Powertools idempotency over DynamoDB. The library (with its JMESPath
 * engine) loads with the first request that sends an Idempotency-Key, not at a cold start: most
 * requests send none.
 */
export const powertoolsIdempotency = (tableName: string, client: DynamoDBClient): Deps['idempotent'] => {
  const ready = once(() => load(tableName, client));
  return (fn, context) => async (input) => {
    const { config, persistenceStore, makeIdempotent, answer } = await ready();
    // How long an in-progress record may stand: until this invocation times out.
    config.registerLambdaContext(context);
    return makeIdempotent(fn, { persistenceStore, config, dataIndexArgument: 0 })(input).catch(answer);
  };
};
