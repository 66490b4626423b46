import { ApiGatewayMethodSettings } from '@cdktn/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayStage } from '@cdktn/provider-aws/lib/api-gateway-stage';
import { Apigatewayv2Stage } from '@cdktn/provider-aws/lib/apigatewayv2-stage';
import { LambdaEventSourceMapping } from '@cdktn/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { Wafv2WebAcl } from '@cdktn/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktn/provider-aws/lib/wafv2-web-acl-association';
import { describe, expect, it } from '@jest/globals';
import { ACCOUNT_API_THROTTLE, stageSettings } from '../src/stage.js';
import { findResource, resourceList, resources, type Synthesized, synthPlatform } from './support/synth.js';

/*
 * The inbound path under load: providers send in bursts to one public route, and a flood there
 * must neither starve the tenant API nor run past what the functions behind it can take.
 */
const platforms = [
  ['dev', 'http'],
  ['dev', 'rest'],
  ['prod', 'http'],
  ['prod', 'rest'],
] as const;
const synthesized = platforms.map(
  ([stage, kind]) => [stage, kind, synthPlatform(stage, undefined, { apiGateway: kind })] as const,
);

const fnOf = (stack: Synthesized, name: string) =>
  findResource(stack, LambdaFunction.tfResourceType, { function_name: name });
/** The stage settings (throttle) of a REST API, found by the construct id in its references. */
const restSettings = (stack: Synthesized, api: string) =>
  resourceList(stack, ApiGatewayMethodSettings.tfResourceType).find((s) =>
    String(s.rest_api_id).includes(`${api}_rest-api`),
  )?.settings as { throttling_rate_limit: number; throttling_burst_limit: number } | undefined;
const nameOf = (stack: Synthesized, type: string, match: (r: Record<string, unknown>) => boolean) =>
  Object.entries(resources(stack, type)).find(([, r]) => match(r))?.[0];

describe.each(synthesized)('%s (%s)', (stage, kind, { stateful, stateless }) => {
  it('runs the inbound FIFO queue in high-throughput mode: deduplication and throughput per source', () => {
    expect(
      findResource(stateful, SqsQueue.tfResourceType, { name: `hookrelay-inbound-webhooks-${stage}.fifo` }),
    ).toMatchObject({ deduplication_scope: 'messageGroup', fifo_throughput_limit: 'perMessageGroupId' });
  });

  it('starts no more processors than the function has reserved', () => {
    const mapping = resourceList(stateless, LambdaEventSourceMapping.tfResourceType).find((m) =>
      String(m.event_source_arn).endsWith(`:hookrelay-inbound-webhooks-${stage}.fifo`),
    );
    const cap = (mapping?.scaling_config as { maximum_concurrency: number } | undefined)?.maximum_concurrency;
    const reserved = Number(
      fnOf(stateless, `hookrelay-inbound-processor-${stage}`).reserved_concurrent_executions,
    );
    expect(cap).toBeGreaterThanOrEqual(2);
    expect(cap).toBeLessThanOrEqual(reserved);
  });

  it('throttles the ingest stage near what its function can absorb, far below the account’s quota', () => {
    const ingest =
      restSettings(stateless, 'ingest-api') ??
      (resourceList(stateless, Apigatewayv2Stage.tfResourceType).find((st) =>
        String(st.api_id).includes('ingest-http-api'),
      )?.default_route_settings as
        | { throttling_rate_limit: number; throttling_burst_limit: number }
        | undefined);
    if (!ingest) throw new Error('no ingest stage settings');
    const reserved = Number(fnOf(stateless, `hookrelay-ingest-${stage}`).reserved_concurrent_executions);
    // A burst is requests at once: no more than there are instances to take them.
    expect(ingest.throttling_burst_limit).toBeLessThanOrEqual(reserved);
    // Each instance takes a handful of requests a second (an HMAC and five short AWS calls).
    expect(ingest.throttling_rate_limit).toBeLessThanOrEqual(10 * reserved);
    // With the tenant API's own throttle, still within the account's regional quota, so a
    // flood on /in/... is turned away at the ingest stage and never takes the API's share.
    const api =
      kind === 'rest'
        ? restSettings(stateless, 'api')
        : (resourceList(stateless, Apigatewayv2Stage.tfResourceType).find(
            (st) => !String(st.api_id).includes('ingest-http-api'),
          )?.default_route_settings as {
            throttling_rate_limit: number;
            throttling_burst_limit: number;
          });
    if (!api) throw new Error('no API stage settings');
    const receiver = restSettings(stateless, 'receiver-api');
    expect(
      ingest.throttling_rate_limit + api.throttling_rate_limit + (receiver?.throttling_rate_limit ?? 0),
    ).toBeLessThanOrEqual(ACCOUNT_API_THROTTLE.rateLimit);
    expect(
      ingest.throttling_burst_limit + api.throttling_burst_limit + (receiver?.throttling_burst_limit ?? 0),
    ).toBeLessThanOrEqual(ACCOUNT_API_THROTTLE.burstLimit);
  });
});

describe.each(synthesized.filter(([stage]) => stage === 'prod'))(
  'prod (%s): a web application firewall in front',
  (_stage, kind, { stateless }) => {
    const acls = resourceList(stateless, Wafv2WebAcl.tfResourceType);
    const associations = resourceList(stateless, Wafv2WebAclAssociation.tfResourceType);
    const stageRef = (api: string) => {
      const name = nameOf(stateless, ApiGatewayStage.tfResourceType, (s) =>
        String(s.rest_api_id).includes(`${api}_rest-api`),
      );
      return `\${aws_api_gateway_stage.${name}.arn}`;
    };
    const aclOf = (api: string) => {
      const association = associations.find((a) => a.resource_arn === stageRef(api));
      const aclName = String(association?.web_acl_arn).replace(
        /^\$\{aws_wafv2_web_acl\.([^.]+)\.arn\}$/,
        '$1',
      );
      return resources(stateless, Wafv2WebAcl.tfResourceType)[aclName];
    };

    it('attaches a regional web ACL with a per-address rate-based rule to the ingest stage', () => {
      const acl = aclOf('ingest-api');
      expect(acl).toMatchObject({ scope: 'REGIONAL', default_action: { allow: {} } });
      const rules = acl?.rule as {
        action: unknown;
        statement: { rate_based_statement: Record<string, unknown> };
      }[];
      expect(rules).toContainEqual(
        expect.objectContaining({
          action: { block: {} },
          statement: {
            rate_based_statement: expect.objectContaining({
              aggregate_key_type: 'IP',
              limit: stageSettings('prod').webAcl?.ingestPerAddress,
            }),
          },
        }),
      );
    });

    it(
      kind === 'rest'
        ? 'attaches one to the REST API stage too'
        : 'attaches none to the HTTP API, which WAF cannot protect',
      () => {
        if (kind === 'rest') {
          const acl = aclOf('api');
          const rules = acl?.rule as { statement: { rate_based_statement: Record<string, unknown> } }[];
          expect(rules?.[0]?.statement.rate_based_statement).toMatchObject({
            aggregate_key_type: 'IP',
            limit: stageSettings('prod').webAcl?.apiPerAddress,
          });
          expect(associations).toHaveLength(2);
        } else {
          expect(associations).toHaveLength(1);
          expect(JSON.stringify(associations)).not.toContain('apigatewayv2');
        }
        expect(acls).toHaveLength(associations.length);
      },
    );
  },
);

describe('dev', () => {
  it('has no web ACL: it costs a fixed $6 a month each, for traffic dev does not get', () => {
    const dev = synthesized.find(([stage, kind]) => stage === 'dev' && kind === 'rest')?.[2].stateless;
    if (!dev) throw new Error('no dev');
    expect(resourceList(dev, Wafv2WebAcl.tfResourceType)).toEqual([]);
  });
});
