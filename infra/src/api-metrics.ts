/**
 * Where a tenant API's stage reports to CloudWatch. Both kinds publish to `AWS/ApiGateway`, but
 * a REST API is named by `ApiName` and counts errors as `4XXError`/`5XXError`, while an HTTP
 * API is named by `ApiId` and counts them as `4xx`/`5xx`.
 */
export interface ApiMetrics {
  readonly namespace: 'AWS/ApiGateway';
  readonly dimensions: Readonly<Record<string, string>>;
  readonly count: 'Count';
  readonly clientErrors: '4XXError' | '4xx';
  readonly serverErrors: '5XXError' | '5xx';
  readonly latency: 'Latency';
  readonly integrationLatency: 'IntegrationLatency';
}

const common = { namespace: 'AWS/ApiGateway', count: 'Count', latency: 'Latency' } as const;

/** @example restApiMetrics('hookrelay-api-dev', 'dev').dimensions // { ApiName, Stage } */
export const restApiMetrics = (apiName: string, stage: string): ApiMetrics => ({
  ...common,
  dimensions: { ApiName: apiName, Stage: stage },
  clientErrors: '4XXError',
  serverErrors: '5XXError',
  integrationLatency: 'IntegrationLatency',
});

/** @example httpApiMetrics(api.id, 'dev').dimensions // { ApiId, Stage } */
export const httpApiMetrics = (apiId: string, stage: string): ApiMetrics => ({
  ...common,
  dimensions: { ApiId: apiId, Stage: stage },
  clientErrors: '4xx',
  serverErrors: '5xx',
  integrationLatency: 'IntegrationLatency',
});
