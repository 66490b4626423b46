/** `SET a = :a, b = :b` (and `REMOVE` for undefined values) from a plain patch object. */
export const updateExpression = (
  patch: Record<string, unknown>,
): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    names[`#${key}`] = key;
    if (value === undefined) removes.push(`#${key}`);
    else {
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
  }
  const parts = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ];
  return {
    UpdateExpression: parts.filter(Boolean).join(' '),
    ExpressionAttributeNames: names,
    ...(sets.length ? { ExpressionAttributeValues: values } : {}),
  };
};

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'ConditionalCheckFailedException' ||
    (error.name === 'TransactionCanceledException' && error.message.includes('ConditionalCheckFailed')));
