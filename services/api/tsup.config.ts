import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lambdaBundle } from '../../tsup.lambda';

const require = createRequire(import.meta.url);
const swagger = dirname(require.resolve('swagger-ui-dist/package.json'));
const redoc = dirname(require.resolve('redoc/package.json'));

const portal = join('..', '..', 'packages', 'portal', 'dist');

// The documentation pages' assets and the tenant portal's build ship beside the bundle (no CDN):
// the portal is served by this function (docs/portal.md, "In the cloud"), so a bundle without it
// is not one to deploy.
export default lambdaBundle({
  onSuccess: async () => {
    if (!existsSync(join(portal, 'index.html'))) {
      throw new Error('packages/portal/dist is missing: build the portal first (pnpm run build does)');
    }
    rmSync('dist/portal', { recursive: true, force: true });
    mkdirSync('dist/portal', { recursive: true });
    cpSync(join(portal, 'index.html'), 'dist/portal/index.html');
    cpSync(join(portal, 'assets'), 'dist/portal/assets', { recursive: true });
    mkdirSync('dist/docs-assets', { recursive: true });
    for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js'])
      cpSync(join(swagger, file), join('dist/docs-assets', file));
    cpSync(join(redoc, 'bundles/redoc.standalone.js'), 'dist/docs-assets/redoc.standalone.js');
  },
});
