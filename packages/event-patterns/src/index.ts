export * from './event-pattern.js';
