import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '@hookrelay/definitions';

/**
 * An item's size as DynamoDB counts it for storage: attribute names plus values (strings in
 * UTF-8, numbers about one byte per two digits plus one, 3 bytes for a map or list and 1 per
 * element), plus 100 bytes of per-item overhead. Each global secondary index entry is billed
 * too: its keys, the table's keys, the projected attributes and 100 bytes.
 */
export const valueSize = (v: AttributeValue): number => {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+|0+$/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.M !== undefined)
    return 3 + Object.entries(v.M).reduce((t, [k, x]) => t + Buffer.byteLength(k) + valueSize(x) + 1, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((t, x) => t + valueSize(x) + 1, 0);
  if (v.SS !== undefined) return v.SS.reduce((t, s) => t + Buffer.byteLength(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((t, n) => t + valueSize({ N: n }), 0);
  return 0;
};

const attributesSize = (item: Record<string, AttributeValue>, names: Iterable<string>): number => {
  let total = 0;
  for (const name of new Set(names)) {
    const v = item[name];
    if (v) total += Buffer.byteLength(name) + valueSize(v);
  }
  return total;
};

export const ITEM_OVERHEAD_BYTES = 100;

/** Bytes the item and its index entries occupy. */
export const storedSize = (item: Record<string, AttributeValue>, table: TableDefinition): number => {
  let total = attributesSize(item, Object.keys(item)) + ITEM_OVERHEAD_BYTES;
  const tableKeys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  for (const index of table.indexes) {
    if (!item[index.partitionKey] || (index.sortKey && !item[index.sortKey])) continue;
    const keys = [index.partitionKey, ...(index.sortKey ? [index.sortKey] : []), ...tableKeys];
    const projected =
      index.projection === 'ALL'
        ? Object.keys(item)
        : index.projection === 'KEYS_ONLY'
          ? []
          : index.projection;
    total += attributesSize(item, [...keys, ...projected]) + ITEM_OVERHEAD_BYTES;
  }
  return total;
};
