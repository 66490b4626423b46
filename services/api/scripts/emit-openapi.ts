import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { openApiDocument } from '../src/route-table.js';

// Writes the OpenAPI document the API serves (without a stage prefix) to the file named on the
// command line: the typed client (packages/client) is generated from it.
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: emit-openapi <file.json>\n');
  process.exit(2);
}
const file = resolve(out);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(openApiDocument(new Logger({ logLevel: 'SILENT' })), null, 2)}\n`);
process.stdout.write(`${file}\n`);
