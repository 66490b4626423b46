/**
 * What the portal costs to open: the gzip size of everything index.html loads (scripts,
 * stylesheets, module preloads), then what each page adds when first opened. Reads dist/ as
 * `vite build` left it (with its manifest); exits 1 when the first load is over the budget.
 *
 *   pnpm -F @hookrelay/portal run build && pnpm -F @hookrelay/portal run size
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 300;
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

interface Chunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly css?: readonly string[];
}

const manifestPath = join(DIST, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error('No dist/.vite/manifest.json: run `pnpm -F @hookrelay/portal run build` first.');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
const gzipped = (file: string): number => gzipSync(readFileSync(join(DIST, file))).length;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The files index.html itself names: <script src>, <link href> (stylesheets and preloads). */
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const firstLoad = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="\.\/([^"]+)"/g)].map(
  (m) => m[1] ?? '',
);

/** A chunk's files with everything it imports statically (what opening it downloads). */
const closure = (key: string, seen = new Set<string>()): Set<string> => {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) closure(imported, seen);
  return seen;
};

const total = (files: Iterable<string>): number => [...files].reduce((sum, f) => sum + gzipped(f), 0);

console.log('First load (what index.html loads), gzip:');
for (const file of firstLoad) console.log(`  ${file.padEnd(44)} ${kb(gzipped(file)).padStart(10)}`);
const first = total(firstLoad);
console.log(`  ${'total'.padEnd(44)} ${kb(first).padStart(10)}  (budget ${BUDGET_KB} KB)`);

console.log('\nEach page (or lazy part) adds when first opened, gzip:');
const loaded = new Set(firstLoad);
for (const [key, chunk] of Object.entries(manifest).filter(([, c]) => c.isDynamicEntry)) {
  const added = [...closure(key)].filter((f) => !loaded.has(f));
  console.log(`  ${(chunk.src ?? key).replace(/^src\//, '').padEnd(44)} ${kb(total(added)).padStart(10)}`);
}

if (first > BUDGET_KB * 1024) {
  console.error(`\nOver budget: the first load is ${kb(first)}, the budget ${BUDGET_KB} KB.`);
  process.exit(1);
}
