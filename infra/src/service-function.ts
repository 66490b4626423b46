import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { resourceName } from '@hookrelay/definitions';
import { AssetType, Fn, TerraformAsset } from 'cdktn';
import { Construct } from 'constructs';
import type { PolicyStatement, ServiceName } from './function-access.js';
import { BUNDLE_ENTRY } from './lambda-bundles.js';

/** IAM's limit on role names. */
const MAX_ROLE_NAME = 64;

export interface ServiceFunctionProps {
  readonly service: ServiceName;
  readonly stage: string;
  /** Part of the role's name: IAM roles are account-wide, so a stage per region needs its own. */
  readonly region: string;
  readonly description: string;
  /** The service's bundle folder (`services/<name>/dist`), zipped whole. */
  readonly bundleDir: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /**
   * The level of Lambda's own records (JSON log format): `INFO` keeps the START and REPORT
   * records of every invocation, `WARN` keeps only what goes wrong.
   */
  readonly systemLogLevel: 'INFO' | 'WARN';
  /**
   * `Active`: Lambda samples invocations and records them in X-Ray, for a function whose code
   * adds its own subsegments (Powertools Tracer). `PassThrough`: traced only when the caller
   * (a REST API stage with X-Ray on) sampled the request.
   */
  readonly tracing: 'Active' | 'PassThrough';
  /** Instances reserved for this function, which is also the most it may run at once. */
  readonly reservedConcurrency: number;
  /** What the function may do with tables and queues; logging and tracing are added here. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * One Lambda function with its own role (nothing shared between functions, so each role
 * carries exactly what its function calls), its own log group with a retention, its reserved
 * concurrency, arm64 on Node 24 and its X-Ray tracing mode.
 */
export class ServiceFunction extends Construct {
  readonly name: string;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.name = resourceName(props.service, props.stage);

    // Created here rather than by Lambda on first write, so it has a retention and is
    // removed with the function.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${this.name}`,
      retentionInDays: props.logRetentionDays,
    });

    const roleName = `${this.name}-${props.region}`;
    if (roleName.length > MAX_ROLE_NAME) {
      throw new Error(
        `Role name ${roleName} is longer than IAM's ${MAX_ROLE_NAME} characters: shorten the stage name.`,
      );
    }
    this.role = new IamRole(this, 'role', {
      name: roleName,
      description: `Runs ${this.name} in ${props.region}; nothing else assumes it.`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });

    const statements: PolicyStatement[] = [
      {
        Sid: 'OwnLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${this.logGroup.arn}:log-stream:*`],
      },
      ...props.statements,
      {
        // X-Ray has no resource-level permissions: these two actions only accept "*".
        Sid: 'XRayTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
    ];
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `${this.name}-access`,
      role: this.role.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });

    const bundle = new TerraformAsset(this, 'bundle', { path: props.bundleDir, type: AssetType.ARCHIVE });

    this.function = new LambdaFunction(this, 'function', {
      functionName: this.name,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs24.x',
      // Graviton: about 20 % cheaper per GB-second than x86 and as fast for this I/O-bound code;
      // the bundles are plain JavaScript, with no native modules to rebuild.
      architectures: ['arm64'],
      handler: `${BUNDLE_ENTRY.replace(/\.mjs$/, '')}.handler`,
      filename: bundle.path,
      // The archive is byte-reproducible (fixed entry order and timestamps), so its hash
      // changes only when a bundle does and an unchanged function is not redeployed.
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      // A floor and a ceiling: no other function can take these instances, and this one
      // cannot take more (docs/operations.md says when to raise it).
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: { ...props.environment } },
      tracingConfig: { mode: props.tracing },
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: this.logGroup.name,
        systemLogLevel: props.systemLogLevel,
      },
      // Without these the function could start before it may log or read its tables.
      dependsOn: [this.logGroup, this.policy],
    });
  }

  /** The function's ARN, for permissions, mappings and targets. */
  get arn(): string {
    return this.function.arn;
  }
}
