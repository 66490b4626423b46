import fc from 'fast-check';

/**
 * Values a client may send that no field expects, and arbitraries that draw each field of a
 * JSON Schema from values it accepts or, now and then, from those: the raw material of the
 * contract fuzz test.
 */

export type Schema = Readonly<Record<string, unknown>>;

/** Strings past every limit, in other scripts, outside the BMP, with controls and lone surrogates. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  'a'.repeat(129),
  'a'.repeat(1_100),
  'b'.repeat(2_100),
  '😀'.repeat(300),
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢-𠜎-🚀',
  'é'.repeat(600),
  'ünïcödé-名前-اسم',
  '\u202Egnp.exe',
  '\uFEFFbom',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDFFFy',
  'a b',
  'a\tb\nc',
  '../../etc/passwd',
  '..',
  '%2e%2e',
  '%00',
  '__proto__',
  'constructor',
  'null',
  '0',
  '-1',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  'İstanbul-ǅ-ß',
  'evt_',
];

/**
 * Date-times a clock cannot represent or a parser reads differently: leap seconds, offsets
 * without minutes or past ±14:00, impossible days, years outside 0–9999, lower-case and spaced.
 */
export const EDGE_DATES: readonly string[] = [
  '2026-06-30T23:59:60Z',
  '2016-12-31T23:59:60+00:00',
  '2026-06-30T23:59:60.999-01:00',
  '2026-01-01T00:00:00+01',
  '2026-01-01T00:00:00+0100',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-12:00',
  '2026-01-01T00:00:00+23:59',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00-00:00',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-01-01T00:00:00.123456789Z',
  '2026-01-01t00:00:00z',
  '2026-01-01 00:00:00Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00,5Z',
  '1970-01-01T00:00:00Z',
  '1e10',
];

/** Numbers as query strings: bounds, signs, fractions, past 2^53 and doubles, other digits. */
export const EDGE_NUMBER_TEXTS: readonly string[] = [
  '0',
  '101',
  '-1',
  '-0',
  '1.5',
  '1e2',
  '9007199254740993',
  '1e308',
  '1e400',
  'NaN',
  'Infinity',
  '0x10',
  ' 5',
  '+5',
  '٣',
  '１',
];

/** Numbers as JSON text, including what JSON.stringify cannot write (1e400 parses to Infinity). */
export const EDGE_NUMBER_JSON: readonly string[] = [
  '0',
  '-1',
  '-0',
  '1.5',
  '9007199254740993',
  '1e308',
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '5e-324',
];

/** A value written into the JSON text as is (JSON.rawJSON), for numbers JSON.stringify cannot write. */
export const rawNumber = (text: string): unknown =>
  (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);

/** Values of every JSON type, for a field that expects another. */
const wrongType = (): fc.Arbitrary<unknown> =>
  fc.constantFrom<unknown>(null, true, 0, -1, 'text', [], {}, [1, 'a'], { nested: { deeper: [] } });

/**
 * How a request's fields are drawn: each from values its schema accepts, one in `validWeight + 1`
 * from edge values, so that a request usually carries one or two odd values among valid ones
 * and gets past validation to the code behind it as often as it is stopped there.
 */
export interface Draw {
  readonly validWeight: number;
  /** Values a field of this name should get: real ones (ids, URLs, cursors, types). */
  readonly valid?: (name: string) => readonly string[] | undefined;
  /** Odd values for a field of this name beyond the generic ones (a reserved event type). */
  readonly edge?: (name: string) => readonly string[] | undefined;
}

/** A valid value most of the time, an edge one now and then. */
export const mostlyValid = <T>(draw: Draw, valid: fc.Arbitrary<T>, edge: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: draw.validWeight, arbitrary: valid }, { weight: 1, arbitrary: edge });

/** A string generated to match a pattern of the document (ECMAScript syntax, as ajv reads it). */
const matching = (pattern: string): fc.Arbitrary<string> => {
  try {
    return fc.stringMatching(new RegExp(pattern, 'u'));
  } catch {
    return fc.string();
  }
};

/** A recent instant written with an offset of whole minutes, as a client anywhere would. */
const offsetDateTime = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
    )
    .map(([at, offsetMinutes]) => {
      const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 19);
      if (offsetMinutes === 0) return `${local}Z`;
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      return `${local}${sign}${hh}:${mm}`;
    });

const oneOfValues = (values: readonly string[] | undefined): fc.Arbitrary<string>[] =>
  values && values.length > 0 ? [fc.constantFrom(...values)] : [];

/** Values a string field of this schema accepts (the real ones first when there are any). */
const validText = (schema: Schema, name: string, draw: Draw): fc.Arbitrary<string> => {
  const real = oneOfValues(draw.valid?.(name));
  if (real.length > 0) return real[0] as fc.Arbitrary<string>;
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum.map(String));
  if (schema.format === 'date-time') return offsetDateTime();
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
    const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
    return fc.integer({ min, max }).map(String);
  }
  if (type === 'boolean') return fc.constantFrom('true', 'false');
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  if (typeof schema.pattern === 'string')
    return matching(schema.pattern).filter((s) => s.length <= maxLength && s.length > 0);
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 40) });
};

/** Values a string field of this schema should refuse, or read with care. */
const edgeText = (schema: Schema, name: string, draw: Draw): fc.Arbitrary<string> => {
  const choices: fc.Arbitrary<string>[] = [
    fc.constantFrom(...EDGE_STRINGS),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    ...oneOfValues(draw.edge?.(name)),
  ];
  if (schema.format === 'date-time') choices.push(fc.constantFrom(...EDGE_DATES));
  if (schema.type === 'integer' || schema.type === 'number')
    choices.push(fc.constantFrom(...EDGE_NUMBER_TEXTS));
  if (Array.isArray(schema.enum))
    choices.push(fc.constantFrom(...schema.enum.map((v) => String(v).toLowerCase())));
  if (typeof schema.maxLength === 'number') choices.push(fc.constant('x'.repeat(schema.maxLength + 1)));
  return fc.oneof(...choices);
};

/** A string for a field of this schema (a query, path or header value): mostly valid. */
export const textFor = (schema: Schema, name: string, draw: Draw): fc.Arbitrary<string> =>
  mostlyValid(draw, validText(schema, name, draw), edgeText(schema, name, draw));

const schemaType = (schema: Schema): string | undefined => {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return typeof schema.type === 'string' ? schema.type : undefined;
};

/** An object of this schema: its required properties, some optional ones, each drawn by `jsonFor`. */
const validObject = (schema: Schema, name: string, draw: Draw, depth: number): fc.Arbitrary<unknown> => {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  const known = fc.record(
    Object.fromEntries(names.map((n) => [n, jsonFor(properties[n] ?? {}, n, draw, depth + 1)])),
    { requiredKeys: names.filter((n) => required.has(n)) },
  );
  const extra =
    schema.additionalProperties && typeof schema.additionalProperties === 'object'
      ? fc.dictionary(
          validText((schema.propertyNames ?? {}) as Schema, `${name}.key`, draw),
          jsonFor(schema.additionalProperties as Schema, `${name}.value`, draw, depth + 1),
          { maxKeys: 4 },
        )
      : fc.constant({});
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  return fc
    .tuple(known, extra)
    .map(([k, e]): Record<string, unknown> => ({ ...e, ...k }))
    .filter((value) => Object.keys(value).length >= minProperties);
};

/** An object its schema refuses: an unknown field, a required one left out, a __proto__ key, too many. */
const edgeObject = (schema: Schema, name: string, draw: Draw, depth: number): fc.Arbitrary<unknown> => {
  const required = new Set((schema.required ?? []) as string[]);
  return fc
    .tuple(validObject(schema, name, draw, depth), fc.constantFrom('unknown', 'drop', 'proto', 'many'))
    .map(([value, twist]) => {
      const entries = Object.entries(value as Record<string, unknown>);
      if (twist === 'unknown') entries.push(['not_a_field', 'surprise']);
      if (twist === 'proto') entries.push(['__proto__', { polluted: true }]);
      if (twist === 'many') for (let i = 0; i < 30; i += 1) entries.push([`X-Extra-${i}`, 'v'.repeat(200)]);
      if (twist === 'drop') return Object.fromEntries(entries.filter(([k]) => !required.has(k)));
      return Object.fromEntries(entries);
    });
};

/**
 * A JSON value for a body field of this schema: mostly one it accepts, now and then an edge
 * value, a wrong type, a number JSON cannot carry, an object with an unknown or missing field,
 * an array too long or with duplicates.
 */
export const jsonFor = (schema: Schema, name: string, draw: Draw, depth = 0): fc.Arbitrary<unknown> => {
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const { anyOf: _a, oneOf: _o, ...common } = schema;
    return fc.oneof(...branches.map((branch) => jsonFor({ ...common, ...branch }, name, draw, depth)));
  }
  const type = schemaType(schema);
  const odd = [wrongType(), fc.constantFrom(...EDGE_NUMBER_JSON).map(rawNumber)];
  if (type === 'object' && depth < 4) {
    return mostlyValid(
      draw,
      validObject(schema, name, draw, depth),
      fc.oneof(edgeObject(schema, name, draw, depth), ...odd),
    );
  }
  if (type === 'array' && depth < 4) {
    const items = (schema.items ?? {}) as Schema;
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : 10;
    const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const item = jsonFor(items, `${name}[]`, draw, depth + 1);
    const size = { minLength: minItems, maxLength: Math.max(minItems, Math.min(maxItems, 4)) };
    const valid = schema.uniqueItems
      ? fc.uniqueArray(item, { ...size, selector: (v) => JSON.stringify(v) })
      : fc.array(item, size);
    const edge = fc.oneof(
      item.map((v) => [v, v]),
      fc.constant(Array.from({ length: maxItems + 1 }, (_, i) => `item.${i}`)),
      fc.constant([]),
      ...odd,
    );
    return mostlyValid(draw, valid, edge);
  }
  if (type === 'string') return textFor(schema, name, draw);
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000;
    const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
    const edge = fc.oneof(fc.constantFrom<unknown>(min - 1, max + 1, 0.5, '5'), ...odd);
    return mostlyValid(draw, fc.integer({ min, max }), edge);
  }
  if (type === 'boolean')
    return mostlyValid<unknown>(draw, fc.boolean(), fc.oneof(fc.constant('true'), ...odd));
  // No type (free JSON, such as an event's data, or a batch item's fields): real values first.
  const real = draw.valid?.(name);
  const valid: fc.Arbitrary<unknown> =
    real && real.length > 0 ? fc.constantFrom(...real) : fc.jsonValue({ maxDepth: 3 });
  return mostlyValid(
    draw,
    valid,
    fc.oneof(edgeText(schema, name, draw), fc.jsonValue({ maxDepth: 3 }), ...odd),
  );
};
