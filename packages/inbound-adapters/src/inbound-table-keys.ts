// The inbound table (`inbound`): a tenant's sources, each source's ingest token (read with its
// secrets in one GetItem by the ingestion function), and one item per received request, listed
// per source through `requests-by-source`.

/** The tenant's sources partition. */
export const sourcesPk = (tenantId: string): string => `TENANT#${tenantId}`;
export const SOURCE_SK_PREFIX = 'SOURCE#';
export const sourceKey = (tenantId: string, sourceId: string) => ({
  pk: sourcesPk(tenantId),
  sk: `${SOURCE_SK_PREFIX}${sourceId}`,
});

/** A source's ingest token: its route and secrets. */
export const tokenKey = (token: string) => ({ pk: `TOKEN#${token}`, sk: 'TOKEN' });

/** A received request, keyed by its tenant so no read crosses tenants. */
export const requestKey = (tenantId: string, requestId: string) => ({
  pk: `REQ#${tenantId}#${requestId}`,
  sk: 'REQ',
});

/** The `requests-by-source` index's partition (`gsi1pk`) of a source's requests. */
export const requestsBySourcePk = (tenantId: string, sourceId: string): string =>
  `SRC#${tenantId}#${sourceId}`;
/** A request's place in its source's list: its partition and a sort key by arrival (`gsi1sk`). */
export const requestsBySourceKey = (
  tenantId: string,
  sourceId: string,
  receivedAt: string,
  requestId: string,
) => ({
  gsi1pk: requestsBySourcePk(tenantId, sourceId),
  gsi1sk: `${receivedAt}#${requestId}`,
});
