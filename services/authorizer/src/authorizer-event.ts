import type { APIGatewayRequestAuthorizerEventV2, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

/**
 * What either front door hands the authorizer: the REST API's TOKEN event, or the HTTP API's
 * REQUEST event (payload format 2.0) whose identity source is the Authorization header. Both
 * get the same IAM policy answer.
 */
export type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;

/**
 * The Authorization header's value and the ARN of what is being called, from either event.
 *
 * @example
 * credentialsOf({ type: 'TOKEN', authorizationToken: 'Bearer k', methodArn: 'arn:...' }).token // 'Bearer k'
 */
export const credentialsOf = (event: AuthorizerEvent): { token: string | undefined; arn: string } =>
  event.type === 'TOKEN'
    ? { token: event.authorizationToken, arn: event.methodArn }
    : { token: event.identitySource?.[0] ?? event.headers?.authorization, arn: event.routeArn };
