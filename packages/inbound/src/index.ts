export * from './archive-batch.js';
export * from './ingest.js';
export * from './models.js';
export * from './ports.js';
export * from './process.js';
export * from './verifiers/index.js';
