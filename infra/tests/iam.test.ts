import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { describe, expect, it } from '@jest/globals';
import { FUNCTION_ACCESS, PARAMETERS, SERVICES, type ServiceName } from '../src/function-access.js';
import { FUNCTION_ENVIRONMENT } from '../src/function-environment.js';
import { findResource, REGION, resourceList, synthPlatform } from './support/synth.js';

// Both delivery lanes, as production runs them; a stage of one lane is at the end.
const { stateless } = synthPlatform('dev', undefined, { deliveryLanes: 2 });

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

const policyOf = (service: ServiceName, stack = stateless): Statement[] => {
  const policy = findResource(stack, IamRolePolicy.tfResourceType, {
    name: `hookrelay-${service}-dev-access`,
  });
  return (JSON.parse(String(policy.policy)) as { Statement: Statement[] }).Statement;
};

/** Everything the function may do outside logging and tracing, as "action on resource" lines. */
const dataAccess = (service: ServiceName, stack = stateless): string[] =>
  policyOf(service, stack)
    .filter((s) => !['OwnLogGroup', 'XRayTraces', 'ReadOwnSecrets'].includes(s.Sid))
    .flatMap((s) =>
      s.Action.flatMap((action) => s.Resource.map((resource) => `${action} ${resourceOf(resource)}`)),
    )
    .sort();

/** `arn:${partition}:dynamodb:eu-west-1:${account}:table/hookrelay-api-keys-dev` → `table/hookrelay-api-keys-dev`. */
const resourceOf = (arn: string): string => {
  const dynamo = /:table\/(.+)$/.exec(arn);
  if (dynamo) return `table/${dynamo[1]}`;
  const sqs = /:sqs:[^:]+:[^:]+:(.+)$/.exec(arn);
  if (sqs) return `queue/${sqs[1]}`;
  return arn;
};

describe('one role per function', () => {
  it('creates six roles, each assumed only by Lambda and used by one function', () => {
    const roles = resourceList(stateless, IamRole.tfResourceType);
    expect(roles).toHaveLength(SERVICES.length);
    for (const role of roles) {
      expect(JSON.parse(String(role.assume_role_policy))).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
    }
    const roleRefs = resourceList(stateless, LambdaFunction.tfResourceType).map((f) => f.role);
    expect(new Set(roleRefs).size).toBe(SERVICES.length);
    const accessPolicies = resourceList(stateless, IamRolePolicy.tfResourceType).filter((p) =>
      String(p.name).endsWith('-access'),
    );
    expect(accessPolicies).toHaveLength(SERVICES.length);
  });

  it('names each role after its function and the region: IAM names are account-wide', () => {
    const names = resourceList(stateless, IamRole.tfResourceType).map((r) => r.name);
    expect(names.sort()).toEqual(SERVICES.map((s) => `hookrelay-${s}-dev-${REGION}`).sort());
    const prodRoles = resourceList(synthPlatform('prod').stateless, IamRole.tfResourceType);
    for (const role of prodRoles) {
      expect(String(role.name)).toMatch(new RegExp(`^hookrelay-[a-z-]+-prod-${REGION}$`));
      expect(String(role.name).length).toBeLessThanOrEqual(64);
    }
  });

  it('refuses a stage whose role names would be longer than IAM allows', () => {
    expect(() => synthPlatform('a-stage-name-of-thirty-one-char')).toThrow(
      /Role name hookrelay-dlq-processor-a-stage-name-of-thirty-one-char-eu-west-1 is longer than IAM's 64 characters/,
    );
  });

  it('attaches no managed policies (everything is spelled out inline)', () => {
    expect(stateless.json.resource.aws_iam_role_policy_attachment).toBeUndefined();
    for (const role of resourceList(stateless, IamRole.tfResourceType)) {
      expect(role.managed_policy_arns).toBeUndefined();
    }
  });
});

describe.each(SERVICES.map((s) => [s]))('%s policy', (service) => {
  const statements = policyOf(service);

  it('names every action exactly: no wildcard in any action', () => {
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) expect(action).not.toContain('*');
    }
  });

  it('uses "*" as a resource only for X-Ray, which has no resource-level permissions', () => {
    for (const statement of statements) {
      if (statement.Resource.includes('*')) {
        expect(statement.Sid).toBe('XRayTraces');
        expect([...statement.Action].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    }
  });

  it('may write only to its own log group', () => {
    const logs = statements.find((s) => s.Sid === 'OwnLogGroup');
    expect(logs?.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(logs?.Resource).toHaveLength(1);
    expect(logs?.Resource[0]).toMatch(
      /^\$\{aws_cloudwatch_log_group\.fn-[a-z-]+_logs_[0-9A-F]+\.arn\}:log-stream:\*$/,
    );
    expect(logs?.Resource[0]).toContain(`fn-${service}_logs_`);
  });

  it('refers to tables and queues of its own stage, in its own account and region', () => {
    // The inbound archive, FIFO queue and bus are pinned in inbound-stacks.test.ts.
    const dataStatements = statements.filter(
      (s) => !['OwnLogGroup', 'XRayTraces', 'ReadOwnSecrets'].includes(s.Sid) && !s.Sid.startsWith('Inbound'),
    );
    for (const statement of dataStatements) {
      for (const resource of statement.Resource) {
        expect(resource).toMatch(
          /^arn:\$\{data\.aws_partition\.partition\.partition\}:(dynamodb|sqs):eu-west-1:\$\{data\.aws_caller_identity\.account\.account_id\}:/,
        );
        expect(resource).toMatch(/-dev(\/index\/[a-z-]+|\.fifo)?$/);
      }
    }
  });
});

describe('what each function may touch', () => {
  it('authorizer: GetItem on api-keys, nothing else', () => {
    expect(dataAccess('authorizer')).toEqual(['dynamodb:GetItem table/hookrelay-api-keys-dev']);
    const tableArns = JSON.stringify(policyOf('authorizer')).match(/table\/[a-z-]+/g);
    expect(tableArns).toEqual(['table/hookrelay-api-keys-dev']);
  });

  it('receiver: reads webhook-secrets, reads and writes receiver-state', () => {
    // It verifies signatures: OAuth2 client secrets and certificate keys are none of its business.
    expect(JSON.stringify(policyOf('receiver'))).not.toContain('endpoint-credentials');
    expect(dataAccess('receiver')).toEqual([
      'dynamodb:GetItem table/hookrelay-receiver-state-dev',
      'dynamodb:GetItem table/hookrelay-webhook-secrets-dev',
      'dynamodb:PutItem table/hookrelay-receiver-state-dev',
      'dynamodb:Query table/hookrelay-webhook-secrets-dev',
    ]);
  });

  it('worker: platform-data, webhook-secrets and endpoint credentials, both lanes, the ordered line and the DLQ, never api-keys', () => {
    expect(JSON.stringify(policyOf('worker'))).not.toContain('api-keys');
    expect(dataAccess('worker')).toEqual([
      'dynamodb:BatchGetItem table/hookrelay-platform-data-dev',
      'dynamodb:BatchGetItem table/hookrelay-webhook-secrets-dev',
      'dynamodb:BatchWriteItem table/hookrelay-platform-data-dev',
      'dynamodb:ConditionCheckItem table/hookrelay-platform-data-dev',
      'dynamodb:GetItem table/hookrelay-endpoint-credentials-dev',
      'dynamodb:GetItem table/hookrelay-platform-data-dev',
      'dynamodb:GetItem table/hookrelay-webhook-secrets-dev',
      'dynamodb:PutItem table/hookrelay-endpoint-credentials-dev',
      'dynamodb:PutItem table/hookrelay-platform-data-dev',
      'dynamodb:Query table/hookrelay-platform-data-dev',
      'dynamodb:UpdateItem table/hookrelay-platform-data-dev',
      'sqs:ChangeMessageVisibility queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:DeleteMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:DeleteMessage queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:DeleteMessage queue/hookrelay-webhook-deliveries-slow-dev',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-dev',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-slow-dev',
      'sqs:ReceiveMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:ReceiveMessage queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:ReceiveMessage queue/hookrelay-webhook-deliveries-slow-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dlq-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-slow-dev',
    ]);
  });

  it('api: api-keys (write), platform-data, webhook-secrets, endpoint credentials, idempotency, inbound, sends to both delivery lanes and the ordered line', () => {
    const access = dataAccess('api');
    expect(access).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem table/hookrelay-api-keys-dev',
        'dynamodb:DeleteItem table/hookrelay-api-keys-dev',
        'dynamodb:Query table/hookrelay-api-keys-dev/index/keys-by-tenant',
        'dynamodb:Query table/hookrelay-platform-data-dev',
        'dynamodb:Query table/hookrelay-platform-data-dev/index/events-by-status',
        'dynamodb:BatchGetItem table/hookrelay-platform-data-dev',
        'dynamodb:ConditionCheckItem table/hookrelay-platform-data-dev',
        'dynamodb:PutItem table/hookrelay-webhook-secrets-dev',
        'dynamodb:PutItem table/hookrelay-idempotency-dev',
        'dynamodb:DeleteItem table/hookrelay-idempotency-dev',
        'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
      ]),
    );
    const touched = new Set(access.map((line) => line.split(' ')[1]?.replace(/\/index\/.*/, '')));
    expect([...touched].sort()).toEqual([
      `arn:\${data.aws_partition.partition.partition}:s3:::hookrelay-inbound-dev-\${data.aws_caller_identity.account.account_id}-eu-west-1/*`,
      'queue/hookrelay-inbound-webhooks-dev.fifo',
      'queue/hookrelay-webhook-deliveries-dev',
      'queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'queue/hookrelay-webhook-deliveries-slow-dev',
      'table/hookrelay-api-keys-dev',
      'table/hookrelay-endpoint-credentials-dev',
      'table/hookrelay-idempotency-dev',
      'table/hookrelay-inbound-dev',
      'table/hookrelay-platform-data-dev',
      'table/hookrelay-webhook-secrets-dev',
    ]);
    // A resumed key's held messages are made visible at once: the one change the API makes to a
    // message it did not send.
    expect(access.filter((line) => line.startsWith('sqs:'))).toEqual([
      'sqs:ChangeMessageVisibility queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:SendMessage queue/hookrelay-inbound-webhooks-dev.fifo',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-ordered-dev.fifo',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-slow-dev',
    ]);
    // Indexes are only queried, never written or read item by item.
    expect(
      access.filter((line) => line.includes('/index/')).every((line) => line.startsWith('dynamodb:Query ')),
    ).toBe(true);
  });

  it('sweeper: platform-data (its swept mark a put) and its sweep index, both lanes’ depth, sends to the delivery queue', () => {
    expect(dataAccess('sweeper')).toEqual([
      'dynamodb:GetItem table/hookrelay-platform-data-dev',
      'dynamodb:PutItem table/hookrelay-platform-data-dev',
      'dynamodb:Query table/hookrelay-platform-data-dev',
      'dynamodb:Query table/hookrelay-platform-data-dev/index/sweep',
      'dynamodb:UpdateItem table/hookrelay-platform-data-dev',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-dev',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-slow-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
    ]);
  });

  it('dlq-processor: only the two queues and platform-data', () => {
    expect(dataAccess('dlq-processor')).toEqual([
      'dynamodb:GetItem table/hookrelay-platform-data-dev',
      'dynamodb:UpdateItem table/hookrelay-platform-data-dev',
      'sqs:ChangeMessageVisibility queue/hookrelay-webhook-deliveries-dlq-dev',
      'sqs:DeleteMessage queue/hookrelay-webhook-deliveries-dlq-dev',
      'sqs:ReceiveMessage queue/hookrelay-webhook-deliveries-dlq-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
    ]);
  });

  it('gives api-keys write access to the api alone, and the idempotency table to the api alone', () => {
    for (const service of SERVICES) {
      if (service === 'api') continue;
      expect(dataAccess(service).some((line) => line.includes('idempotency'))).toBe(false);
      if (service !== 'authorizer') expect(JSON.stringify(policyOf(service))).not.toContain('api-keys');
    }
  });
});

describe('secrets', () => {
  const secretReads = (service: ServiceName) =>
    policyOf(service)
      .filter((s) => s.Action.some((a) => a.startsWith('ssm:') || a.startsWith('kms:')))
      .flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${r}`)));
  const parameter = (variable: string) =>
    `ssm:GetParameter arn:\${data.aws_partition.partition.partition}:ssm:eu-west-1:\${data.aws_caller_identity.account.account_id}:parameter\${var.${variable}}`;

  it('lets the authorizer and the receiver read the admin key parameter, and nothing else from SSM', () => {
    expect(secretReads('authorizer')).toEqual([parameter('admin_api_key_parameter')]);
    expect(secretReads('receiver')).toEqual([parameter('admin_api_key_parameter')]);
  });

  it('lets the api read the cursor secret parameter only', () => {
    expect(secretReads('api')).toEqual([parameter('cursor_secret_parameter')]);
  });

  it('declares exactly the parameters each handler is told to read (access.ts and its environment agree)', () => {
    for (const service of SERVICES) {
      const declared = (FUNCTION_ACCESS[service].parameters ?? []).map((id) => PARAMETERS[id]).sort();
      const read = FUNCTION_ENVIRONMENT[service].filter((name) => name.endsWith('_PARAMETER')).sort();
      expect([service, ...declared]).toEqual([service, ...read]);
    }
  });

  it('gives the other functions no SSM or KMS access', () => {
    for (const service of ['worker', 'sweeper', 'dlq-processor'] as const) {
      expect(secretReads(service)).toEqual([]);
    }
  });

  it('grants kms:Decrypt through SSM on a customer managed key only when one is given', () => {
    const kms = resourceList(stateless, IamRolePolicy.tfResourceType).filter((p) =>
      String(p.name).endsWith('-secrets-kms'),
    );
    expect(kms.map((p) => p.name).sort()).toEqual([
      'hookrelay-api-dev-secrets-kms',
      'hookrelay-authorizer-dev-secrets-kms',
      'hookrelay-receiver-dev-secrets-kms',
    ]);
    for (const policy of kms) {
      expect(policy.count).toBe(`\${(var.secrets_kms_key_arn == "") ? 0 : 1}`);
      const text = String(policy.policy);
      expect(text).toContain('"kms:Decrypt"');
      expect(text).toContain('var.secrets_kms_key_arn');
      expect(text).toContain('"kms:ViaService"');
    }
    expect(stateless.json.variable?.secrets_kms_key_arn).toMatchObject({ default: '' });
  });
});

describe('a stage of one delivery lane (development’s default)', () => {
  const one = synthPlatform('dev');
  const queueNames = new Set(
    resourceList(one.stateful, SqsQueue.tfResourceType).map((q) => `queue/${q.name}`),
  );

  it('names only queues the stage has: what the slow lane was granted is granted on the main queue', () => {
    expect(queueNames).not.toContain('queue/hookrelay-webhook-deliveries-slow-dev');
    for (const service of SERVICES) {
      const queuesNamed = dataAccess(service, one.stateless)
        .filter((line) => line.startsWith('sqs:'))
        .map((line) => line.split(' ')[1] ?? '')
        .filter((queue) => !queue.startsWith('queue/hookrelay-inbound'));
      for (const queue of queuesNamed) expect(queueNames).toContain(queue);
    }
    // One statement per queue, Sids unique: the slow lane's actions joined the main queue's.
    for (const service of SERVICES) {
      const sids = policyOf(service, one.stateless).map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
    }
  });

  it('gives each function on the main queue what it had on both lanes', () => {
    const onBothLanes = (service: ServiceName) =>
      dataAccess(service)
        .map((line) => line.replace('deliveries-slow-dev', 'deliveries-dev'))
        .filter((line, i, all) => all.indexOf(line) === i);
    for (const service of ['worker', 'api', 'sweeper', 'inbound-processor'] as const) {
      expect(dataAccess(service, one.stateless)).toEqual(onBothLanes(service));
    }
    expect(dataAccess('worker', one.stateless).filter((line) => line.includes('deliveries-dev'))).toEqual([
      'sqs:DeleteMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:GetQueueAttributes queue/hookrelay-webhook-deliveries-dev',
      'sqs:ReceiveMessage queue/hookrelay-webhook-deliveries-dev',
      'sqs:SendMessage queue/hookrelay-webhook-deliveries-dev',
    ]);
  });
});
