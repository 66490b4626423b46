import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lambdaBundle } from '../../tsup.lambda';

const require = createRequire(import.meta.url);
const swagger = dirname(require.resolve('swagger-ui-dist/package.json'));
const redoc = dirname(require.resolve('redoc/package.json'));

// The documentation pages' assets ship beside the bundle (no CDN).
export default lambdaBundle({
  onSuccess: async () => {
    mkdirSync('dist/docs-assets', { recursive: true });
    for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js'])
      cpSync(join(swagger, file), join('dist/docs-assets', file));
    cpSync(join(redoc, 'bundles/redoc.standalone.js'), 'dist/docs-assets/redoc.standalone.js');
  },
});
