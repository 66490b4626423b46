import { createHash } from 'node:crypto';
import { type Clock, iso } from '@hookrelay/domain';
import { type ArchivedBody, archivedBody, type InboundMessage, type InboundRequest } from './models.js';
import type { Archive, InboundRequestStore } from './ports.js';

interface ArchiveDeps {
  readonly archive: Archive;
  readonly clock: Clock;
}

/**
 * The key of an object holding some of a tenant's bodies: the tenant first (no object mixes
 * tenants), then the day, then the content's hash. Written again with the same bodies (a retry
 * of the same batch), it is the same object with the same bytes.
 */
const batchKey = (tenantId: string, content: Buffer, now: number): string => {
  const day = iso(now).slice(0, 10).split('-').join('/');
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 32);
  return `${tenantId}/batches/${day}/${digest}`;
};

/**
 * Writes bodies of one tenant into one object, one after the other, and says where each is.
 *
 * @example
 * const [first, second] = await archiveBodies(deps, 'acme', [Buffer.from('{}'), Buffer.from('[]')]);
 * // first.s3_offset === 0, second.s3_offset === 2, both in the same s3_key
 */
export const archiveBodies = async (
  deps: ArchiveDeps,
  tenantId: string,
  bodies: readonly Buffer[],
): Promise<ArchivedBody[]> => {
  const content = Buffer.concat(bodies);
  const key = batchKey(tenantId, content, deps.clock.now());
  const uri = await deps.archive.put(key, content, 'application/octet-stream', {});
  let offset = 0;
  return bodies.map((body) => {
    const at = offset;
    offset += body.length;
    return { s3_key: key, s3_uri: uri, s3_offset: at };
  });
};

/**
 * A request's body read back from where it is archived: its range of a batch's object, or the
 * whole object; undefined when the object is missing.
 */
export const readArchivedBody = async (
  archive: Archive,
  request: Pick<InboundRequest, 'size'>,
  at: ArchivedBody,
): Promise<Buffer | undefined> =>
  request.size === 0
    ? Buffer.alloc(0)
    : archive.get(
        at.s3_key,
        at.s3_offset === undefined ? undefined : { offset: at.s3_offset, length: request.size },
      );

/** What the processor knows of one message of a batch before it routes it. */
export interface Prepared {
  /** The request as read before the batch was archived. */
  readonly request?: InboundRequest;
  /** Where this batch archived the body the message carries. */
  readonly archived?: ArchivedBody;
}

/** The message carries a body nothing has archived yet, of a round still to route. */
const needsArchive = (message: InboundMessage, request: InboundRequest): boolean =>
  message.body !== undefined &&
  archivedBody(request) === undefined &&
  !(request.routed_round !== undefined && request.routed_round >= message.round);

const readOnce = async (
  requests: InboundRequestStore,
  messages: readonly (InboundMessage | undefined)[],
): Promise<(InboundRequest | undefined)[]> => {
  // A request named twice in a batch is read once, for its first message: the second is
  // routed after the first changed it, and reads it again then.
  const seen = new Set<string>();
  return Promise.all(
    messages.map(async (message) => {
      if (!message || seen.has(message.request_id)) return undefined;
      seen.add(message.request_id);
      return requests.get(message.tenant_id, message.request_id).catch(() => undefined);
    }),
  );
};

/**
 * Before a batch is routed: reads each message's request and writes the bodies that ride in
 * the messages and are not archived yet, one object per tenant (one S3 PUT for each tenant in
 * the batch instead of one per request). Each message's request and body location go to
 * `processInbound`, which records the location when it marks the request routed. Never
 * throws: what could not be read or written here is left to `processInbound`, which reads it
 * again, archives that body alone or fails that message.
 */
export const prepareBatch = async (
  deps: ArchiveDeps & { readonly requests: InboundRequestStore },
  messages: readonly (InboundMessage | undefined)[],
): Promise<Prepared[]> => {
  const requests = await readOnce(deps.requests, messages);
  const byTenant = new Map<string, number[]>();
  messages.forEach((message, i) => {
    const request = requests[i];
    if (!message || !request || !needsArchive(message, request)) return;
    byTenant.set(request.tenant_id, [...(byTenant.get(request.tenant_id) ?? []), i]);
  });
  const archived = new Map<number, ArchivedBody>();
  await Promise.all(
    [...byTenant].map(async ([tenantId, indexes]) => {
      const bodies = indexes.map((i) => Buffer.from(messages[i]?.body ?? '', 'base64'));
      const places = await archiveBodies(deps, tenantId, bodies).catch(() => []);
      places.forEach((place, n) => {
        const i = indexes[n];
        if (i !== undefined) archived.set(i, place);
      });
    }),
  );
  return messages.map((_, i) => {
    const request = requests[i];
    const place = archived.get(i);
    return { ...(request ? { request } : {}), ...(place ? { archived: place } : {}) };
  });
};
