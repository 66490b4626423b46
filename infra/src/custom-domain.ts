import { AcmCertificate } from '@cdktn/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktn/provider-aws/lib/acm-certificate-validation';
import { ApiGatewayBasePathMapping } from '@cdktn/provider-aws/lib/api-gateway-base-path-mapping';
import { ApiGatewayDomainName } from '@cdktn/provider-aws/lib/api-gateway-domain-name';
import { Apigatewayv2ApiMapping } from '@cdktn/provider-aws/lib/apigatewayv2-api-mapping';
import { Route53Record } from '@cdktn/provider-aws/lib/route53-record';
import {
  Fn,
  Op,
  propertyAccess,
  ref,
  type TerraformResource,
  TerraformStack,
  type TerraformVariable,
  Token,
} from 'cdktn';
import { Construct } from 'constructs';
import type { ApiMappingTarget } from './platform-api.js';

export interface CustomDomainProps {
  /** The domain name, e.g. `api.example.com`; empty (the default) means no custom domain. */
  readonly domainName: TerraformVariable;
  /** The Route 53 hosted zone that holds the domain: validation and alias records go there. */
  readonly zoneId: TerraformVariable;
  /** The API stage the domain serves, REST or HTTP API. */
  readonly api: ApiMappingTarget;
}

/** `aws_x.name[0].attribute`: how a resource created with `count` is referred to. */
const first = (resource: TerraformResource, attribute: string) =>
  ref(
    `${resource.terraformResourceType}.${resource.friendlyUniqueId}[0].${attribute}`,
    TerraformStack.of(resource),
  );

/**
 * An optional custom domain for a REST API or an HTTP API: an ACM certificate validated through
 * DNS, the API Gateway domain name (regional, TLS 1.2; REST and HTTP APIs share domain names),
 * the mapping to the stage (a base path mapping for REST, an API mapping for HTTP) and the
 * alias record.
 * Every resource has `count = domain == "" ? 0 : 1`, so a stage without a domain plans nothing.
 */
export class CustomDomain extends Construct {
  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const domain = props.domainName.stringValue;
    const zone = props.zoneId.stringValue;
    const count = Token.asNumber(Fn.conditional(Op.eq(domain, ''), 0, 1));

    const certificate = new AcmCertificate(this, 'certificate', {
      count,
      domainName: domain,
      validationMethod: 'DNS',
      // A renewed certificate is in place before the old one goes.
      lifecycle: {
        createBeforeDestroy: true,
        precondition: [
          {
            condition: Op.neq(zone, ''),
            errorMessage: 'A custom domain needs the Route 53 hosted zone that holds it (domain_zone_id).',
          },
        ],
      },
    });
    const validationOption = (attribute: string) =>
      Token.asString(
        propertyAccess(Fn.tolist(Token.asList(first(certificate, 'domain_validation_options'))), [
          0,
          attribute,
        ]),
      );
    const validationRecord = new Route53Record(this, 'validation-record', {
      count,
      zoneId: zone,
      name: validationOption('resource_record_name'),
      type: validationOption('resource_record_type'),
      records: [validationOption('resource_record_value')],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'validation', {
      count,
      certificateArn: Token.asString(first(certificate, 'arn')),
      validationRecordFqdns: [Token.asString(first(validationRecord, 'fqdn'))],
    });
    const domainName = new ApiGatewayDomainName(this, 'domain', {
      count,
      domainName: domain,
      regionalCertificateArn: Token.asString(first(validation, 'certificate_arn')),
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
    });
    const mappedDomain = Token.asString(first(domainName, 'domain_name'));
    if (props.api.kind === 'rest') {
      new ApiGatewayBasePathMapping(this, 'mapping', {
        count,
        apiId: props.api.restApiId,
        stageName: props.api.stageName,
        domainName: mappedDomain,
      });
    } else {
      new Apigatewayv2ApiMapping(this, 'api-mapping', {
        count,
        apiId: props.api.apiId,
        stage: props.api.stageName,
        domainName: mappedDomain,
      });
    }
    new Route53Record(this, 'alias', {
      count,
      zoneId: zone,
      name: domain,
      type: 'A',
      alias: {
        name: Token.asString(first(domainName, 'regional_domain_name')),
        zoneId: Token.asString(first(domainName, 'regional_zone_id')),
        evaluateTargetHealth: false,
      },
    });
  }
}
