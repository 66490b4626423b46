import { Logger } from '@aws-lambda-powertools/logger';
import { routeIndex } from '@hookrelay/api/routes';
import type { App } from 'cdktn';
import type { HookrelayStackProps } from './hookrelay-stack.js';
import type { BundleDirs } from './lambda-bundles.js';
import type { ApiRoute } from './platform-api.js';
import type { ApiGatewayKind, InboundArchiveMode, MonitoringKind } from './stage.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

/**
 * The API's routes, read from the route table the API itself dispatches with, so the gateway
 * declares exactly the routes the function serves. Building the table creates no client.
 */
export const apiRoutes = (): ApiRoute[] => routeIndex(new Logger({ logLevel: 'SILENT' }));

/**
 * App context for every synth, tests included: asset hashes from sorted paths and contents
 * only (the same on every machine), no construct outside a stack, and the Terraform versions
 * the stacks need (S3 lock files arrived in 1.10).
 */
export const APP_CONTEXT = {
  canonicalAssetHashes: 'true',
  failOnConstructsOutsideOfStacks: 'true',
  targetVersions: { terraform: '>=1.10.0', opentofu: '>=1.10.0' },
} as const;

export interface PlatformOptions extends HookrelayStackProps {
  readonly bundles: BundleDirs;
  /** Whether the reference receiver is deployed (`DeployTarget.deployReceiver`). */
  readonly deployReceiver: boolean;
  /** The tenant API's front door (`DeployTarget.apiGateway`); the stage's setting when absent. */
  readonly apiGateway?: ApiGatewayKind;
  /** Alarms and dashboard (`DeployTarget.monitoring`); the stage's setting when absent. */
  readonly monitoring?: MonitoringKind;
  /** When inbound bodies are archived (`DeployTarget.inboundArchive`); the stage's setting when absent. */
  readonly inboundArchive?: InboundArchiveMode;
  readonly routes?: readonly ApiRoute[];
}

/**
 * Both stacks of one stage. They share nothing but names, so either can be planned on its
 * own; the stateful one is applied first (its tables and queues must exist when the worker's
 * event source mapping is created) and destroyed last.
 */
export const buildPlatform = (app: App, options: PlatformOptions) => {
  const { bundles, routes, deployReceiver, apiGateway, monitoring, inboundArchive, ...stackProps } = options;
  const stateful = new StatefulStack(app, { ...stackProps, deployReceiver });
  const stateless = new StatelessStack(app, {
    ...stackProps,
    bundles,
    deployReceiver,
    ...(apiGateway ? { apiGateway } : {}),
    ...(monitoring ? { monitoring } : {}),
    ...(inboundArchive ? { inboundArchive } : {}),
    routes: routes ?? apiRoutes(),
  });
  stateless.addDependency(stateful);
  return { stateful, stateless };
};
