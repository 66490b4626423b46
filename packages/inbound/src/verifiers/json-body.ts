/** The body as JSON when it is a JSON object, else undefined. */
export const jsonObject = (rawBody: Buffer): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** A field's value when it is a non-empty string. */
export const stringField = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
