// Jest loads this as native ESM; tsx loads the TypeScript engine launcher.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startEngines } = await tsImport('./engines.ts', import.meta.url);
  const engines = await startEngines();
  process.env.TEST_DYNAMODB_ENDPOINT = engines.dynamodbEndpoint;
  process.env.TEST_SQS_ENDPOINT = engines.sqsEndpoint;
  globalThis.__engines = engines;
}
