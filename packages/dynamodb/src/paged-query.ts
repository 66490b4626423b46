import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** One request of a query: the items it found and, when DynamoDB stopped early, where to go on. */
interface QueryPage {
  readonly items: Item[];
  readonly last?: Item;
}

/**
 * One request of a query, from `start` (a page's `last`) when given: for a list paged to a client
 * (a `Limit` and the cursor's key) or a query that wants its first page only.
 *
 * @example
 * const { items, last } = await queryPage(db, { TableName, KeyConditionExpression: 'pk = :pk',
 *   ExpressionAttributeValues: { ':pk': pk }, Limit: 20 });
 */
export const queryPage = async (
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  start?: Item,
): Promise<QueryPage> => {
  const out = await db.send(new QueryCommand(start ? { ...input, ExclusiveStartKey: start } : input));
  return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { last: out.LastEvaluatedKey } : {}) };
};

/**
 * Every item a query finds, request after request, following `LastEvaluatedKey` to the end.
 *
 * @example
 * for await (const item of queryItems(db, input)) count += 1;
 */
export async function* queryItems(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const page = await queryPage(db, input, start);
    yield* page.items;
    start = page.last;
  } while (start);
}

/** Every item a query finds, as one array (for partitions known to be small). */
export const queryAll = async (db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const item of queryItems(db, input)) items.push(item);
  return items;
};
