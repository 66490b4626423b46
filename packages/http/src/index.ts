export * from './front-door.js';
export * from './http-api-event.js';
export * from './http-errors.js';
export * from './principal.js';
export * from './responses.js';
