export * from './cli.js';
export * from './dead-letter-commands.js';
export * from './postman-collection.js';
export * from './seed-command.js';
export * from './stage-target.js';
