import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** esbuild's plugin shape, as tsup's `esbuildPlugins` takes it. */
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * The X-Ray SDK (under Powertools Tracer) loads its AWS SDK v2 patcher at import, and with it
 * `semver` (28 KB), though only SDK v3 clients are traced here (`captureAWSv3Client`). The
 * bundle gets a patcher that says so instead: about 12 ms off the cold start of every traced
 * function (docs/benchmarks.md).
 */
export const xrayWithoutSdkV2: EsbuildPlugin = {
  name: 'xray-without-sdk-v2',
  setup(build) {
    build.onLoad({ filter: /aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]patchers[\\/]aws_p\.js$/ }, () => ({
      loader: 'js',
      contents: [
        'const v2 = () => {',
        "  throw new Error('AWS SDK v2 is not in this bundle: trace v3 clients with captureAWSv3Client');",
        '};',
        'module.exports = { captureAWS: v2, captureAWSClient: v2 };',
      ].join('\n'),
    }));
  },
};

/**
 * cls-hooked (the X-Ray SDK's context, under Powertools Tracer) loads Node's `assert` at import
 * (about 5 ms with its diff and error helpers) for `assert.ok` checks that hold unless it is
 * misused. The bundle gives it an `ok` that loads `assert` only when a check fails.
 */
export const assertOnFailure: EsbuildPlugin = {
  name: 'assert-on-failure',
  setup(build) {
    build.onResolve({ filter: /^assert$/ }, (args) =>
      /[\\/]cls-hooked[\\/]/.test(args.importer)
        ? { path: 'assert', namespace: 'assert-on-failure' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'assert-on-failure' }, () => ({
      loader: 'js',
      contents: [
        'module.exports = {',
        '  ok(value, message) {',
        "    if (!value) require('node:assert').ok(value, message);",
        '  },',
        '};',
      ].join('\n'),
    }));
  },
};

/**
 * `node:http` imported as an ES module costs a cold start about 40 ms on Node 24: building its
 * ES module namespace reads every export, and some of them (`WebSocket`, `MessageEvent`…) are
 * getters that load Node's bundled undici. `require('node:http')` reads none of them. Every ES
 * import of it in the bundle (Middy's `STATUS_CODES`, the delivery sender's `Agent`…) goes
 * through `require` instead.
 */
export const httpByRequire: EsbuildPlugin = {
  name: 'http-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http$/ }, (args) =>
      args.kind === 'import-statement' ? { path: 'node:http', namespace: 'http-by-require' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'http-by-require' }, () => ({
      loader: 'js',
      contents: "module.exports = require('node:http');",
    }));
  },
};

/**
 * What every bundle here shares: ESM `.mjs` files in `dist` for Node 24, dependencies bundled,
 * `node:` kept on built-in imports (httpByRequire must see `node:http` as written).
 */
export const nodeBundle: Options = {
  format: ['esm'],
  platform: 'node',
  target: 'node24',
  outDir: 'dist',
  outExtension: () => ({ js: '.mjs' }),
  bundle: true,
  clean: true,
  removeNodeProtocol: false,
};

/**
 * How every Lambda is bundled: minified ESM with source maps, for Node 24 on arm64. The AWS SDK
 * v3 is bundled, not taken from the runtime: the code then runs with exactly the SDK version it
 * was tested with, and tree-shaking keeps it small.
 *
 * The bundle is split: `handler.mjs` and the chunks it imports are what a cold start reads;
 * whatever is reached only through `import()` is a chunk of its own, read when first called. The
 * SDK loads its credential providers (SSO, STS, INI files, IMDS…), their nested clients and its
 * browser detection that way, and a function on Lambda, with its credentials in the environment,
 * never calls most of them: about 300 KB less to compile at every cold start (docs/benchmarks.md).
 *
 * The source map has no `sourcesContent`: stack traces (`--enable-source-maps`) need only the
 * mappings, and Node parses the whole map when it loads the bundle, so the sources' text would
 * cost every cold start (about 100 ms for the api's 2.5 MB of it, docs/benchmarks.md).
 */
export const lambdaBundle = ({ esbuildOptions, ...extra }: Options = {}) =>
  defineConfig({
    ...nodeBundle,
    entry: { handler: 'src/handler.ts' },
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    splitting: true,
    treeshake: true,
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    esbuildPlugins: [xrayWithoutSdkV2, assertOnFailure, httpByRequire],
    esbuildOptions: (options, context) => {
      options.sourcesContent = false;
      esbuildOptions?.(options, context);
    },
    ...extra,
  });

/**
 * The files a cold start of a bundle reads: its entry (`dist/handler.mjs`) and the chunks it
 * imports statically, transitively; not those reached only through `import()`.
 */
export const coldStartFiles = (entry: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, next] of readFileSync(entry, 'utf8').matchAll(
    /(?:from|import)\s*["']\.\/([^"']+\.mjs)["']/g,
  )) {
    if (next) coldStartFiles(join(dirname(entry), next), seen);
  }
  return seen;
};
