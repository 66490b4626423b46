import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { resourceName, tables } from '@hookrelay/definitions';
import { createDocumentClient, queryAll, queryItems, queryPage } from '@hookrelay/dynamodb';
import { createTables } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

// The paged query every store reads through, against DynamoDB Local: a Limit makes DynamoDB
// stop early, as a 1 MB page does on AWS, so following `LastEvaluatedKey` is exercised.
describe('the paged query', () => {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  const options = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const ddb = new DynamoDBClient(options);
  const db = createDocumentClient(options);
  const stage = `q${randomBytes(4).toString('hex')}`;
  const table = resourceName(tables.data.baseName, stage);
  const query = (limit: number) => ({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'T#paging' },
    Limit: limit,
  });

  beforeAll(async () => {
    if (!endpoint) throw new Error('the jest global setup did not start DynamoDB Local');
    await createTables(ddb, stage);
    for (const sk of ['a', 'b', 'c', 'd', 'e']) {
      await ddb.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: 'T#paging' }, sk: { S: sk } } }),
      );
    }
  });

  afterAll(() => {
    db.destroy();
    ddb.destroy();
  });

  it('one page stops where DynamoDB stopped, and the next starts there', async () => {
    const first = await queryPage(db, query(2));
    expect(first.items.map((i) => i.sk)).toEqual(['a', 'b']);
    expect(first.last).toEqual({ pk: 'T#paging', sk: 'b' });
    const second = await queryPage(db, query(2), first.last);
    expect(second.items.map((i) => i.sk)).toEqual(['c', 'd']);
  });

  it('the last page says there is nothing more', async () => {
    const page = await queryPage(db, query(10));
    expect(page.items).toHaveLength(5);
    expect(page.last).toBeUndefined();
  });

  it('reading every item follows the pages to the end, in key order', async () => {
    const seen: unknown[] = [];
    for await (const item of queryItems(db, query(2))) seen.push(item.sk);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await queryAll(db, query(3))).map((i) => i.sk)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a query that finds nothing reads one empty page', async () => {
    const none = { ...query(2), ExpressionAttributeValues: { ':pk': 'T#nobody' } };
    expect(await queryAll(db, none)).toEqual([]);
  });
});
