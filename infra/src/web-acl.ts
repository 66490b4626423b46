import { Wafv2WebAcl } from '@cdktn/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktn/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from 'constructs';

/** WAF counts a rate-based rule's requests over this window (its default, five minutes). */
export const WAF_WINDOW_SECONDS = 300;

export interface RateLimitedWebAclProps {
  /** The web ACL's name, also its metrics' name. */
  readonly name: string;
  /** The REST API stage it protects (`aws_api_gateway_stage.arn`): WAF cannot attach to an HTTP API. */
  readonly stageArn: string;
  /** Requests one client address may make per five minutes before WAF answers it 403. */
  readonly limitPerAddress: number;
}

/**
 * A regional WAF web ACL attached to one REST API stage: every request is allowed except from
 * an address that sent more than `limitPerAddress` in the last five minutes, which is blocked
 * until it slows down. The stage's own throttle caps everyone together; this keeps one
 * address from taking all of it.
 */
export class RateLimitedWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: RateLimitedWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      name: props.name,
      description: `Per-address rate limit in front of ${props.name}`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [
        {
          name: 'rate-per-address',
          priority: 0,
          action: { block: {} },
          statement: {
            rate_based_statement: {
              limit: props.limitPerAddress,
              aggregate_key_type: 'IP',
              evaluation_window_sec: WAF_WINDOW_SECONDS,
            },
          },
          visibilityConfig: visibility(`${props.name}-rate-per-address`),
        },
      ],
      visibilityConfig: visibility(props.name),
    });
    new Wafv2WebAclAssociation(this, 'association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.arn,
    });
  }
}
