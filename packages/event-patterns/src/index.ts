export * from './event-pattern.js';
export * from './pattern-problems.js';
export * from './wildcard.js';
