/**
 * What every id of the API looks like (webhooks, events, sources, inbound requests, tenants,
 * keys), generated or a client's own: at most 128 characters, well under DynamoDB's key limits.
 */
export const ID_PATTERN_SOURCE = '^[A-Za-z0-9_.:-]{1,128}$';
export const ID_PATTERN = new RegExp(ID_PATTERN_SOURCE);
