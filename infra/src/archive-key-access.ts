import type { AwsLocation } from './aws-arns.js';
import { FUNCTION_ACCESS, type ServiceName } from './function-access.js';
import { archiveKeyAlias } from './inbound-resources.js';

export interface KeyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * What a function needs of the archive's KMS key where the stage encrypts the archive with
 * SSE-KMS, read off its archive grants (`FUNCTION_ACCESS`): writing an object (`s3:PutObject`)
 * needs a data key, reading one (`s3:GetObject`) needs it decrypted. The key is named by its
 * alias (`kms:ResourceAliases`), as the stateless stack names every stateful resource, and used
 * only through S3.
 *
 * @example
 * archiveKeyStatements('ingest', aws, 'prod') // [{ Sid: 'InboundArchiveKey', Action: ['kms:GenerateDataKey'], ... }]
 */
export const archiveKeyStatements = (
  service: ServiceName,
  aws: AwsLocation,
  stage: string,
): KeyStatement[] => {
  const archiveActions: readonly string[] = (FUNCTION_ACCESS[service].inbound ?? [])
    .filter((grant) => grant.resource === 'archive')
    .flatMap((grant) => grant.actions);
  const actions = [
    ...(archiveActions.includes('s3:PutObject') ? ['kms:GenerateDataKey'] : []),
    ...(archiveActions.includes('s3:GetObject') ? ['kms:Decrypt'] : []),
  ];
  if (actions.length === 0) return [];
  return [
    {
      Sid: 'InboundArchiveKey',
      Effect: 'Allow',
      Action: actions,
      Resource: [`arn:${aws.partition}:kms:${aws.region}:${aws.accountId}:key/*`],
      Condition: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': archiveKeyAlias(stage) },
        StringEquals: { 'kms:ViaService': `s3.${aws.region}.${aws.dnsSuffix}` },
      },
    },
  ];
};
