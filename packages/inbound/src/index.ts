export * from './verifiers/index.js';
