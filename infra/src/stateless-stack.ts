import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { DataAwsCallerIdentity } from '@cdktn/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktn/provider-aws/lib/data-aws-partition';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktn/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionEventInvokeConfig } from '@cdktn/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktn/provider-aws/lib/lambda-permission';
import {
  fifoQueueName,
  INBOUND_ENV,
  INBOUND_PROCESSOR_TIMEOUT_SECONDS,
  INGEST_MEMORY_MB,
  INGEST_TIMEOUT_SECONDS,
  inboundBus,
  inboundEnvironment,
  inboundMapping,
  inboundQueues,
  lanes,
  queueNameOf,
  queues,
  resourceName,
  stageEnvironment,
  stageLanes,
  WORKER_TIMEOUT_SECONDS,
} from '@hookrelay/definitions';
import { DEFAULT_RETRY_SCHEDULE } from '@hookrelay/domain';
import { Fn, Op, TerraformOutput, TerraformVariable, Token } from 'cdktn';
import type { Construct } from 'constructs';
import { PlatformAlarms } from './alarms.js';
import { archiveKeyStatements } from './archive-key-access.js';
import { type AwsLocation, inboundQueueArn, parameterArn, queueArn, queueUrl } from './aws-arns.js';
import { CustomDomain } from './custom-domain.js';
import { PlatformDashboard } from './dashboard.js';
import {
  accessStatements,
  FUNCTION_ACCESS,
  PARAMETERS,
  SERVICES,
  type ServiceName,
} from './function-access.js';
import { environmentFor, FUNCTION_ENVIRONMENT } from './function-environment.js';
import { HookrelayStack, type HookrelayStackProps } from './hookrelay-stack.js';
import type { InboundWatch } from './inbound-alarms.js';
import { InboundApi, InboundHttpApi, type IngestFrontDoor } from './inbound-api.js';
import { archiveBucketName, INBOUND_EVENTS_DLQ_BASE_NAME } from './inbound-resources.js';
import { assertBundles, type BundleDirs } from './lambda-bundles.js';
import { type ApiRoute, PlatformApi, type TenantApi } from './platform-api.js';
import { PlatformHttpApi } from './platform-http-api.js';
import { ReceiverApi } from './receiver-api.js';
import { ServiceFunction } from './service-function.js';
import {
  type ApiGatewayKind,
  type InboundArchiveMode,
  type MonitoringKind,
  reservedConcurrencyOf,
  SERVICE,
} from './stage.js';
import { deployedTables } from './stateful-stack.js';
import { RateLimitedWebAcl } from './web-acl.js';

export interface StatelessStackProps extends HookrelayStackProps {
  /** Each function's bundle folder; tests point these at small placeholder folders. */
  readonly bundles: BundleDirs;
  /** The API's route table (`routeIndex` from `@hookrelay/api/routes`). */
  readonly routes: readonly ApiRoute[];
  /** Whether the reference receiver (function and REST API) is part of the stage. */
  readonly deployReceiver: boolean;
  /** The tenant API's front door; the stage's setting when not given. */
  readonly apiGateway?: ApiGatewayKind;
  /** Alarms and dashboard; the stage's setting when not given. */
  readonly monitoring?: MonitoringKind;
  /** When inbound bodies are archived; the stage's setting when not given. */
  readonly inboundArchive?: InboundArchiveMode;
}

interface Sizing {
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/**
 * The functions whose code records its own X-Ray subsegments (Powertools Tracer: every
 * DynamoDB, SQS, S3 and EventBridge call). They run with active tracing; the others pass a
 * caller's sampling decision through, so an HTTP API request or a scheduled sweep records no
 * trace of a function that would add nothing to it.
 */
export const TRACED_FUNCTIONS: ReadonlySet<ServiceName> = new Set(['worker', 'ingest', 'inbound-processor']);

/**
 * Memory and timeout per function. Lambda gives CPU in proportion to memory, so memory is
 * really the CPU budget; every function here mostly waits on DynamoDB, SQS or HTTP.
 */
export const FUNCTION_SIZING: Readonly<Record<ServiceName, Sizing>> = {
  // Latency-bound and user-facing: 1 GB buys the CPU for a quick cold start (ajv validators,
  // OpenAPI document) and for hashing and signing. 28 s: room for the synchronous test
  // delivery (10 s timeout) and a 100-event batch, and just under API Gateway's 29 s
  // integration limit, so a slow request ends in the function's own logged timeout rather
  // than in an anonymous gateway 504.
  api: { description: 'Hookrelay REST API v1', memoryMb: 1024, timeoutSeconds: 28 },
  // Two GetItems per new key (answers are cached 300 s): little memory; 5 s so a DynamoDB stall
  // fails fast as a 503 rather than holding the client for the gateway's 29 s.
  authorizer: { description: 'API Gateway TOKEN authorizer', memoryMb: 256, timeoutSeconds: 5 },
  // A batch of up to 10 deliveries runs concurrently, each bounded by the 10 s delivery
  // timeout, plus its DynamoDB writes. The queue's visibility timeout is six times this
  // (packages/definitions), so the two are defined together. 512 MB for TLS handshakes.
  worker: {
    description: 'SQS delivery worker',
    memoryMb: 512,
    timeoutSeconds: WORKER_TIMEOUT_SECONDS,
  },
  // Runs every minute: 55 s keeps one run from overlapping the next (overlap is harmless,
  // only wasteful). Its index queries and re-enqueues are small.
  sweeper: { description: 'Re-enqueues overdue deliveries', memoryMb: 512, timeoutSeconds: 55 },
  // Invoked by on-call to drain up to 10,000 messages one by one (read, reopen, send, delete):
  // the longest timeout Lambda allows; little memory, it only waits on DynamoDB and SQS.
  'dlq-processor': { description: 'Requeues dead-lettered deliveries', memoryMb: 256, timeoutSeconds: 900 },
  // Verifies one signature against a handful of secrets per request.
  receiver: { description: 'Reference webhook receiver', memoryMb: 256, timeoutSeconds: 10 },
  // One HMAC, one S3 PUT, three small DynamoDB calls and one SQS send per request.
  ingest: {
    description: 'Inbound webhooks: verify, archive, enqueue',
    memoryMb: INGEST_MEMORY_MB,
    timeoutSeconds: INGEST_TIMEOUT_SECONDS,
  },
  // Up to 10 FIFO records in order: an S3 GET, PutEvents and two writes each, plus forwarding.
  'inbound-processor': {
    description: 'Inbound webhooks: route to EventBridge and forward',
    memoryMb: 256,
    timeoutSeconds: INBOUND_PROCESSOR_TIMEOUT_SECONDS,
  },
};

/** Every attempt of one delivery gives up after this long (DELIVERY_TIMEOUT_MS). */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * What a deploy replaces: the functions, the REST APIs, the worker's event source mapping,
 * the sweeper's schedule, alarms and the dashboard. It refers to the stateful stack's tables
 * and queues by their names from the definitions (see aws-arns.ts), not through its state.
 */
export class StatelessStack extends HookrelayStack {
  readonly functions: Readonly<Partial<Record<ServiceName, ServiceFunction>>>;
  /** The tenant API: a `PlatformHttpApi` or a `PlatformApi` (REST), as the stage chose. */
  readonly api: PlatformApi | PlatformHttpApi;
  readonly receiverApi: ReceiverApi | undefined;
  /** The public ingest route: a REST API (`InboundApi`) or an HTTP API, as the stage chose. */
  readonly ingestApi: IngestFrontDoor;
  readonly alarms: PlatformAlarms;

  constructor(scope: Construct, props: StatelessStackProps) {
    super(scope, 'stateless', props);
    const services = SERVICES.filter((service) => service !== 'receiver' || props.deployReceiver);
    assertBundles(props.bundles, services);
    const stage = this.stage;
    const settings = this.settings;

    const identity = new DataAwsCallerIdentity(this, 'account');
    const partition = new DataAwsPartition(this, 'partition');
    const aws: AwsLocation = {
      partition: partition.partition,
      region: this.region,
      accountId: identity.accountId,
      dnsSuffix: partition.dnsSuffix,
    };

    const variable = (id: string, description: string, defaultValue: string) =>
      new TerraformVariable(this, id, { type: 'string', default: defaultValue, description });
    const alarmEmail = new TerraformVariable(this, 'alarm_email', {
      type: 'string',
      default: '',
      description: 'Email address that receives alarm notifications (empty: none; required in prod).',
      ...(stage === 'prod'
        ? {
            validation: [
              {
                condition: `\${trimspace(var.alarm_email) != ""}`,
                errorMessage:
                  'Production alarms must reach someone: set TF_VAR_alarm_email (docs/deploy.md, step 3).',
              },
            ],
          }
        : {}),
    });
    const apiDomain = variable(
      'api_domain_name',
      'Custom domain for the tenant API, e.g. api.example.com (empty: none).',
      '',
    );
    const zoneId = variable('domain_zone_id', 'Route 53 hosted zone of the custom domains.', '');
    const retrySchedule = variable(
      'retry_schedule',
      'Delay before each delivery attempt (RETRY_SCHEDULE), e.g. 0,5s,5m,30m,2h.',
      DEFAULT_RETRY_SCHEDULE,
    );
    const secretsKmsKey = variable(
      'secrets_kms_key_arn',
      'Customer managed KMS key the SSM secrets are encrypted with (empty: the AWS managed aws/ssm key, which needs no grant).',
      '',
    );

    // Secrets live in SSM (SecureString), set once per stage by an operator. Functions get the
    // parameter's *name* and read the value at init (Powertools Parameters): no secret value is
    // in a function's configuration, in Terraform state or in a plan.
    const parameterPath = (id: string, description: string, defaultValue: string) =>
      new TerraformVariable(this, id, {
        type: 'string',
        default: defaultValue,
        description,
        validation: [
          {
            condition: `\${substr(var.${id}, 0, 1) == "/"}`,
            errorMessage: `${id} must be a parameter path such as ${defaultValue}.`,
          },
        ],
      }).stringValue;
    const secretParameters: Readonly<Record<string, string>> = {
      ADMIN_API_KEY_PARAMETER: parameterPath(
        'admin_api_key_parameter',
        'SSM SecureString parameter holding the admin API key.',
        `/${SERVICE}/${stage}/admin-api-key`,
      ),
      CURSOR_SECRET_PARAMETER: parameterPath(
        'cursor_secret_parameter',
        'SSM SecureString parameter holding the secret that signs pagination cursors.',
        `/${SERVICE}/${stage}/cursor-secret`,
      ),
    };

    // Every value a function of this stage may be given; each takes only what its handler reads.
    const stageValues: Readonly<Record<string, string>> = {
      ...stageEnvironment(stage, (name) => queueUrl(aws, name), settings.deliveryLanes),
      RETENTION_DAYS: String(settings.dataRetentionDays),
      // Settings of the functions that call tenants' endpoints. Nothing private is reachable
      // from a cloud stage; the local platform allows loopback.
      HTTPS_ONLY: 'true',
      DESTINATION_ALLOWLIST: '',
      DELIVERY_TIMEOUT_MS: String(DELIVERY_TIMEOUT_MS),
      RETRY_SCHEDULE: retrySchedule.stringValue,
      ...inboundEnvironment(
        stage,
        (name) => queueUrl(aws, name),
        archiveBucketName(stage, aws.accountId, aws.region),
      ),
      [INBOUND_ENV.archive]: props.inboundArchive ?? settings.inboundArchive,
      ...secretParameters,
    };

    const serviceFunction = (service: ServiceName) => {
      const reads = FUNCTION_ENVIRONMENT[service];
      // The parameters its declaration names (the environment names them to the handler).
      const parameters = (FUNCTION_ACCESS[service].parameters ?? []).map(
        (id) => [PARAMETERS[id], secretParameters[PARAMETERS[id]] ?? ''] as const,
      );
      const fn = new ServiceFunction(this, `fn-${service}`, {
        service,
        stage,
        region: this.region,
        ...FUNCTION_SIZING[service],
        bundleDir: props.bundles[service],
        environment: environmentFor(reads, stageValues),
        logRetentionDays: settings.logRetentionDays,
        systemLogLevel: settings.lambdaSystemLogLevel,
        tracing: TRACED_FUNCTIONS.has(service) ? 'Active' : 'PassThrough',
        reservedConcurrency: reservedConcurrencyOf(settings, service),
        statements: [
          ...accessStatements(FUNCTION_ACCESS[service], {
            aws,
            stage,
            archiveBucket: archiveBucketName(stage, aws.accountId, aws.region),
            deliveryLanes: settings.deliveryLanes,
          }),
          ...(parameters.length > 0
            ? [
                {
                  Sid: 'ReadOwnSecrets',
                  Effect: 'Allow' as const,
                  Action: ['ssm:GetParameter'],
                  Resource: parameters.map(([, name]) => parameterArn(aws, name)),
                },
              ]
            : []),
        ],
      });
      if (parameters.length > 0) {
        // Only with a customer managed key: the aws/ssm key's policy already lets SSM decrypt
        // for any principal of the account that may read the parameter.
        new IamRolePolicy(this, `fn-${service}-secrets-kms`, {
          count: Token.asNumber(Fn.conditional(Op.eq(secretsKmsKey.stringValue, ''), 0, 1)),
          name: `${fn.name}-secrets-kms`,
          role: fn.role.id,
          policy: Fn.jsonencode({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DecryptOwnSecretsThroughSsm',
                Effect: 'Allow',
                Action: ['kms:Decrypt'],
                Resource: [secretsKmsKey.stringValue],
                Condition: { StringEquals: { 'kms:ViaService': `ssm.${this.region}.${aws.dnsSuffix}` } },
              },
            ],
          }),
        });
      }
      // SSE-KMS archive: its key, to the functions that write or read archived bodies. A policy
      // of its own beside the access policy, so the grant exists only where the stage uses it.
      const keyStatements =
        settings.archiveEncryption === 'kms' ? archiveKeyStatements(service, aws, stage) : [];
      if (keyStatements.length > 0) {
        new IamRolePolicy(this, `fn-${service}-archive-kms`, {
          name: `${fn.name}-archive-kms`,
          role: fn.role.id,
          policy: JSON.stringify({ Version: '2012-10-17', Statement: keyStatements }),
        });
      }
      return fn;
    };
    const functions: Partial<Record<ServiceName, ServiceFunction>> = {};
    for (const service of services) functions[service] = serviceFunction(service);
    this.functions = functions;
    const deployed = (service: ServiceName): ServiceFunction => {
      const fn = functions[service];
      if (!fn) throw new Error(`Function ${service} is not part of this stage.`);
      return fn;
    };
    const worker = deployed('worker');
    const sweeper = deployed('sweeper');
    const workerLanes = stageLanes(settings.deliveryLanes);
    const laneMaximum = {
      main: settings.workerMaxConcurrency,
      slow: settings.slowLaneMaxConcurrency,
      ordered: settings.orderedLaneMaxConcurrency,
    } as const;
    const laneConcurrency = workerLanes.reduce((sum, lane) => sum + Math.max(2, laneMaximum[lane]), 0);
    if (laneConcurrency > reservedConcurrencyOf(settings, 'worker')) {
      throw new Error(
        'The worker’s reserved concurrency must cover what its event source mappings may start together.',
      );
    }

    const api = deployed('api');
    const inboundProcessor = deployed('inbound-processor');
    const ingestProps = {
      stage,
      handler: deployed('ingest'),
      throttle: settings.ingestThrottle,
      logRetentionDays: settings.logRetentionDays,
    };
    this.ingestApi =
      settings.ingestGateway === 'rest'
        ? new InboundApi(this, 'ingest-api', ingestProps)
        : new InboundHttpApi(this, 'ingest-http-api', ingestProps);
    const ingestBurst = settings.ingestThrottle.burstLimit;
    if (ingestBurst > reservedConcurrencyOf(settings, 'ingest')) {
      throw new Error('The ingest stage’s burst must not exceed the ingest function’s reserved concurrency.');
    }
    if (settings.webAcl && this.ingestApi.wafStageArn) {
      new RateLimitedWebAcl(this, 'ingest-waf', {
        name: this.ingestApi.name,
        stageArn: this.ingestApi.wafStageArn,
        limitPerAddress: settings.webAcl.ingestPerAddress,
      });
    }
    api.function.addOverride(`environment.variables.${INBOUND_ENV.ingestBaseUrl}`, this.ingestApi.invokeUrl);
    // In order per source: one record group per source, a failure keeps the rest of its group.
    if (settings.inboundMaxConcurrency > reservedConcurrencyOf(settings, 'inbound-processor')) {
      throw new Error(
        'The inbound queue’s maximum concurrency must not exceed the inbound processor’s reserved concurrency.',
      );
    }
    new LambdaEventSourceMapping(this, 'inbound-queue', {
      eventSourceArn: inboundQueueArn(aws, stage),
      functionName: inboundProcessor.arn,
      batchSize: inboundMapping.batchSize,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // At least 2, as Lambda requires; at most what the processor has reserved.
      scalingConfig: { maximumConcurrency: Math.max(2, settings.inboundMaxConcurrency) },
      dependsOn: [inboundProcessor.policy],
    });

    const apiProps = {
      stage,
      routes: props.routes,
      handler: api,
      authorizer: deployed('authorizer'),
      throttle: settings.apiThrottle,
      logRetentionDays: settings.logRetentionDays,
    };
    this.api =
      (props.apiGateway ?? settings.apiGateway) === 'http'
        ? new PlatformHttpApi(this, 'http-api', apiProps)
        : new PlatformApi(this, 'api', apiProps);
    const tenantApi: TenantApi = this.api;
    // WAF attaches to REST API stages only: behind the HTTP API the stage throttle is all there is.
    if (settings.webAcl && this.api instanceof PlatformApi) {
      new RateLimitedWebAcl(this, 'api-waf', {
        name: this.api.name,
        stageArn: this.api.stage.arn,
        limitPerAddress: settings.webAcl.apiPerAddress,
      });
    }
    new CustomDomain(this, 'api-domain', {
      domainName: apiDomain,
      zoneId,
      api: tenantApi.mapping,
    });
    const receiverFunction = functions.receiver;
    if (receiverFunction) {
      this.receiverApi = new ReceiverApi(this, 'receiver-api', {
        stage,
        handler: receiverFunction,
        throttle: settings.receiverThrottle,
        logRetentionDays: settings.logRetentionDays,
      });
      new CustomDomain(this, 'receiver-domain', {
        domainName: variable(
          'receiver_domain_name',
          'Custom domain for the reference receiver (empty: none).',
          '',
        ),
        zoneId,
        api: {
          kind: 'rest',
          restApiId: this.receiverApi.restApi.id,
          stageName: this.receiverApi.stage.stageName,
        },
      });
      new TerraformOutput(this, 'receiver_url', { value: this.receiverApi.stage.invokeUrl });
    } else {
      this.receiverApi = undefined;
    }

    // One mapping per lane, all invoking the worker: the main lane for healthy endpoints, the
    // slow lane (where the stage runs two) for endpoints quarantined for answering slowly, the
    // ordered line (FIFO) for ordered webhooks' keyed deliveries, each with its own ceiling.
    const mappingIds = { main: 'worker-queue', slow: 'worker-slow-queue', ordered: 'worker-ordered-queue' };
    const laneMappings = workerLanes.map((lane) => ({
      id: mappingIds[lane],
      queue: queues[lanes[lane].queue],
      batchSize: lanes[lane].batchSize,
      batchingWindowSeconds: lanes[lane].batchingWindowSeconds,
      maximumConcurrency: laneMaximum[lane],
    }));
    for (const lane of laneMappings) {
      new LambdaEventSourceMapping(this, lane.id, {
        eventSourceArn: queueArn(aws, lane.queue, stage),
        functionName: worker.arn,
        batchSize: lane.batchSize,
        // Waits up to this long to fill a batch (the local mapping waits as long): fuller batches
        // when events trickle in, at most that much added to a delivery due at once.
        ...(lane.queue.fifo ? {} : { maximumBatchingWindowInSeconds: lane.batchingWindowSeconds }),
        // The worker reports which messages failed; only those come back.
        functionResponseTypes: ['ReportBatchItemFailures'],
        // At least 2, as Lambda requires.
        scalingConfig: { maximumConcurrency: Math.max(2, lane.maximumConcurrency) },
        // The mapping checks at creation that the role may receive from the queue.
        dependsOn: [worker.policy],
      });
    }

    const sweepSchedule = new CloudwatchEventRule(this, 'sweeper-schedule', {
      name: resourceName('sweeper', stage),
      description: 'Re-enqueues deliveries whose message was lost (see docs/delivery.md).',
      scheduleExpression:
        settings.sweepIntervalMinutes === 1
          ? 'rate(1 minute)'
          : `rate(${settings.sweepIntervalMinutes} minutes)`,
    });
    new CloudwatchEventTarget(this, 'sweeper-target', {
      rule: sweepSchedule.name,
      arn: sweeper.arn,
      targetId: 'sweeper',
    });
    new LambdaPermission(this, 'sweeper-invoke', {
      statementId: 'AllowEventBridgeInvoke',
      action: 'lambda:InvokeFunction',
      functionName: sweeper.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: sweepSchedule.arn,
    });
    // A failed sweep is not retried: the next one starts within the interval anyway.
    new LambdaFunctionEventInvokeConfig(this, 'sweeper-async', {
      functionName: sweeper.function.functionName,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60 * settings.sweepIntervalMinutes,
    });

    const deliveryQueueName = resourceName(queues.deliveries.baseName, stage);
    const slowQueueName = workerLanes.includes('slow')
      ? resourceName(queues.slow.baseName, stage)
      : undefined;
    const orderedQueueName = queueNameOf(queues.ordered, stage);
    const orderedDeadLetterQueueName = queueNameOf(queues.orderedDlq, stage);
    const deadLetterQueueName = resourceName(queues.dlq.baseName, stage);
    const inbound: InboundWatch = {
      ingestFunctionName: deployed('ingest').name,
      processorFunctionName: inboundProcessor.name,
      dlqProcessorFunctionName: deployed('dlq-processor').name,
      queueName: fifoQueueName(inboundQueues.fifo, stage),
      deadLetterQueueName: fifoQueueName(inboundQueues.fifoDlq, stage),
      ingestApi: this.ingestApi.metrics,
      busName: resourceName(inboundBus.baseName, stage),
      ruleNames: inboundBus.rules.map((rule) => resourceName(rule.baseName, stage)),
      eventsDeadLetterQueueName: resourceName(INBOUND_EVENTS_DLQ_BASE_NAME, stage),
      providerQueueNames: Object.fromEntries(
        inboundBus.rules.map((rule) => [rule.provider, resourceName(rule.queueBaseName, stage)]),
      ),
    };
    const monitoring = props.monitoring ?? settings.monitoring;
    this.alarms = new PlatformAlarms(this, 'alarms', {
      stage,
      settings,
      alarms: monitoring === 'full',
      email: alarmEmail,
      deliveryQueueName,
      ...(slowQueueName ? { slowQueueName } : {}),
      orderedQueueName,
      orderedDeadLetterQueueName,
      deadLetterQueueName,
      watchedFunctions: {
        api: api.name,
        authorizer: deployed('authorizer').name,
        worker: worker.name,
      },
      sweeperFunctionName: sweeper.name,
      tableNames: deployedTables(props.deployReceiver).map((table) => resourceName(table.baseName, stage)),
      api: tenantApi.metrics,
      inbound,
    });
    if (monitoring === 'full') {
      const dashboard = new PlatformDashboard(this, 'dashboard', {
        stage,
        region: this.region,
        api: tenantApi.metrics,
        deliveryQueueName,
        ...(slowQueueName ? { slowQueueName } : {}),
        deadLetterQueueName,
        functionNames: Object.fromEntries(services.map((service) => [service, deployed(service).name])),
        alarmArns: this.alarms.alarms.map((alarm) => alarm.arn),
        inbound,
      });
      new TerraformOutput(this, 'dashboard_name', { value: dashboard.dashboard.dashboardName });
    }

    new TerraformOutput(this, 'api_url', { value: tenantApi.invokeUrl });
    new TerraformOutput(this, 'ingest_url', { value: this.ingestApi.invokeUrl });
    new TerraformOutput(this, 'dlq_processor_function', { value: deployed('dlq-processor').name });
    new TerraformOutput(this, 'alarm_topic_arn', { value: this.alarms.topic.arn });
  }
}
