import { ApiGatewayMethod } from '@cdktn/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktn/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayRestApi } from '@cdktn/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { Apigatewayv2Api } from '@cdktn/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktn/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktn/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchEventArchive } from '@cdktn/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventBus } from '@cdktn/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktn/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktn/provider-aws/lib/kms-key';
import { LambdaEventSourceMapping } from '@cdktn/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPublicAccessBlock } from '@cdktn/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktn/provider-aws/lib/sqs-queue-policy';
import { Wafv2WebAcl } from '@cdktn/provider-aws/lib/wafv2-web-acl';
import { INBOUND_PROVIDERS, inboundQueues } from '@hookrelay/definitions';
import { describe, expect, it } from '@jest/globals';
import { ARCHIVE_REPLAY_WINDOW_DAYS } from '../src/inbound-resources.js';
import { stageSettings } from '../src/stage.js';
import { expectResource, findResource, resourceList, resources, synthPlatform } from './support/synth.js';

const { stateful, stateless } = synthPlatform('dev');

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}

/** "action resource" lines of a function's policy, logging and tracing left out. */
const access = (service: string): string[] => {
  const policy = findResource(stateless, IamRolePolicy.tfResourceType, {
    name: `hookrelay-${service}-dev-access`,
  });
  return (JSON.parse(String(policy.policy)) as { Statement: Statement[] }).Statement.filter(
    (s) => s.Sid !== 'OwnLogGroup' && s.Sid !== 'XRayTraces',
  )
    .flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${short(r)}`)))
    .sort();
};

const short = (arn: string): string =>
  arn
    .replace(/^arn:\$\{[^}]+\}:dynamodb:[^:]+:\$\{[^}]+\}:/, '')
    .replace(/^arn:\$\{[^}]+\}:sqs:[^:]+:\$\{[^}]+\}:/, 'queue/')
    .replace(/^arn:\$\{[^}]+\}:events:[^:]+:\$\{[^}]+\}:/, '')
    .replace(/^arn:\$\{[^}]+\}:s3:::/, 's3/')
    .replace(/\$\{data\.aws_caller_identity\.account\.account_id\}/, '<account>');

describe('inbound: stateful resources', () => {
  it('the archive bucket: public access blocked, encrypted with S3-managed keys outside prod', () => {
    const bucket = resourceList(stateful, S3Bucket.tfResourceType);
    expect(bucket).toHaveLength(1);
    // Global names carry the account and the region: the same stage in a second region has its own.
    expect(String(bucket[0]?.bucket)).toMatch(
      /^hookrelay-inbound-dev-\$\{data\.aws_caller_identity[^}]+\}-eu-west-1$/,
    );
    expectResource(stateful, S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expectResource(stateful, S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true },
      ],
    });
    expect(resourceList(stateful, KmsKey.tfResourceType)).toEqual([]);
  });

  it('prod: the archive under a KMS key of its own (rotated, never destroyed), the bucket encrypting with it', () => {
    const prod = synthPlatform('prod').stateful;
    const keys = resourceList(prod, KmsKey.tfResourceType);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const keyName = Object.keys(resources(prod, KmsKey.tfResourceType))[0];
    expectResource(prod, KmsAlias, { name: 'alias/hookrelay-inbound-archive-prod' });
    expect(
      String(
        findResource(prod, KmsAlias.tfResourceType, { name: 'alias/hookrelay-inbound-archive-prod' })
          .target_key_id,
      ),
    ).toContain(`aws_kms_key.${keyName}.`);
    expectResource(prod, S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: `\${aws_kms_key.${keyName}.arn}`,
          },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  it('tells the ingestion function when to archive, and only it: the stage’s setting or the one given', () => {
    const ingestVariables = (stack: ReturnType<typeof synthPlatform>['stateless']) =>
      (
        findResource(stack, LambdaFunction.tfResourceType, { function_name: 'hookrelay-ingest-dev' })
          .environment as { variables: Record<string, string> }
      ).variables;
    expect(ingestVariables(stateless).INBOUND_ARCHIVE).toBe('ingest');
    expect(
      ingestVariables(synthPlatform('dev', undefined, { inboundArchive: 'batch' }).stateless).INBOUND_ARCHIVE,
    ).toBe('batch');
    const others = resourceList(stateless, LambdaFunction.tfResourceType).filter(
      (f) => f.function_name !== 'hookrelay-ingest-dev',
    );
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) {
      expect(
        (f.environment as { variables: Record<string, string> } | undefined)?.variables?.INBOUND_ARCHIVE,
      ).toBeUndefined();
    }
  });

  it('archived bodies expire with their request records plus the replay window, never in Glacier', () => {
    // A replay (or a requeue from the inbound DLQ) made on a record's last day reads the body
    // while its message waits in the FIFO queue and, failing, in the DLQ.
    expect(ARCHIVE_REPLAY_WINDOW_DAYS).toBe(
      (inboundQueues.fifo.messageRetentionSeconds + inboundQueues.fifoDlq.messageRetentionSeconds) / 86_400,
    );
    for (const stage of ['dev', 'prod']) {
      const platform = synthPlatform(stage);
      // The records' TTL: what the ingestion function is told to keep them for.
      const ingest = findResource(platform.stateless, LambdaFunction.tfResourceType, {
        function_name: `hookrelay-ingest-${stage}`,
      });
      const recordDays = Number(
        (ingest.environment as { variables: Record<string, string> }).variables.RETENTION_DAYS,
      );
      expect(recordDays).toBe(stageSettings(stage).dataRetentionDays);
      const lifecycle = resourceList(platform.stateful, S3BucketLifecycleConfiguration.tfResourceType);
      expect(lifecycle).toHaveLength(1);
      const rules = lifecycle[0]?.rule as Record<string, unknown>[];
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ days: recordDays + ARCHIVE_REPLAY_WINDOW_DAYS }],
      });
      // Glacier would make an archived body unreadable to GET /v1/inbound/{id} and to replay,
      // and saves nothing on objects under 128 KB (billed as 128 KB, plus a fee per object).
      expect(rules[0]?.transition).toBeUndefined();
      expect(JSON.stringify(platform.stateful.json)).not.toMatch(/GLACIER/i);
    }
  });

  it('the FIFO queue: content-based dedup, 4 days, visibility 180 s, DLQ (FIFO) after 3 receives', () => {
    const fifo = findResource(stateful, SqsQueue.tfResourceType, {
      name: 'hookrelay-inbound-webhooks-dev.fifo',
    });
    expect(fifo).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: true,
      message_retention_seconds: 4 * 24 * 3600,
      visibility_timeout_seconds: 180,
      sqs_managed_sse_enabled: true,
    });
    expect(JSON.parse(String(fifo.redrive_policy))).toEqual({
      deadLetterTargetArn: expect.stringContaining('aws_sqs_queue.inbound_queue-fifoDlq'),
      maxReceiveCount: 3,
    });
    expect(
      findResource(stateful, SqsQueue.tfResourceType, { name: 'hookrelay-inbound-webhooks-dlq-dev.fifo' }),
    ).toMatchObject({
      fifo_queue: true,
      message_retention_seconds: 14 * 24 * 3600,
    });
  });

  it('the bus: an archive, one rule per provider targeting that provider’s queue, which only the rule may send to', () => {
    expectResource(stateful, CloudwatchEventBus, { name: 'hookrelay-inbound-dev' });
    expectResource(stateful, CloudwatchEventArchive, {
      name: 'hookrelay-inbound-archive-dev',
      retention_days: 30,
    });
    const rules = resourceList(stateful, CloudwatchEventRule.tfResourceType);
    expect(rules).toHaveLength(INBOUND_PROVIDERS.length);
    for (const provider of INBOUND_PROVIDERS) {
      const rule = findResource(stateful, CloudwatchEventRule.tfResourceType, {
        name: `hookrelay-inbound-${provider}-dev`,
      });
      expect(JSON.parse(String(rule.event_pattern))).toEqual({ source: [`hookrelay.inbound.${provider}`] });
      expect(String(rule.event_bus_name)).toContain('aws_cloudwatch_event_bus.inbound_bus');
      const queue = findResource(stateful, SqsQueue.tfResourceType, {
        name: `hookrelay-inbound-${provider}-events-dev`,
      });
      expect(queue.sqs_managed_sse_enabled).toBe(true);
      const target = findResource(stateful, CloudwatchEventTarget.tfResourceType, {
        target_id: `${provider}-queue`,
      });
      expect(String(target.arn)).toContain(`inbound_events-${provider}_`);
    }
    const policies = resourceList(stateful, SqsQueuePolicy.tfResourceType)
      .filter((p) => !String(p.queue_url).includes('events-dlq'))
      .map((p) => JSON.parse(String(p.policy)));
    expect(policies).toHaveLength(INBOUND_PROVIDERS.length);
    for (const policy of policies) {
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: {
            ArnEquals: {
              'aws:SourceArn': expect.stringContaining('aws_cloudwatch_event_rule.inbound_rule-'),
            },
          },
        }),
      ]);
    }
  });
});

describe('inbound: what the rules could not deliver', () => {
  it.each(['dev', 'prod'])(
    '%s: every rule’s target retries for a day, then dead-letters to one queue',
    (stage) => {
      const stack = stage === 'dev' ? stateful : synthPlatform(stage).stateful;
      const dlq = findResource(stack, SqsQueue.tfResourceType, {
        name: `hookrelay-inbound-events-dlq-${stage}`,
      });
      expect(dlq).toMatchObject({ message_retention_seconds: 14 * 24 * 3600, sqs_managed_sse_enabled: true });
      const dlqName = Object.entries(resources(stack, SqsQueue.tfResourceType)).find(
        ([, q]) => q === dlq,
      )?.[0];
      const targets = resourceList(stack, CloudwatchEventTarget.tfResourceType);
      expect(targets).toHaveLength(INBOUND_PROVIDERS.length);
      for (const target of targets) {
        expect(target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${dlqName}.arn}` });
        expect(target.retry_policy).toEqual({
          maximum_event_age_in_seconds: 24 * 3600,
          maximum_retry_attempts: 185,
        });
      }
    },
  );

  it('lets EventBridge send to the DLQ from the provider rules only', () => {
    const dlqPolicy = resourceList(stateful, SqsQueuePolicy.tfResourceType).filter((p) =>
      String(p.queue_url).includes('events-dlq'),
    );
    expect(dlqPolicy).toHaveLength(1);
    const statements = JSON.parse(String(dlqPolicy[0]?.policy)).Statement;
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: expect.stringContaining('events-dlq'),
      }),
    ]);
    const sources = statements[0].Condition.ArnEquals['aws:SourceArn'] as string[];
    expect(sources).toHaveLength(INBOUND_PROVIDERS.length);
    for (const provider of INBOUND_PROVIDERS) {
      expect(sources).toContainEqual(
        expect.stringContaining(`aws_cloudwatch_event_rule.inbound_rule-${provider}_`),
      );
    }
  });
});

describe('inbound: functions and the public route', () => {
  it('both functions: arm64, X-Ray active, their own log group kept 7 days in dev; ingestion 256 MB, 28 s', () => {
    const ingest = findResource(stateless, LambdaFunction.tfResourceType, {
      function_name: 'hookrelay-ingest-dev',
    });
    expect(ingest).toMatchObject({ memory_size: 256, timeout: 28, tracing_config: { mode: 'Active' } });
    const processor = findResource(stateless, LambdaFunction.tfResourceType, {
      function_name: 'hookrelay-inbound-processor-dev',
    });
    expect(processor).toMatchObject({ tracing_config: { mode: 'Active' } });
    for (const name of ['hookrelay-ingest-dev', 'hookrelay-inbound-processor-dev']) {
      const group = findResource(stateless, CloudwatchLogGroup.tfResourceType, {
        name: `/aws/lambda/${name}`,
      });
      expect(group.retention_in_days).toBe(14);
    }
  });

  it('development: the public route is an HTTP API of its own, POST /in/{token} to the ingest function, throttled', () => {
    const api = findResource(stateless, Apigatewayv2Api.tfResourceType, { name: 'hookrelay-ingest-dev' });
    expect(api.protocol_type).toBe('HTTP');
    const apiRef = (r: Record<string, unknown>) => String(r.api_id).includes('ingest-http-api');
    expect(resourceList(stateless, Apigatewayv2Route.tfResourceType).filter(apiRef)).toEqual([
      expect.objectContaining({ route_key: 'POST /in/{token}', authorization_type: 'NONE' }),
    ]);
    expect(resourceList(stateless, Apigatewayv2Integration.tfResourceType).filter(apiRef)).toEqual([
      expect.objectContaining({
        integration_type: 'AWS_PROXY',
        payload_format_version: '2.0',
        integration_uri: expect.stringContaining('fn-ingest_function'),
      }),
    ]);
    const stage = resourceList(stateless, Apigatewayv2Stage.tfResourceType).find(apiRef);
    expect(stage?.default_route_settings).toMatchObject({
      throttling_burst_limit: 10,
      throttling_rate_limit: 50,
    });
    // No web ACL can attach to an HTTP API: none is made for it.
    expect(resourceList(stateless, Wafv2WebAcl.tfResourceType)).toEqual([]);
  });

  it('production: the public route is a REST API of its own: POST /in/{token}, binary bodies, token validated, throttled, traced, behind its web ACL', () => {
    const stateless = synthPlatform('prod').stateless;
    const api = findResource(stateless, ApiGatewayRestApi.tfResourceType, { name: 'hookrelay-ingest-prod' });
    expect(api.binary_media_types).toEqual(['*/*']);
    const method = resourceList(stateless, ApiGatewayMethod.tfResourceType).find((m) =>
      String(m.rest_api_id).includes('ingest-api'),
    );
    expect(method).toMatchObject({
      http_method: 'POST',
      authorization: 'NONE',
      request_parameters: { 'method.request.path.token': true },
    });
    expect(String(method?.request_validator_id)).toContain('ingest-api_validator');
    const stage = resourceList(stateless, ApiGatewayStage.tfResourceType).find((s) =>
      String(s.rest_api_id).includes('ingest-api'),
    );
    expect(stage?.xray_tracing_enabled).toBe(true);
    const settings = resourceList(stateless, ApiGatewayMethodSettings.tfResourceType).find((s) =>
      String(s.rest_api_id).includes('ingest-api'),
    );
    expect(settings?.settings).toMatchObject({ throttling_burst_limit: 100, throttling_rate_limit: 500 });
    expect(resourceList(stateless, Wafv2WebAcl.tfResourceType)).toHaveLength(1);
  });

  it.each([
    ['dev', 'http', stateless],
    ['prod', 'http', synthPlatform('prod').stateless],
    ['prod', 'rest', synthPlatform('prod', undefined, { apiGateway: 'rest' }).stateless],
  ] as const)(
    '%s (%s): the ingest access log keeps the route template, never the path with the source token',
    (stageName, _kind, stack) => {
      const onHttp = stageSettings(stageName).ingestGateway === 'http';
      const stage = onHttp
        ? resourceList(stack, Apigatewayv2Stage.tfResourceType).find((s) =>
            String(s.api_id).includes('ingest-http-api'),
          )
        : resourceList(stack, ApiGatewayStage.tfResourceType).find((s) =>
            String(s.rest_api_id).includes('ingest-api'),
          );
      const format = String((stage?.access_log_settings as { format: string } | undefined)?.format);
      expect(JSON.parse(format)).toMatchObject({
        route: onHttp ? '$context.routeKey' : '$context.resourcePath',
      });
      expect(format).not.toMatch(/\$context\.path\b|\$context\.requestOverride|\$context\.domainPrefix/);
    },
  );

  it('the processor reads the FIFO queue in batches of 10 with partial failures', () => {
    const mapping = resourceList(stateless, LambdaEventSourceMapping.tfResourceType).find((m) =>
      String(m.event_source_arn).endsWith(':hookrelay-inbound-webhooks-dev.fifo'),
    );
    expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'] });
    expect(String(mapping?.function_name)).toContain('fn-inbound-processor');
  });

  it('the API has the ingest URL and the FIFO queue in its environment, not the bus', () => {
    const api = findResource(stateless, LambdaFunction.tfResourceType, {
      function_name: 'hookrelay-api-dev',
    });
    const variables = (api.environment as { variables: Record<string, string> }).variables;
    expect(variables.INGEST_BASE_URL).toContain('aws_apigatewayv2_stage.ingest-http-api_stage');
    expect(variables.INBOUND_QUEUE_URL).toMatch(/hookrelay-inbound-webhooks-dev\.fifo$/);
    // Only the processor puts events on the bus; the API is not told its name.
    expect(variables.INBOUND_BUS_NAME).toBeUndefined();
  });
});

describe('inbound: the archive key', () => {
  interface KmsStatement {
    Action: string[];
    Resource: string[];
    Condition: Record<string, Record<string, string>>;
  }
  const archiveKms = (stack: ReturnType<typeof synthPlatform>['stateless'], stage: string) =>
    Object.fromEntries(
      resourceList(stack, IamRolePolicy.tfResourceType)
        .filter((p) => String(p.name).endsWith('-archive-kms'))
        .map((p) => [
          String(p.name)
            .replace(/^hookrelay-/, '')
            .replace(`-${stage}-archive-kms`, ''),
          (JSON.parse(String(p.policy)) as { Statement: KmsStatement[] }).Statement,
        ]),
    );

  it.each([
    ['http', synthPlatform('prod').stateless],
    ['rest', synthPlatform('prod', undefined, { apiGateway: 'rest' }).stateless],
  ] as const)(
    'prod (%s): who writes the archive may make data keys, who reads it may decrypt, through S3 and on that key only',
    (_kind, stack) => {
      const grants = archiveKms(stack, 'prod');
      expect(Object.keys(grants).sort()).toEqual(['api', 'inbound-processor', 'ingest']);
      expect(grants.ingest?.flatMap((st) => st.Action)).toEqual(['kms:GenerateDataKey']);
      expect(grants.api?.flatMap((st) => st.Action)).toEqual(['kms:Decrypt']);
      expect(grants['inbound-processor']?.flatMap((st) => st.Action)).toEqual([
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ]);
      for (const statements of Object.values(grants)) {
        for (const statement of statements) {
          expect(statement.Resource).toEqual([
            `arn:\${data.aws_partition.partition.partition}:kms:eu-west-1:\${data.aws_caller_identity.account.account_id}:key/*`,
          ]);
          expect(statement.Condition).toEqual({
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/hookrelay-inbound-archive-prod' },
            StringEquals: { 'kms:ViaService': `s3.eu-west-1.\${data.aws_partition.partition.dns_suffix}` },
          });
        }
      }
    },
  );

  it('dev: S3-managed keys, so no key and no grant', () => {
    expect(archiveKms(stateless, 'dev')).toEqual({});
  });
});

describe('inbound: least privilege, pinned', () => {
  it('ingestion: reads the token and the request, puts the request, counts; PutObject; SendMessage', () => {
    expect(access('ingest')).toEqual([
      'dynamodb:GetItem table/hookrelay-inbound-dev',
      'dynamodb:PutItem table/hookrelay-inbound-dev',
      'dynamodb:UpdateItem table/hookrelay-inbound-dev',
      's3:PutObject s3/hookrelay-inbound-dev-<account>-eu-west-1/*',
      'sqs:SendMessage queue/hookrelay-inbound-webhooks-dev.fifo',
    ]);
  });

  it('processing: receive/delete on the FIFO queue, PutEvents on the bus, GetObject and PutObject (a batch of bodies), and what forwarding needs', () => {
    expect(access('inbound-processor')).toEqual([
      'dynamodb:ConditionCheckItem table/hookrelay-platform-data-dev',
      'dynamodb:GetItem table/hookrelay-inbound-dev',
      'dynamodb:GetItem table/hookrelay-platform-data-dev',
      'dynamodb:PutItem table/hookrelay-platform-data-dev',
      'dynamodb:Query table/hookrelay-platform-data-dev',
      'dynamodb:UpdateItem table/hookrelay-inbound-dev',
      'dynamodb:UpdateItem table/hookrelay-platform-data-dev',
      'events:PutEvents event-bus/hookrelay-inbound-dev',
      's3:GetObject s3/hookrelay-inbound-dev-<account>-eu-west-1/*',
      's3:PutObject s3/hookrelay-inbound-dev-<account>-eu-west-1/*',
      'sqs:DeleteMessage queue/hookrelay-inbound-webhooks-dev.fifo',
      'sqs:GetQueueAttributes queue/hookrelay-inbound-webhooks-dev.fifo',
      'sqs:ReceiveMessage queue/hookrelay-inbound-webhooks-dev.fifo',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
    ]);
  });

  it('nothing but the processor may PutEvents, nothing but ingestion and the processor may PutObject', () => {
    for (const service of ['api', 'authorizer', 'worker', 'sweeper', 'dlq-processor', 'receiver']) {
      const lines = access(service);
      expect(lines.some((l) => l.startsWith('events:'))).toBe(false);
      expect(lines.some((l) => l.startsWith('s3:PutObject'))).toBe(false);
    }
  });
});
