export * from './event-pattern.js';
export * from './wildcard.js';
