import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX } from '@hookrelay/definitions';
import { NotFoundError, ValidationError } from '@hookrelay/domain';
import { batchGet, type CursorCodec, isConditionFailure, queryPage, writeIf } from '@hookrelay/dynamodb';
import type { ArchivedBody, InboundRequest, InboundRequestStore, RequestPage } from '@hookrelay/inbound';
import { requestKey, requestsBySourceKey, requestsBySourcePk } from './inbound-table-keys.js';

/** The SET clauses and values that record where a body was archived (nothing when it was not now). */
const archivedSet = (archived: ArchivedBody | undefined) =>
  archived
    ? {
        set: `, s3_key = :key, s3_uri = :uri${archived.s3_offset === undefined ? '' : ', s3_offset = :offset'}`,
        values: {
          ':key': archived.s3_key,
          ':uri': archived.s3_uri,
          ...(archived.s3_offset === undefined ? {} : { ':offset': archived.s3_offset }),
        },
      }
    : { set: '', values: {} };

const toRequest = (item: Record<string, unknown>): InboundRequest => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, expires_at: _e, ...rest } = item;
  return rest as unknown as InboundRequest;
};

/**
 * Received requests in the inbound table, one item each (`REQ#tenant#id`), keyed by tenant so
 * no read crosses tenants; `requests-by-source` (keys only) lists a source's newest first.
 */
export class DynamoDbInboundRequestStore implements InboundRequestStore {
  /** `codec` signs the list's cursors: needed by a store that lists (the API's), by no other. */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly codec?: CursorCodec,
  ) {}

  private get cursors(): CursorCodec {
    if (!this.codec) throw new Error('This request store was made without a cursor codec: it cannot list.');
    return this.codec;
  }

  async get(tenantId: string, requestId: string): Promise<InboundRequest | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: requestKey(tenantId, requestId) }),
    );
    return out.Item ? toRequest(out.Item) : undefined;
  }

  async create(request: InboundRequest, expiresAt: number): Promise<boolean> {
    return writeIf(
      this.db,
      new PutCommand({
        TableName: this.table,
        Item: {
          ...requestKey(request.tenant_id, request.id),
          ...requestsBySourceKey(request.tenant_id, request.source_id, request.received_at, request.id),
          expires_at: expiresAt,
          ...request,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async countDuplicate(tenantId: string, requestId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: requestKey(tenantId, requestId),
        UpdateExpression: 'ADD duplicate_count :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async nextRound(tenantId: string, requestId: string): Promise<number> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: requestKey(tenantId, requestId),
          UpdateExpression: 'ADD #round :one SET #status = :received REMOVE #error',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#round': 'round', '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':one': 1, ':received': 'RECEIVED' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.round ?? 0);
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError('inbound webhook', requestId);
      throw error;
    }
  }

  async markRouted(
    tenantId: string,
    requestId: string,
    round: number,
    routedAt: string,
    archived?: ArchivedBody,
  ): Promise<void> {
    const place = archivedSet(archived);
    await writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: requestKey(tenantId, requestId),
        UpdateExpression: `SET #status = :routed, routed_at = :at, routed_round = :round${place.set} REMOVE #error`,
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(routed_round) OR routed_round < :round)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':routed': 'ROUTED', ':at': routedAt, ':round': round, ...place.values },
      }),
    );
  }

  async markFailed(
    tenantId: string,
    requestId: string,
    error: string,
    archived?: ArchivedBody,
  ): Promise<void> {
    const place = archivedSet(archived);
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: requestKey(tenantId, requestId),
        UpdateExpression: `SET #status = :failed, #error = :error${place.set}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'FAILED', ':error': error.slice(0, 500), ...place.values },
      }),
    );
  }

  async listBySource(
    tenantId: string,
    sourceId: string,
    limit: number,
    cursor?: string,
  ): Promise<RequestPage> {
    // A cursor names the list it pages (this source's requests): one of another source, or of
    // another list, would start a query from a key outside it (DynamoDB refuses that).
    const list = `requests:${sourceId}`;
    const decoded = cursor
      ? this.cursors.decode<{ list?: string; key?: Record<string, unknown> }>(tenantId, cursor)
      : undefined;
    if (decoded && (decoded.list !== list || typeof decoded.key !== 'object' || decoded.key === null)) {
      throw new ValidationError("The cursor belongs to another list than this source's requests.", [
        { field: 'cursor', message: "is not a cursor of this source's requests" },
      ]);
    }
    const page = await queryPage(
      this.db,
      {
        TableName: this.table,
        IndexName: INDEX.requestsBySource,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': requestsBySourcePk(tenantId, sourceId) },
        ScanIndexForward: false,
        Limit: limit,
      },
      decoded?.key,
    );
    const keys = page.items.map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    const found = new Map(
      (await batchGet(this.db, this.table, keys, false)).map((item) => [String(item.pk), toRequest(item)]),
    );
    const requests = keys.map((k) => found.get(k.pk)).filter((r): r is InboundRequest => r !== undefined);
    return {
      requests,
      next_cursor: page.last ? this.cursors.encode(tenantId, { list, key: page.last }) : null,
    };
  }
}
