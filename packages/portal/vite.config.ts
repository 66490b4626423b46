import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built with relative asset paths: the platform serves the same files under any stage prefix
// (`/portal/`, `/prod/portal/`) and names the place with an injected <base href>. `vite dev`
// serves at /portal/ and hands the API's paths to a running platform (`make dev`).
export default defineConfig(({ command }) => ({
  base: command === 'build' ? './' : '/portal/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    assetsInlineLimit: 0,
    // Read by scripts/size.ts to tell what each page loads.
    manifest: true,
  },
  server: {
    proxy: { '/v1': process.env.HOOKRELAY_API_URL ?? 'http://127.0.0.1:3000' },
  },
}));
