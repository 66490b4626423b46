import { createHookrelayClient } from '@hookrelay/client';
import { convertV2 } from 'openapi-to-postmanv2';

/** The parts of a Postman collection (format v2.1) this module reads or sets. */
interface PostmanEvent {
  readonly listen: 'test' | 'prerequest';
  readonly script: { readonly type: 'text/javascript'; readonly exec: readonly string[] };
}

/** What a collection, its folders and its requests have alike; other fields pass through as they are. */
interface PostmanNode {
  readonly item?: readonly PostmanItem[];
  readonly event?: readonly PostmanEvent[];
  readonly [field: string]: unknown;
}

interface PostmanItem extends PostmanNode {
  readonly name?: string;
  readonly request?: unknown;
}

interface PostmanVariable {
  readonly key: string;
  readonly value: string;
  readonly type?: string;
}

export interface PostmanCollection extends PostmanNode {
  readonly info: { readonly name: string; readonly schema: string; readonly [field: string]: unknown };
  readonly item: readonly PostmanItem[];
  readonly variable?: readonly PostmanVariable[];
  readonly auth?: unknown;
}

interface CollectionSettings {
  /** Where requests go: `{{baseUrl}}` in every request. */
  readonly baseUrl: string;
  /** The key sent as `Authorization: Bearer {{bearerToken}}`; empty leaves it to be filled in. */
  readonly bearerToken?: string;
}

/**
 * The check every request carries: whatever a placeholder body or id earns (400, 404, ...),
 * the API must never answer with a server error.
 */
export const NO_SERVER_ERROR_TEST: PostmanEvent = {
  listen: 'test',
  script: {
    type: 'text/javascript',
    exec: [
      "pm.test('no server error', function () {",
      '  pm.expect(pm.response.code).to.be.below(500);',
      '});',
    ],
  },
};

const convert = (openapi: object): Promise<PostmanCollection> =>
  new Promise((resolve, reject) => {
    convertV2(
      { type: 'json', data: openapi },
      // Tag folders match the API's own grouping; placeholders come from the schemas, which
      // is what makes this collection a smoke test of validation rather than a demo.
      { folderStrategy: 'Tags', parametersResolution: 'Schema', requestNameSource: 'Fallback' },
      (error, result) => {
        if (error) return reject(new Error(`openapi-to-postmanv2: ${error.message}`));
        const data = result?.output?.[0]?.data;
        if (!result?.result || !data) {
          return reject(new Error(`openapi-to-postmanv2: ${result?.reason ?? 'no collection produced'}`));
        }
        resolve(data as PostmanCollection);
      },
    );
  });

/**
 * The document without what it marks deprecated (old parameter and field spellings kept for
 * one release): the collection shows one spelling, the convention's (docs/api.md).
 */
const withoutDeprecated = <T extends object>(openapi: T): T => {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node))
      return node
        .filter(
          (item) => !(typeof item === 'object' && item !== null && 'deprecated' in item && item.deprecated),
        )
        .map(strip);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = strip(value);
    const properties = out.properties as Record<string, { deprecated?: boolean }> | undefined;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) {
      const dropped = Object.keys(properties).filter((name) => properties[name]?.deprecated === true);
      for (const name of dropped) delete properties[name];
      if (Array.isArray(out.required)) out.required = out.required.filter((name) => !dropped.includes(name));
    }
    return out;
  };
  return strip(openapi) as T;
};

const withTest = (item: PostmanItem): PostmanItem =>
  item.item
    ? { ...item, item: item.item.map(withTest) }
    : {
        ...item,
        event: [...(item.event ?? []).filter((e) => e.listen !== 'test'), NO_SERVER_ERROR_TEST],
      };

/** Every request of a collection, depth first (folders hold items, requests do not). */
export const requestsOf = (collection: { readonly item: readonly PostmanItem[] }): PostmanItem[] => {
  const out: PostmanItem[] = [];
  const walk = (items: readonly PostmanItem[]) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      else out.push(item);
    }
  };
  walk(collection.item);
  return out;
};

/**
 * Converts the API's OpenAPI document into a Postman collection with `openapi-to-postmanv2`
 * (its deprecated spellings left out), sets its `baseUrl` and `bearerToken` variables, and gives every request the
 * no-server-error test, so `newman run` of it is a smoke test of the whole API.
 *
 * @example
 * const collection = await postmanCollection(await fetchOpenApi(apiUrl), { baseUrl: apiUrl, bearerToken: key });
 */
export const postmanCollection = async (
  openapi: object,
  settings: CollectionSettings,
): Promise<PostmanCollection> => {
  const converted = await convert(withoutDeprecated(openapi));
  const others = (converted.variable ?? []).filter((v) => v.key !== 'baseUrl' && v.key !== 'bearerToken');
  return {
    ...converted,
    item: converted.item.map(withTest),
    variable: [
      { key: 'baseUrl', value: settings.baseUrl.replace(/\/+$/, ''), type: 'string' },
      { key: 'bearerToken', value: settings.bearerToken ?? '', type: 'string' },
      ...others,
    ],
  };
};

/** GET /v1/openapi.json of a running platform, through the typed client. */
export const fetchOpenApi = async (apiUrl: string): Promise<object> => {
  const { data, response } = await createHookrelayClient({ baseUrl: apiUrl }).GET('/v1/openapi.json');
  if (!data) throw new Error(`GET ${response.url} answered ${response.status}`);
  if (typeof data.openapi !== 'string')
    throw new Error(`GET ${response.url} did not return an OpenAPI document`);
  return data;
};
