import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AcmCertificate } from '@cdktn/provider-aws/lib/acm-certificate';
import { ApiGatewayAuthorizer } from '@cdktn/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktn/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayDomainName } from '@cdktn/provider-aws/lib/api-gateway-domain-name';
import { ApiGatewayGatewayResponse } from '@cdktn/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktn/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktn/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktn/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchDashboard } from '@cdktn/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktn/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktn/provider-aws/lib/lambda-permission';
import { Route53Record } from '@cdktn/provider-aws/lib/route53-record';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktn/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { ENV, INBOUND_ENV, tableList, WORKER_TIMEOUT_SECONDS } from '@hookrelay/definitions';
import { DEFAULT_RETRY_SCHEDULE } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { SERVICES, type ServiceName } from '../src/function-access.js';
import {
  FUNCTION_ENVIRONMENT,
  RUNTIME_ENVIRONMENT,
  SECRET_VALUE_VARIABLES,
} from '../src/function-environment.js';
import { serviceBundleDirs } from '../src/lambda-bundles.js';
import { apiRoutes } from '../src/platform.js';
import { PlatformApi } from '../src/platform-api.js';
import { reservedConcurrencyOf, stageSettings } from '../src/stage.js';
import { FUNCTION_SIZING, type StatelessStack, TRACED_FUNCTIONS } from '../src/stateless-stack.js';
import {
  buildTestPlatform,
  expectResource,
  findResource,
  resourceList,
  resources,
  type Synthesized,
  synthesize,
  synthPlatform,
  text,
} from './support/synth.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { stateful, stateless } = synthPlatform('dev');
const prod = synthPlatform('prod').stateless;
const rest = synthPlatform('dev', undefined, { apiGateway: 'rest' }).stateless;
const prodRest = synthPlatform('prod', undefined, { apiGateway: 'rest' }).stateless;

const fn = (service: ServiceName, stack: Synthesized = stateless) =>
  findResource(stack, LambdaFunction.tfResourceType, { function_name: `hookrelay-${service}-dev` });
const envOf = (service: ServiceName) =>
  (fn(service).environment as { variables: Record<string, string> }).variables;
/** `${aws_lambda_function.fn-api_function_78E330B3.invoke_arn}` → the function's Terraform name. */
const refName = (reference: unknown): string =>
  String(reference).replace(/^\$\{[a-z0-9_]+\.([^.}]+)\..*$/, '$1');
const nameOf = (stack: Synthesized, type: string, resource: Record<string, unknown>): string => {
  const entry = Object.entries(resources(stack, type)).find(([, r]) => r === resource);
  if (!entry) throw new Error(`not a ${type}`);
  return entry[0];
};

describe('Lambda functions', () => {
  it('deploys the six services, each from its own bundle archive', () => {
    const functions = resourceList(stateless, LambdaFunction.tfResourceType);
    expect(functions.map((f) => f.function_name).sort()).toEqual(
      SERVICES.map((s) => `hookrelay-${s}-dev`).sort(),
    );
    for (const service of SERVICES) {
      const filename = String(fn(service).filename);
      expect(filename).toMatch(
        new RegExp(`^assets/fn-${service}_bundle_[0-9A-F]+/[0-9A-F]{32}/archive\\.zip$`),
      );
      expect(fn(service).source_code_hash).toBe(`\${filebase64sha256("${filename}")}`);
    }
  });

  it.each(SERVICES.map((s) => [s]))(
    '%s: Node 24 on arm64, X-Ray, JSON logs in its own log group',
    (service) => {
      expectResource(stateless, LambdaFunction, {
        function_name: `hookrelay-${service}-dev`,
        runtime: 'nodejs24.x',
        architectures: ['arm64'],
        handler: 'handler.handler',
        tracing_config: { mode: TRACED_FUNCTIONS.has(service) ? 'Active' : 'PassThrough' },
        memory_size: FUNCTION_SIZING[service].memoryMb,
        timeout: FUNCTION_SIZING[service].timeoutSeconds,
      });
      const logGroup = findResource(stateless, CloudwatchLogGroup.tfResourceType, {
        name: `/aws/lambda/hookrelay-${service}-dev`,
      });
      expect(logGroup.retention_in_days).toBe(14);
      const logging = fn(service).logging_config as { log_format: string; log_group: string };
      expect(logging.log_format).toBe('JSON');
      expect(refName(logging.log_group)).toBe(nameOf(stateless, CloudwatchLogGroup.tfResourceType, logGroup));
    },
  );

  it('keeps production logs longer', () => {
    for (const group of resourceList(prod, CloudwatchLogGroup.tfResourceType)) {
      expect(group.retention_in_days).toBe(90);
    }
  });

  it("writes Lambda's START and REPORT records in development only", () => {
    const levels = (stack: Synthesized) =>
      resourceList(stack, LambdaFunction.tfResourceType).map(
        (f) => (f.logging_config as { system_log_level?: string }).system_log_level,
      );
    expect(new Set(levels(stateless))).toEqual(new Set(['INFO']));
    expect(new Set(levels(prod))).toEqual(new Set(['WARN']));
    expect(levels(prod)).toHaveLength(SERVICES.length - 1);
  });

  it.each(SERVICES.map((s) => [s]))(
    '%s: active tracing exactly when its handler records subsegments (Powertools Tracer)',
    (service) => {
      const handler = readFileSync(join(REPO_ROOT, 'services', service, 'src', 'handler.ts'), 'utf8');
      expect(TRACED_FUNCTIONS.has(service)).toBe(/new Tracer\(/.test(handler));
    },
  );

  it('gives the worker the shared timeout the queue’s visibility timeout is six times of', () => {
    expect(fn('worker').timeout).toBe(WORKER_TIMEOUT_SECONDS);
    const queue = findResource(stateful, SqsQueue.tfResourceType, {
      name: 'hookrelay-webhook-deliveries-dev',
    });
    expect(Number(queue.visibility_timeout_seconds)).toBeGreaterThanOrEqual(6 * Number(fn('worker').timeout));
  });

  it('keeps the functions behind API Gateway under its 29 s integration timeout', () => {
    for (const service of ['api', 'ingest', 'receiver'] as const) {
      expect(Number(fn(service).timeout)).toBeLessThan(29);
    }
  });

  /** Each group of `packages/config/src/settings.ts` and the variables its readers name. */
  const sharedSettings = new Map(
    [
      ...readFileSync(join(REPO_ROOT, 'packages', 'config', 'src', 'settings.ts'), 'utf8').matchAll(
        /export const (\w+) = \{([^}]*)\}/g,
      ),
    ].map(([, group, body]) => [
      group ?? '',
      [...(body ?? '').matchAll(/\b(?:optional|optionalInt|optionalBool)\('([A-Z0-9_]+)'/g)].map(
        ([, n]) => n ?? '',
      ),
    ]),
  );

  /** The variables a handler reads, from its source: `ENV.x`, `required('X')`, secrets, shared settings. */
  const readsOf = (service: ServiceName): string[] => {
    const source = readFileSync(join(REPO_ROOT, 'services', service, 'src', 'handler.ts'), 'utf8');
    const names = new Set<string>();
    for (const [, key] of source.matchAll(/\bENV\.(\w+)/g)) {
      const name = ENV[key as keyof typeof ENV];
      if (name) names.add(name);
    }
    for (const [, key] of source.matchAll(/\bINBOUND_ENV\.(\w+)/g)) {
      const name = INBOUND_ENV[key as keyof typeof INBOUND_ENV];
      if (name) names.add(name);
    }
    for (const [, name] of source.matchAll(
      /\b(?:required|optional|optionalInt|optionalBool)\('([A-Z0-9_]+)'/g,
    )) {
      if (name) names.add(name);
    }
    for (const [, name] of source.matchAll(/\b(?:secretFromEnv|requiredSecret)\('([A-Z0-9_]+)'/g)) {
      if (name) names.add(name).add(`${name}_PARAMETER`);
    }
    for (const [, name] of source.matchAll(/\bsecretFromParameter\('([A-Z0-9_]+)'/g)) {
      if (name) names.add(name);
    }
    // Shared settings (`...eventStoreSettings`) read what their group in @hookrelay/config says.
    for (const [, group] of source.matchAll(/\.\.\.(\w+Settings)\b/g)) {
      for (const name of sharedSettings.get(group ?? '') ?? []) names.add(name);
    }
    return [...names].sort();
  };

  it.each(SERVICES.map((s) => [s]))(
    '%s: the environment list names exactly what its handler reads',
    (service) => {
      expect([...FUNCTION_ENVIRONMENT[service]].sort()).toEqual(readsOf(service));
    },
  );

  it.each(SERVICES.map((s) => [s]))(
    '%s: gets only variables it reads, with its stage’s values',
    (service) => {
      const env = envOf(service);
      const allowed = new Set([...readsOf(service), ...Object.keys(RUNTIME_ENVIRONMENT)]);
      for (const name of Object.keys(env)) expect(allowed).toContain(name);
      const expected: Record<string, string> = {
        [ENV.keysTable]: 'hookrelay-api-keys-dev',
        [ENV.dataTable]: 'hookrelay-platform-data-dev',
        [ENV.secretsTable]: 'hookrelay-webhook-secrets-dev',
        [ENV.idempotencyTable]: 'hookrelay-idempotency-dev',
        [ENV.receiverTable]: 'hookrelay-receiver-state-dev',
        [ENV.deliveryQueueUrl]: `https://sqs.eu-west-1.\${data.aws_partition.partition.dns_suffix}/\${data.aws_caller_identity.account.account_id}/hookrelay-webhook-deliveries-dev`,
        [ENV.dlqUrl]: `https://sqs.eu-west-1.\${data.aws_partition.partition.dns_suffix}/\${data.aws_caller_identity.account.account_id}/hookrelay-webhook-deliveries-dlq-dev`,
        RETENTION_DAYS: '30',
      };
      for (const [name, value] of Object.entries(expected)) {
        if (FUNCTION_ENVIRONMENT[service].includes(name)) expect(env[name]).toBe(value);
        else expect(env[name]).toBeUndefined();
      }
    },
  );

  it('gives the table names to the functions that use them, and no other', () => {
    expect(Object.keys(envOf('authorizer')).sort()).toEqual([
      'ADMIN_API_KEY_PARAMETER',
      ENV.keysTable,
      'NODE_OPTIONS',
      'POWERTOOLS_LOG_LEVEL',
    ]);
    expect(envOf('worker')[ENV.keysTable]).toBeUndefined();
    expect(envOf('receiver')[ENV.dataTable]).toBeUndefined();
  });

  it('passes SSM parameter names, never a secret value, and reads nothing secret at plan time', () => {
    expect(envOf('authorizer').ADMIN_API_KEY_PARAMETER).toBe(`\${var.admin_api_key_parameter}`);
    expect(envOf('receiver').ADMIN_API_KEY_PARAMETER).toBe(`\${var.admin_api_key_parameter}`);
    expect(envOf('api').CURSOR_SECRET_PARAMETER).toBe(`\${var.cursor_secret_parameter}`);
    expect(stateless.json.variable?.admin_api_key_parameter?.default).toBe('/hookrelay/dev/admin-api-key');
    expect(stateless.json.variable?.cursor_secret_parameter?.default).toBe('/hookrelay/dev/cursor-secret');
    for (const stack of [stateless, prod]) {
      // No data source reads a parameter's value into the plan or the state.
      expect(stack.json.data?.aws_ssm_parameter).toBeUndefined();
      expect(stack.text).not.toContain('aws_ssm_parameter');
      for (const f of resourceList(stack, LambdaFunction.tfResourceType)) {
        const variables = (f.environment as { variables: Record<string, string> }).variables;
        for (const name of SECRET_VALUE_VARIABLES) expect(variables[name]).toBeUndefined();
        for (const value of Object.values(variables)) expect(value).not.toMatch(/ssm_parameter|\.value\}/);
      }
    }
    expect(new Set(SECRET_VALUE_VARIABLES)).toEqual(new Set(['ADMIN_API_KEY', 'CURSOR_SECRET']));
  });

  it('insists the parameters are paths, so the functions’ permissions name exactly them', () => {
    expect(stateless.json.variable?.admin_api_key_parameter?.validation).toEqual([
      {
        condition: `\${substr(var.admin_api_key_parameter, 0, 1) == "/"}`,
        error_message:
          'admin_api_key_parameter must be a parameter path such as /hookrelay/dev/admin-api-key.',
      },
    ]);
  });

  it('enforces HTTPS-only delivery with an empty allow-list, and takes the retry schedule from a variable', () => {
    for (const service of ['api', 'worker'] as const) {
      expect(envOf(service)).toMatchObject({ HTTPS_ONLY: 'true', DESTINATION_ALLOWLIST: '' });
    }
    expect(envOf('worker').RETRY_SCHEDULE).toBe(`\${var.retry_schedule}`);
    expect(stateless.json.variable?.retry_schedule?.default).toBe(DEFAULT_RETRY_SCHEDULE);
  });
});

describe('REST API v1 (api_gateway = "rest")', () => {
  const routes = apiRoutes();
  const restApi = findResource(rest, ApiGatewayRestApi.tfResourceType, { name: 'hookrelay-api-dev' });
  const restApiName = nameOf(rest, ApiGatewayRestApi.tfResourceType, restApi);
  const authorizer = findResource(rest, ApiGatewayAuthorizer.tfResourceType, {
    name: 'hookrelay-authorizer-dev',
  });
  const apiFunction = nameOf(rest, LambdaFunction.tfResourceType, fn('api', rest));

  /** Full path of every API Gateway resource of the platform API, by Terraform name. */
  const paths = new Map<string, string>();
  const pathOf = (name: string): string => {
    const known = paths.get(name);
    if (known) return known;
    const resource = resources(rest, ApiGatewayResource.tfResourceType)[name];
    if (!resource) throw new Error(`no resource ${name}`);
    const parent = String(resource.parent_id);
    const parentPath = parent.includes('.root_resource_id}') ? '' : pathOf(refName(parent));
    const path = `${parentPath}/${String(resource.path_part)}`;
    paths.set(name, path);
    return path;
  };
  const routeOfMethod = (method: Record<string, unknown>): string => {
    const resourceId = String(method.resource_id);
    const path = resourceId.includes('.root_resource_id}') ? '/' : pathOf(refName(resourceId));
    return `${String(method.http_method)} ${path}`;
  };
  const platformMethods = resourceList(rest, ApiGatewayMethod.tfResourceType).filter((m) =>
    String(m.rest_api_id).includes(restApiName),
  );

  it('is a regional REST API with a TOKEN authorizer on the Authorization header, cached 300 s', () => {
    expect(restApi.endpoint_configuration).toEqual({ types: ['REGIONAL'] });
    expect(restApi.minimum_compression_size).toBe('1024');
    expect(authorizer).toMatchObject({
      type: 'TOKEN',
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 300,
    });
    expect(refName(authorizer.authorizer_uri)).toBe(
      nameOf(rest, LambdaFunction.tfResourceType, fn('authorizer', rest)),
    );
  });

  it('declares one method per route of the API’s route table, and nothing else', () => {
    expect(platformMethods.map(routeOfMethod).sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path}`).sort(),
    );
  });

  it('protects every non-public route with the authorizer and leaves public ones open', () => {
    const authorizerName = nameOf(rest, ApiGatewayAuthorizer.tfResourceType, authorizer);
    for (const method of platformMethods) {
      const route = routes.find((r) => `${r.method} ${r.path}` === routeOfMethod(method));
      if (route?.auth === 'public') {
        expect(method.authorization).toBe('NONE');
        expect(method.authorizer_id).toBeUndefined();
      } else {
        expect(method.authorization).toBe('CUSTOM');
        expect(refName(method.authorizer_id)).toBe(authorizerName);
      }
    }
    expect(routes.filter((r) => r.auth === 'public').map((r) => r.path)).toEqual(
      expect.arrayContaining(['/health', '/v1/openapi.json', '/v1/docs', '/v1/redoc']),
    );
  });

  it('proxies every route to the api function', () => {
    const integrations = resourceList(rest, ApiGatewayIntegration.tfResourceType).filter((i) =>
      String(i.rest_api_id).includes(restApiName),
    );
    expect(integrations).toHaveLength(routes.length);
    for (const integration of integrations) {
      expect(integration).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST' });
      expect(refName(integration.uri)).toBe(apiFunction);
    }
  });

  it.each([
    ['UNAUTHORIZED', '401', 'unauthorized'],
    ['ACCESS_DENIED', '403', 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'route_not_found'],
    ['THROTTLED', '429', 'throttled'],
    ['AUTHORIZER_FAILURE', '503', 'service_unavailable'],
  ])('answers %s with %s and the API’s JSON error shape', (type, status, code) => {
    const response = findResource(rest, ApiGatewayGatewayResponse.tfResourceType, {
      response_type: type,
    });
    expect(response.status_code).toBe(status);
    const body = JSON.parse(
      (response.response_templates as Record<string, string>)['application/json'] ?? '',
    );
    expect(body).toEqual({ error: { code, message: expect.any(String) } });
    expect(Object.keys(body.error)).toEqual(['code', 'message']);
  });

  it('deploys to a stage named after the platform stage, traced and throttled', () => {
    expectResource(rest, ApiGatewayStage, { stage_name: 'dev', xray_tracing_enabled: true });
    expectResource(rest, ApiGatewayMethodSettings, {
      method_path: '*/*',
      settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 },
    });
    expectResource(prodRest, ApiGatewayMethodSettings, {
      method_path: '*/*',
      settings: { throttling_rate_limit: 500, throttling_burst_limit: 1000 },
    });
  });

  it.each([
    ['dev', rest],
    ['prod', prodRest],
    ['prod (http)', prod],
  ] as const)('%s: no REST stage pays for per-method metrics (the stage’s own suffice)', (_stage, stack) => {
    const settings = resourceList(stack, ApiGatewayMethodSettings.tfResourceType);
    expect(settings.length).toBeGreaterThanOrEqual(1);
    for (const setting of settings) {
      expect((setting.settings as { metrics_enabled: boolean }).metrics_enabled).toBe(false);
    }
  });

  it('redeploys when a route, a method or an integration changes', () => {
    const deployment = resourceList(rest, ApiGatewayDeployment.tfResourceType).find((d) =>
      String(d.rest_api_id).includes(restApiName),
    );
    if (!deployment) throw new Error('no deployment of the platform API');
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const triggers = deployment.triggers as Record<string, string>;
    expect(triggers.configuration).toMatch(/^[0-9a-f]{64}$/);
    for (const method of platformMethods) {
      expect(triggers.parts).toContain(
        `aws_api_gateway_method.${nameOf(rest, ApiGatewayMethod.tfResourceType, method)}.id`,
      );
    }
    expect((deployment.depends_on as string[]).length).toBeGreaterThanOrEqual(2 * routes.length);
  });

  describe('the redeploy trigger follows what the deployment snapshots', () => {
    /** The platform API deployment's triggers after `change` is made to a freshly built stack. */
    const triggersAfter = (change: (stack: StatelessStack) => void = () => undefined) => {
      const built = buildTestPlatform('dev', undefined, { apiGateway: 'rest' }).stateless;
      change(built);
      const synthesized = synthesize(built);
      const deployment = resourceList(synthesized, ApiGatewayDeployment.tfResourceType).find((d) =>
        String(d.rest_api_id).includes(restApiName),
      );
      return deployment?.triggers as Record<string, string>;
    };
    const restApiOf = (stack: StatelessStack): PlatformApi => {
      if (!(stack.api instanceof PlatformApi)) throw new Error('not the REST API');
      return stack.api;
    };
    const integrationOf = (stack: StatelessStack): ApiGatewayIntegration => {
      const found = stack.api.node.findAll().find((c) => c instanceof ApiGatewayIntegration);
      if (!(found instanceof ApiGatewayIntegration)) throw new Error('no integration');
      return found;
    };
    const base = triggersAfter();

    it('is the same when nothing changes', () => {
      expect(triggersAfter()).toEqual(base);
    });

    it('changes with an integration’s timeout', () => {
      const changed = triggersAfter((stack) => {
        integrationOf(stack).timeoutMilliseconds = 20_000;
      });
      expect(changed.configuration).not.toBe(base.configuration);
      expect(changed.parts).toBe(base.parts);
    });

    it('changes with an integration’s URI', () => {
      const changed = triggersAfter((stack) => {
        integrationOf(stack).uri = stack.functions.worker?.function.invokeArn ?? '';
      });
      expect(changed.configuration).not.toBe(base.configuration);
    });

    it('changes with the authorizer’s identity source', () => {
      const changed = triggersAfter((stack) => {
        restApiOf(stack).authorizer.identitySource = 'method.request.header.X-Api-Key';
      });
      expect(changed.configuration).not.toBe(base.configuration);
    });

    it('changes with a gateway response', () => {
      const changed = triggersAfter((stack) => {
        const response = stack.api.node.findAll().find((c) => c instanceof ApiGatewayGatewayResponse);
        if (response instanceof ApiGatewayGatewayResponse) response.statusCode = '400';
      });
      expect(changed.configuration).not.toBe(base.configuration);
    });
  });

  it('lets API Gateway invoke the api (this stage only) and the authorizer (this authorizer only)', () => {
    expectResource(rest, LambdaPermission, {
      function_name: `\${aws_lambda_function.${apiFunction}.function_name}`,
      principal: 'apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      source_arn: `\${aws_api_gateway_rest_api.${restApiName}.execution_arn}/dev/*`,
    });
    const authorizerName = nameOf(rest, ApiGatewayAuthorizer.tfResourceType, authorizer);
    expectResource(rest, LambdaPermission, {
      principal: 'apigateway.amazonaws.com',
      source_arn: `\${aws_api_gateway_rest_api.${restApiName}.execution_arn}/authorizers/\${aws_api_gateway_authorizer.${authorizerName}.id}`,
    });
  });
});

describe('receiver API', () => {
  const restApi = findResource(stateless, ApiGatewayRestApi.tfResourceType, {
    name: 'hookrelay-receiver-dev',
  });
  const restApiName = nameOf(stateless, ApiGatewayRestApi.tfResourceType, restApi);
  const receiverFunction = nameOf(stateless, LambdaFunction.tfResourceType, fn('receiver'));

  it('sends every path and method to the receiver function, without an authorizer', () => {
    const proxy = findResource(stateless, ApiGatewayResource.tfResourceType, { path_part: '{proxy+}' });
    expect(String(proxy.rest_api_id)).toContain(restApiName);
    expect(String(proxy.parent_id)).toContain(`${restApiName}.root_resource_id`);
    const method = findResource(stateless, ApiGatewayMethod.tfResourceType, { http_method: 'ANY' });
    expect(method).toMatchObject({ authorization: 'NONE' });
    const integration = resourceList(stateless, ApiGatewayIntegration.tfResourceType).find((i) =>
      String(i.rest_api_id).includes(restApiName),
    );
    expect(integration).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST' });
    expect(refName(integration?.uri)).toBe(receiverFunction);
    expectResource(stateless, LambdaPermission, {
      principal: 'apigateway.amazonaws.com',
      source_arn: `\${aws_api_gateway_rest_api.${restApiName}.execution_arn}/dev/*`,
    });
  });
});

describe('worker and sweeper triggers', () => {
  // The inbound processor's mapping is inbound-stacks.test.ts's.
  const outbound = (m: Record<string, unknown>) =>
    !String(m.event_source_arn).includes(':hookrelay-inbound-');

  it('feeds the worker from both delivery lanes and the ordered line: batches of 10, a window (none on FIFO), a concurrency cap each, partial failures', () => {
    const twoLanes = synthPlatform('dev', undefined, { deliveryLanes: 2 }).stateless;
    const mappings = resourceList(twoLanes, LambdaEventSourceMapping.tfResourceType).filter(outbound);
    expect(mappings).toHaveLength(3);
    const queueArn = (name: string) =>
      `arn:\${data.aws_partition.partition.partition}:sqs:eu-west-1:\${data.aws_caller_identity.account.account_id}:${name}`;
    const main = mappings.find((m) => m.event_source_arn === queueArn('hookrelay-webhook-deliveries-dev'));
    const slow = mappings.find(
      (m) => m.event_source_arn === queueArn('hookrelay-webhook-deliveries-slow-dev'),
    );
    const ordered = mappings.find(
      (m) => m.event_source_arn === queueArn('hookrelay-webhook-deliveries-ordered-dev.fifo'),
    );
    expect(main).toMatchObject({ scaling_config: { maximum_concurrency: 5 } });
    expect(slow).toMatchObject({ scaling_config: { maximum_concurrency: 2 } });
    expect(ordered).toMatchObject({
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 2 },
    });
    expect(ordered?.maximum_batching_window_in_seconds).toBeUndefined();
    for (const mapping of [main, slow]) {
      expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'] });
      expect(Number(mapping?.maximum_batching_window_in_seconds)).toBeGreaterThan(0);
      expect(refName(mapping?.function_name)).toBe(
        nameOf(twoLanes, LambdaFunction.tfResourceType, fn('worker', twoLanes)),
      );
      expect(text(mapping?.depends_on)).toContain('aws_iam_role_policy.fn-worker_policy');
    }
    const prodCaps = resourceList(prod, LambdaEventSourceMapping.tfResourceType)
      .filter(outbound)
      .map((m) => (m.scaling_config as { maximum_concurrency: number }).maximum_concurrency);
    expect(prodCaps.sort((a, b) => a - b)).toEqual([10, 20, 50]);
  });

  it('feeds the worker from the main lane and the ordered line alone on a stage of one lane (development’s default)', () => {
    const queues = resourceList(stateless, LambdaEventSourceMapping.tfResourceType)
      .filter(outbound)
      .map((m) => String(m.event_source_arn).split(':').pop());
    expect(queues.sort()).toEqual([
      'hookrelay-webhook-deliveries-dev',
      'hookrelay-webhook-deliveries-ordered-dev.fifo',
    ]);
  });

  it('points the slow lane at the main queue on a stage of one lane, and says so to the worker and the sweeper', () => {
    const mainUrl = envOf('worker')[ENV.deliveryQueueUrl];
    expect(mainUrl).toMatch(/\/hookrelay-webhook-deliveries-dev$/);
    for (const service of ['api', 'worker', 'sweeper', 'inbound-processor'] as const) {
      expect(envOf(service)[ENV.slowQueueUrl]).toBe(mainUrl);
    }
    for (const service of ['worker', 'sweeper'] as const) expect(envOf(service)[ENV.deliveryLanes]).toBe('1');
    expect(envOf('api')[ENV.deliveryLanes]).toBeUndefined();
    // Production keeps both lanes, and says nothing of it.
    const prodWorker = (
      findResource(prod, LambdaFunction.tfResourceType, { function_name: 'hookrelay-worker-prod' })
        .environment as {
        variables: Record<string, string>;
      }
    ).variables;
    expect(prodWorker[ENV.slowQueueUrl]).toMatch(/\/hookrelay-webhook-deliveries-slow-prod$/);
    expect(prodWorker[ENV.deliveryLanes]).toBeUndefined();
  });

  it('runs the sweeper through EventBridge, every minute in production and every 5 in development', () => {
    const rule = findResource(stateless, CloudwatchEventRule.tfResourceType, {
      name: 'hookrelay-sweeper-dev',
    });
    expect(rule.schedule_expression).toBe('rate(5 minutes)');
    expect(
      findResource(prod, CloudwatchEventRule.tfResourceType, { name: 'hookrelay-sweeper-prod' })
        .schedule_expression,
    ).toBe('rate(1 minute)');
    const sweeper = nameOf(stateless, LambdaFunction.tfResourceType, fn('sweeper'));
    const target = resourceList(stateless, CloudwatchEventTarget.tfResourceType)[0];
    expect(refName(target?.arn)).toBe(sweeper);
    expectResource(stateless, LambdaPermission, {
      function_name: `\${aws_lambda_function.${sweeper}.function_name}`,
      principal: 'events.amazonaws.com',
      source_arn: `\${aws_cloudwatch_event_rule.sweeper-schedule.arn}`,
    });
  });
});

describe('alarms, notifications and dashboard', () => {
  // A development stage watched as production is (MONITORING=full); by default it has neither.
  const stateless = synthPlatform('dev', undefined, { monitoring: 'full' }).stateless;
  const rest = synthPlatform('dev', undefined, { apiGateway: 'rest', monitoring: 'full' }).stateless;
  const lean = synthPlatform('dev').stateless;

  it('a lean stage (the development default) has the alarm topic and no alarm or dashboard', () => {
    expect(resourceList(lean, CloudwatchMetricAlarm.tfResourceType)).toEqual([]);
    expect(resourceList(lean, CloudwatchDashboard.tfResourceType)).toEqual([]);
    expect(lean.json.output?.dashboard_name).toBeUndefined();
    expectResource(lean, SnsTopic, { name: 'hookrelay-alarms-dev' });
    expect(resourceList(prod, CloudwatchMetricAlarm.tfResourceType).length).toBeGreaterThan(30);
  });

  const alarms = resourceList(stateless, CloudwatchMetricAlarm.tfResourceType);
  const alarm = (name: string) =>
    findResource(stateless, CloudwatchMetricAlarm.tfResourceType, { alarm_name: name });
  const topic = findResource(stateless, SnsTopic.tfResourceType, { name: 'hookrelay-alarms-dev' });
  const topicName = nameOf(stateless, SnsTopic.tfResourceType, topic);

  it('notifies the SNS topic when any alarm fires and clears', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(6);
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([`\${aws_sns_topic.${topicName}.arn}`]);
      expect(a.ok_actions).toEqual([`\${aws_sns_topic.${topicName}.arn}`]);
    }
  });

  it('subscribes the alarm email, a variable, when one is given', () => {
    const subscription = resourceList(stateless, SnsTopicSubscription.tfResourceType)[0];
    expect(subscription).toMatchObject({
      protocol: 'email',
      endpoint: `\${var.alarm_email}`,
      count: `\${(var.alarm_email == "") ? 0 : 1}`,
    });
    expect(stateless.json.variable?.alarm_email).toMatchObject({ type: 'string', default: '' });
  });

  it('fires when the DLQ is not empty', () => {
    expect(alarm('hookrelay-dlq-not-empty-dev')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-dlq-dev' },
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    });
  });

  it('fires on the ordered line: its DLQ not empty, and its in-flight messages nearing the FIFO limit', () => {
    expect(alarm('hookrelay-ordered-dlq-not-empty-dev')).toMatchObject({
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-ordered-dlq-dev.fifo' },
      threshold: 0,
    });
    expect(alarm('hookrelay-ordered-dlq-not-empty-dev').alarm_description).toContain(
      'make dlq-requeue QUEUE=ordered',
    );
    expect(alarm('hookrelay-ordered-line-in-flight-dev')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesNotVisible',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-ordered-dev.fifo' },
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 10_000,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
    });
  });

  it('fires on the age of the oldest delivery message, per lane', () => {
    expect(alarm('hookrelay-oldest-delivery-message-dev')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-dev' },
      threshold: 1800,
    });
    expect(
      findResource(prod, CloudwatchMetricAlarm.tfResourceType, {
        alarm_name: 'hookrelay-oldest-slow-lane-message-prod',
      }),
    ).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-slow-prod' },
      threshold: 3600,
    });
    // One lane: no slow queue to watch, on the alarms or the dashboard.
    expect(alarms.map((a) => a.alarm_name)).not.toContain('hookrelay-oldest-slow-lane-message-dev');
    expect(text(resourceList(stateless, CloudwatchDashboard.tfResourceType))).not.toContain(
      'deliveries-slow',
    );
    expect(text(resourceList(prod, CloudwatchDashboard.tfResourceType))).toContain(
      'hookrelay-webhook-deliveries-slow-prod',
    );
  });

  it('fires on worker errors and throttles', () => {
    for (const [name, metric] of [
      ['hookrelay-worker-errors-dev', 'Errors'],
      ['hookrelay-worker-throttles-dev', 'Throttles'],
    ] as const) {
      expect(alarm(name)).toMatchObject({
        namespace: 'AWS/Lambda',
        metric_name: metric,
        dimensions: { FunctionName: 'hookrelay-worker-dev' },
        statistic: 'Sum',
        threshold: 0,
      });
    }
  });

  /** The Terraform reference to the dev HTTP API's id, as its metric dimensions carry it. */
  const httpApiId = `\${aws_apigatewayv2_api.${Object.keys(resources(stateless, Apigatewayv2Api.tfResourceType))[0]}.id}`;

  it.each([
    ['http', stateless, { ApiId: httpApiId, Stage: 'dev' }, '5xx'],
    ['rest', rest, { ApiName: 'hookrelay-api-dev', Stage: 'dev' }, '5XXError'],
  ] as const)(
    '%s: fires on the API 5xx rate, computed with metric math',
    (_kind, stack, dimensions, errors) => {
      const a = findResource(stack, CloudwatchMetricAlarm.tfResourceType, {
        alarm_name: 'hookrelay-api-5xx-rate-dev',
      });
      const queries = a.metric_query as {
        id: string;
        expression?: string;
        metric?: Record<string, unknown>;
      }[];
      expect(queries.find((q) => q.id === 'errors')?.metric).toEqual(
        expect.objectContaining({ namespace: 'AWS/ApiGateway', metric_name: errors, dimensions }),
      );
      expect(queries.find((q) => q.id === 'requests')?.metric).toMatchObject({
        metric_name: 'Count',
        dimensions,
      });
      expect(queries.find((q) => q.id === 'rate')?.expression).toBe(
        'IF(requests > 0, 100 * errors / requests, 0)',
      );
      expect(a.threshold).toBe(5);
    },
  );

  it('fires on the delivery failure rate from the worker’s Hookrelay metrics', () => {
    const a = alarm('hookrelay-delivery-failure-rate-dev');
    const queries = a.metric_query as { id: string; expression?: string; metric?: Record<string, unknown> }[];
    expect(queries.find((q) => q.id === 'failure')?.metric).toMatchObject({
      namespace: 'Hookrelay',
      metric_name: 'WebhookDeliveryFailure',
      dimensions: { service: 'worker' },
      stat: 'Sum',
    });
    expect(queries.find((q) => q.id === 'success')?.metric).toMatchObject({
      namespace: 'Hookrelay',
      metric_name: 'WebhookDeliverySuccess',
    });
    expect(queries.find((q) => q.id === 'rate')).toMatchObject({
      expression: 'IF(success + failure > 0, 100 * failure / (success + failure), 0)',
      return_data: true,
    });
  });

  it.each([
    // The ingest route is an HTTP API in development whichever the tenant API is: only the tenant API's id is absent.
    ['http', stateless, ['"AWS/ApiGateway","4xx","ApiId"', '"5xx","ApiId"'], '"ApiName","hookrelay-api-dev"'],
    [
      'rest',
      rest,
      ['"AWS/ApiGateway","4XXError","ApiName","hookrelay-api-dev"', '"5XXError"'],
      '"ApiId","${aws_apigatewayv2_api.http-api',
    ],
  ] as const)(
    '%s: charts the API stage with its own metric names and dimensions',
    (_kind, stack, present, absent) => {
      const body = String(
        findResource(stack, CloudwatchDashboard.tfResourceType, { dashboard_name: 'hookrelay-dev-eu-west-1' })
          .dashboard_body,
      );
      for (const needle of present) expect(body).toContain(needle);
      expect(body).not.toContain(absent);
    },
  );

  it('names the dashboard after the stage and the region: dashboard names are global to the account', () => {
    expect(resourceList(prod, CloudwatchDashboard.tfResourceType).map((d) => d.dashboard_name)).toEqual([
      'hookrelay-prod-eu-west-1',
    ]);
    expect(prod.json.output?.dashboard_name?.value).toMatch(/aws_cloudwatch_dashboard\./);
  });

  it('shows the API, the queues, the outcomes, every function and every alarm on one dashboard', () => {
    const dashboard = findResource(stateless, CloudwatchDashboard.tfResourceType, {
      dashboard_name: 'hookrelay-dev-eu-west-1',
    });
    const body = String(dashboard.dashboard_body);
    const parsed = JSON.parse(body) as { widgets: { type: string; properties: Record<string, unknown> }[] };
    expect(parsed.widgets.length).toBeGreaterThanOrEqual(10);
    for (const needle of [
      'hookrelay-api-dev',
      'hookrelay-webhook-deliveries-dev',
      'hookrelay-webhook-deliveries-dlq-dev',
      'WebhookDeliveryFailure',
      'WebhookDeliverySuccess',
      ...SERVICES.map((s) => `hookrelay-${s}-dev`),
    ]) {
      expect(body).toContain(needle);
    }
    const alarmWidget = parsed.widgets.find((w) => w.type === 'alarm');
    expect(alarmWidget?.properties.alarms).toHaveLength(alarms.length);
  });
});

describe('optional custom domains', () => {
  it('declares the domain variables, empty by default', () => {
    for (const name of ['api_domain_name', 'receiver_domain_name', 'domain_zone_id']) {
      expect(stateless.json.variable?.[name]).toMatchObject({ type: 'string', default: '' });
    }
  });

  it('creates a certificate, its validation, the domain and the records only when a domain is set', () => {
    const certificates = resourceList(stateless, AcmCertificate.tfResourceType);
    expect(certificates).toHaveLength(2);
    expect(certificates.map((c) => c.count).sort()).toEqual([
      `\${(var.api_domain_name == "") ? 0 : 1}`,
      `\${(var.receiver_domain_name == "") ? 0 : 1}`,
    ]);
    for (const certificate of certificates) expect(certificate.validation_method).toBe('DNS');
    expectResource(stateless, ApiGatewayDomainName, {
      domain_name: `\${var.api_domain_name}`,
      count: `\${(var.api_domain_name == "") ? 0 : 1}`,
      endpoint_configuration: { types: ['REGIONAL'] },
      security_policy: 'TLS_1_2',
    });
    for (const record of resourceList(stateless, Route53Record.tfResourceType)) {
      expect(String(record.count)).toMatch(/^\$\{\(var\.(api|receiver)_domain_name == ""\) \? 0 : 1\}$/);
      expect(record.zone_id).toBe(`\${var.domain_zone_id}`);
    }
  });
});

describe('bundles', () => {
  it('refuses to synthesize without the Lambda bundles, saying how to build them', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hookrelay-no-bundles-'));
    try {
      expect(() => synthPlatform('dev', serviceBundleDirs(empty))).toThrow(
        /Lambda bundles missing: .*services\/api\/dist\/handler\.mjs.*pnpm run build/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('outputs', () => {
  it('prints the API and receiver URLs for the first curl', () => {
    expect(stateless.json.output?.api_url?.value).toMatch(
      /^\$\{aws_apigatewayv2_stage\.http-api_stage_[0-9A-F]+\.invoke_url\}$/,
    );
    expect(rest.json.output?.api_url?.value).toMatch(
      /^\$\{aws_api_gateway_stage\.api_stage_[0-9A-F]+\.invoke_url\}$/,
    );
    expect(stateless.json.output?.receiver_url?.value).toMatch(/invoke_url/);
    expect(stateless.json.output?.dlq_processor_function?.value).toBe('hookrelay-dlq-processor-dev');
  });
});

describe('the reference receiver is deployed only where the stage asks for it', () => {
  it('is absent from prod by default: no function, role, log group, REST API or output', () => {
    expect(prod.text).not.toContain('hookrelay-receiver-prod');
    expect(resourceList(prod, LambdaFunction.tfResourceType)).toHaveLength(SERVICES.length - 1);
    expect(resourceList(prod, ApiGatewayRestApi.tfResourceType).map((api) => api.name)).toEqual([
      'hookrelay-ingest-prod',
    ]);
    expect(resourceList(prodRest, ApiGatewayRestApi.tfResourceType).map((api) => api.name)).toEqual([
      'hookrelay-api-prod',
      'hookrelay-ingest-prod',
    ]);
    expect(prod.json.output?.receiver_url).toBeUndefined();
    expect(prod.json.variable?.receiver_domain_name).toBeUndefined();
  });

  it('is there when the stage sets deploy_receiver, and on dev by default', () => {
    const withReceiver = synthPlatform('prod', undefined, { deployReceiver: true }).stateless;
    expectResource(withReceiver, LambdaFunction, { function_name: 'hookrelay-receiver-prod' });
    expectResource(withReceiver, ApiGatewayRestApi, { name: 'hookrelay-receiver-prod' });
    expectResource(stateless, ApiGatewayRestApi, { name: 'hookrelay-receiver-dev' });
    const withoutOnDev = synthPlatform('dev', undefined, { deployReceiver: false }).stateless;
    expect(withoutOnDev.text).not.toContain('hookrelay-receiver-dev');
  });

  it('gives a deployed receiver the admin key’s parameter, so its control routes need the key', () => {
    expect(envOf('receiver').ADMIN_API_KEY_PARAMETER).toBe(`\${var.admin_api_key_parameter}`);
  });
});

describe('access logs', () => {
  it.each([
    ['dev', 'http', stateless, ['hookrelay-api-dev', 'hookrelay-ingest-dev', 'hookrelay-receiver-dev']],
    ['dev', 'rest', rest, ['hookrelay-api-dev', 'hookrelay-ingest-dev', 'hookrelay-receiver-dev']],
    ['prod', 'http', prod, ['hookrelay-api-prod', 'hookrelay-ingest-prod']],
  ] as const)(
    '%s (%s): every API stage writes JSON access logs to a log group of its own',
    (stage, kind, stack, apis) => {
      const restStages = resourceList(stack, ApiGatewayStage.tfResourceType);
      const httpStages = resourceList(stack, Apigatewayv2Stage.tfResourceType);
      expect(restStages.length + httpStages.length).toBe(apis.length);
      // The tenant API's HTTP stage, and the ingest route's where the stage puts it behind one.
      const ingestOnHttp = stageSettings(stage).ingestGateway === 'http' ? 1 : 0;
      expect(httpStages).toHaveLength((kind === 'http' ? 1 : 0) + ingestOnHttp);
      for (const [apiStage, route] of [
        ...restStages.map((st) => [st, '$context.resourcePath'] as const),
        ...httpStages.map((st) => [st, '$context.routeKey'] as const),
      ]) {
        const settings = apiStage.access_log_settings as { destination_arn: string; format: string };
        expect(settings.destination_arn).toMatch(
          /^\$\{aws_cloudwatch_log_group\.[^.]+access-logs[^.]*\.arn\}$/,
        );
        const format = JSON.parse(settings.format) as Record<string, string>;
        expect(format).toMatchObject({
          requestId: '$context.requestId',
          route,
          status: '$context.status',
          latencyMs: '$context.responseLatency',
        });
        // The public ingest route has no authorizer (and its log has no path: inbound-stacks.test.ts).
        if (!/ingest-(http-)?api/.test(String(apiStage.rest_api_id ?? apiStage.api_id))) {
          expect(format).toMatchObject({
            tenantId: '$context.authorizer.tenant_id',
            authorizerError: '$context.authorizer.error',
          });
        }
        // Nothing from the request's headers: the Authorization header carries the key.
        expect(settings.format).not.toMatch(/header|authorization/i);
      }
      const groups = resourceList(stack, CloudwatchLogGroup.tfResourceType)
        .map((g) => String(g.name))
        .filter((name) => name.startsWith('/aws/apigateway/'));
      expect(groups.sort()).toEqual(apis.map((api) => `/aws/apigateway/${api}/${stage}/access`).sort());
      for (const group of resourceList(stack, CloudwatchLogGroup.tfResourceType)) {
        expect(group.retention_in_days).toBe(stage === 'prod' ? 90 : 14);
      }
    },
  );
});

describe('reserved concurrency', () => {
  it.each([
    ['dev', stateless],
    ['prod', prod],
  ] as const)('%s: every function has its own, from the stage’s settings', (stage, stack) => {
    const settings = stageSettings(stage);
    const functions = resourceList(stack, LambdaFunction.tfResourceType);
    expect(functions.length).toBeGreaterThanOrEqual(SERVICES.length - 1);
    for (const f of functions) {
      const service = String(f.function_name)
        .replace(/^hookrelay-/, '')
        .replace(new RegExp(`-${stage}$`), '');
      expect(f.reserved_concurrent_executions).toBe(reservedConcurrencyOf(settings, service));
      expect(Number(f.reserved_concurrent_executions)).toBeGreaterThan(0);
    }
  });

  it('leaves the worker room for every instance its event source mappings may start', () => {
    for (const stage of ['dev', 'prod']) {
      const settings = stageSettings(stage);
      expect(reservedConcurrencyOf(settings, 'worker')).toBeGreaterThanOrEqual(
        Math.max(2, settings.workerMaxConcurrency) +
          Math.max(2, settings.slowLaneMaxConcurrency) +
          Math.max(2, settings.orderedLaneMaxConcurrency),
      );
    }
  });

  it('reserves more for the API in prod than anything else, and keeps the sweeper to one run at a time', () => {
    const settings = stageSettings('prod');
    expect(reservedConcurrencyOf(settings, 'sweeper')).toBe(1);
    for (const service of SERVICES) {
      expect(reservedConcurrencyOf(settings, 'api')).toBeGreaterThanOrEqual(
        reservedConcurrencyOf(settings, service),
      );
    }
    expect(reservedConcurrencyOf(settings, 'a-function-added-later')).toBe(
      settings.reservedConcurrency.default,
    );
  });
});

describe('production alarms', () => {
  const alarms = resourceList(prod, CloudwatchMetricAlarm.tfResourceType);
  const alarm = (name: string) =>
    findResource(prod, CloudwatchMetricAlarm.tfResourceType, { alarm_name: name });

  it('refuse a plan without a recipient: the alarm_email variable must not be empty in prod', () => {
    expect(prod.json.variable?.alarm_email?.validation).toEqual([
      {
        condition: `\${trimspace(var.alarm_email) != ""}`,
        error_message: expect.stringContaining('TF_VAR_alarm_email'),
      },
    ]);
    expect(stateless.json.variable?.alarm_email?.validation).toBeUndefined();
  });

  it('need 3 of 5 bad minutes for error and throttle alarms, and treat missing data as fine', () => {
    for (const name of [
      'worker-errors',
      'worker-throttles',
      'sweeper-errors',
      'api-errors',
      'api-throttles',
      'authorizer-errors',
      'authorizer-throttles',
      'api-5xx-rate',
      'dynamodb-throttles',
    ]) {
      expect(alarm(`hookrelay-${name}-prod`)).toMatchObject({
        evaluation_periods: 5,
        datapoints_to_alarm: 3,
        treat_missing_data: 'notBreaching',
      });
    }
    for (const a of alarms) expect(a.treat_missing_data).toBeDefined();
  });

  it('watch the api and the authorizer functions’ errors and throttles', () => {
    for (const service of ['api', 'authorizer'] as const) {
      for (const metric of ['Errors', 'Throttles'] as const) {
        expect(alarm(`hookrelay-${service}-${metric.toLowerCase()}-prod`)).toMatchObject({
          namespace: 'AWS/Lambda',
          metric_name: metric,
          dimensions: { FunctionName: `hookrelay-${service}-prod` },
          statistic: 'Sum',
          threshold: 0,
        });
      }
    }
  });

  it('watch the API’s p99 latency, on the front door the stage chose', () => {
    expect(alarm('hookrelay-api-latency-p99-prod')).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiId: expect.stringMatching(/^\$\{aws_apigatewayv2_api\.[^.]+\.id\}$/), Stage: 'prod' },
      extended_statistic: 'p99',
      threshold: 3000,
    });
    expect(
      findResource(prodRest, CloudwatchMetricAlarm.tfResourceType, {
        alarm_name: 'hookrelay-api-latency-p99-prod',
      }),
    ).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiName: 'hookrelay-api-prod', Stage: 'prod' },
    });
  });

  it('watch DynamoDB throttles on every table of the stage', () => {
    const a = alarm('hookrelay-dynamodb-throttles-prod');
    const queries = a.metric_query as {
      id: string;
      expression?: string;
      metric?: { dimensions: { TableName: string }; metric_name: string };
    }[];
    const watched = queries
      .filter((q) => q.metric)
      .map((q) => `${q.metric?.metric_name} ${q.metric?.dimensions.TableName}`);
    for (const table of tableList.filter((t) => t.id !== 'receiver')) {
      for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        expect(watched).toContain(`${metric} hookrelay-${table.baseName}-prod`);
      }
    }
    // No receiver in prod, so no receiver table to watch.
    expect(watched.some((line) => line.includes('receiver-state'))).toBe(false);
    expect(queries.find((q) => q.expression)?.expression).toMatch(/^SUM\(\[r0, w0, /);
  });

  it('fire when the sweeper stops running: no invocation in 10 minutes, and silence counts', () => {
    expect(alarm('hookrelay-sweeper-heartbeat-prod')).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Invocations',
      dimensions: { FunctionName: 'hookrelay-sweeper-prod' },
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      period: 300,
      evaluation_periods: 2,
      treat_missing_data: 'breaching',
    });
  });

  it('fire well before SQS drops a dead letter (14 days)', () => {
    const a = alarm('hookrelay-dlq-oldest-message-prod');
    expect(a).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'hookrelay-webhook-deliveries-dlq-prod' },
    });
    expect(Number(a.threshold)).toBeLessThan(14 * 24 * 3600);
    expect(Number(a.threshold)).toBeGreaterThanOrEqual(7 * 24 * 3600);
  });
});
