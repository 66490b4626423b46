import { defineConfig, type Options } from 'tsup';

/**
 * How every Lambda is bundled: one minified ESM file with a source map, for Node 24 on
 * arm64. The AWS SDK v3 is bundled, not taken from the runtime: the code then runs with
 * exactly the SDK version it was tested with, and tree-shaking keeps it small.
 */
export const lambdaBundle = (extra: Options = {}) =>
  defineConfig({
    entry: { handler: 'src/handler.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node24',
    outDir: 'dist',
    outExtension: () => ({ js: '.mjs' }),
    bundle: true,
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    splitting: false,
    clean: true,
    treeshake: true,
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    ...extra,
  });
