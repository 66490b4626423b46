import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DeliveryLanes, resourceName } from '@hookrelay/definitions';
import {
  accessStatements,
  FUNCTION_ACCESS,
  type FunctionAccess,
  type PolicyStatement,
  SERVICES,
  type ServiceName,
} from '@hookrelay/definitions/access';
import { consumedUnits, type UsageMeter } from '../usage-meter.js';
import { allows } from './policy.js';
import { PRINCIPAL_HEADER } from './principal.js';
import {
  dynamoDbPermissions,
  type EngineRequest,
  eventBridgePermissions,
  inputOf,
  LOCAL_AWS,
  type Permission,
  sqsOrS3Permissions,
} from './requests.js';

/** The engines a front can stand before, each with the protocol its calls are read in. */
export type EngineKind = 'dynamodb' | 'sqs' | 'eventbridge';

interface IamFrontOptions {
  readonly kind: EngineKind;
  /** The engine's endpoint, e.g. `http://127.0.0.1:8000`. */
  readonly target: string;
  readonly stage: string;
  readonly archiveBucket: string;
  /** What each function may do; the platform's declaration unless a test takes a grant away. */
  readonly access?: Readonly<Record<ServiceName, FunctionAccess>>;
  /** With one delivery lane the slow queue's grants are on the main queue, as infra writes them. */
  readonly deliveryLanes?: DeliveryLanes;
  /** Where the functions' calls are counted as AWS bills them (capacity units, SQS requests). */
  readonly meter?: UsageMeter;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface IamFront {
  /** Where functions call instead of the engine. */
  readonly endpoint: string;
  /** Every call refused so far, oldest first. */
  readonly denials: readonly Denial[];
  /** SQS messages the functions have sent through this front (a batch counts its entries). */
  messagesSent(): number;
  /** The calls functions made through this front so far, by function and operation (`worker UpdateItem`). */
  calls(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export interface Denial extends Permission {
  readonly function: ServiceName;
}

const PERMISSIONS: Readonly<Record<EngineKind, (r: EngineRequest) => Permission[]>> = {
  dynamodb: dynamoDbPermissions,
  sqs: sqsOrS3Permissions,
  eventbridge: eventBridgePermissions,
};

/**
 * The port each front listened on, by engine and stage. A platform restarted in the same
 * process finds its functions' modules already loaded, their clients bound to the endpoints
 * of the first start: the front comes back where they look for it.
 */
const portsUsed = new Map<string, number>();

/** AWS's words for a refusal by identity-based policy. */
const deniedMessage = (service: ServiceName, stage: string, denied: Permission): string => {
  const role = `${resourceName(service, stage)}-${LOCAL_AWS.region}`;
  return (
    `User: arn:${LOCAL_AWS.partition}:sts::${LOCAL_AWS.accountId}:assumed-role/${role}/${resourceName(service, stage)} ` +
    `is not authorized to perform: ${denied.action} on resource: ${denied.resource} ` +
    `because no identity-based policy allows the ${denied.action} action`
  );
};

/** The refusal as each service answers it, so that the SDK raises the error AWS's would. */
const refuse = (kind: EngineKind, res: ServerResponse, message: string, isS3: boolean): void => {
  const requestId = randomUUID();
  if (isS3) {
    res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
    const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escaped}</Message><RequestId>${requestId}</RequestId></Error>`,
    );
    return;
  }
  if (kind === 'sqs') {
    // SQS's JSON protocol keeps the query protocol's error codes in a header of their own.
    res.writeHead(403, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': 'AccessDenied;Sender',
    });
    res.end(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }));
    return;
  }
  if (kind === 'dynamodb') {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId });
    res.end(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message }));
    return;
  }
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
  res.end(JSON.stringify({ __type: 'AccessDeniedException', message }));
};

/**
 * A DynamoDB call's body asking for the capacity it consumes, as the bench's meter asks for it,
 * unless it asks already. The answer then says it too; the SDK reads what it did not ask for as
 * any other field. The field goes in as text, first in the object: the call is not parsed and
 * written again.
 */
export const askForCapacity = (body: Buffer, input: Record<string, unknown>): Buffer => {
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') return body;
  const text = body.toString('utf8').trimStart();
  if (!text.startsWith('{')) return body;
  if (input.ReturnConsumedCapacity === 'NONE') {
    return Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
  }
  const rest = text.slice(1).trimStart();
  return Buffer.from(`{"ReturnConsumedCapacity":"TOTAL"${rest.startsWith('}') ? '' : ','}${rest}`);
};

/**
 * The capacity units a DynamoDB answer reports (`ConsumedCapacity` with `TOTAL`: one entry, or one
 * per table), read off its text: a number after `"CapacityUnits":` is one only there (an item's attributes
 * are typed objects, `{"N": "1"}`, never bare numbers), and the answer, a page of items at
 * times, is not parsed for it.
 */
export const consumedUnitsIn = (answer: string): number => {
  let units = 0;
  for (const match of answer.matchAll(/"CapacityUnits":\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)/g)) {
    units += Number(match[1]);
  }
  return units;
};

/**
 * IAM, locally: a front before one engine that checks each call a function makes against
 * that function's statements, the very statements infra writes into its role's policy
 * (`accessStatements`), and refuses what they do not allow as AWS would:
 * `AccessDeniedException` from DynamoDB and EventBridge, `AccessDenied` from SQS and S3, with
 * the action and the resource named; each refusal is logged. Calls that carry no function's
 * name (the platform's own provisioning, an operator's tool, a test's assertions) pass, as
 * an administrator's would.
 */
export const startIamFront = async (options: IamFrontOptions): Promise<IamFront> => {
  const access = options.access ?? FUNCTION_ACCESS;
  const statements = new Map<ServiceName, readonly PolicyStatement[]>(
    SERVICES.map((service) => [
      service,
      accessStatements(access[service], {
        aws: LOCAL_AWS,
        stage: options.stage,
        archiveBucket: options.archiveBucket,
        ...(options.deliveryLanes ? { deliveryLanes: options.deliveryLanes } : {}),
      }),
    ]),
  );
  const target = new URL(options.target);
  // Long polls hold a connection each for up to 20 s: no cap beyond the engine's own.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const denials: Denial[] = [];
  let sent = 0;
  /** Calls checked, by function and operation (`worker UpdateItem`). */
  const calls = new Map<string, number>();

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    onAnswer?: (answer: Buffer) => void,
  ) => {
    const headers = { ...req.headers };
    delete headers[PRINCIPAL_HEADER];
    // A body the front rewrote (`askForCapacity`) has a length of its own.
    if (headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (onAnswer) {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => onAnswer(Buffer.concat(chunks)));
        }
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    // A caller that gives up (an aborted long poll) ends the engine's request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const principal = req.headers[PRINCIPAL_HEADER];
      const service = typeof principal === 'string' ? (principal as ServiceName) : undefined;
      if (service) {
        const engineRequest: EngineRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body,
        };
        const needed = PERMISSIONS[options.kind](engineRequest);
        const own = statements.get(service) ?? [];
        const denied = needed.find((permission) => !allows(own, permission));
        if (denied) {
          denials.push({ function: service, ...denied });
          options.onLog?.({
            service: 'iam',
            level: 'ERROR',
            message: 'AccessDenied',
            function: service,
            action: denied.action,
            resource: denied.resource,
          });
          const isS3 = options.kind === 'sqs' && !needed.some((p) => p.action.startsWith('sqs:'));
          refuse(options.kind, res, deniedMessage(service, options.stage, denied), isS3);
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.slice(target.indexOf('.') + 1) || `${req.method} ${options.kind}`;
        const call = `${service} ${operation}`;
        calls.set(call, (calls.get(call) ?? 0) + 1);
        if (target === 'AmazonSQS.SendMessage') sent += 1;
        if (target === 'AmazonSQS.SendMessageBatch') {
          const entries = inputOf(engineRequest).Entries;
          sent += Array.isArray(entries) ? entries.length : 0;
        }
        const meter = options.meter;
        if (meter && target.startsWith('AmazonSQS.')) meter.sqs(body.length);
        if (meter && options.kind === 'dynamodb' && target.startsWith('DynamoDB_')) {
          const input = inputOf(engineRequest);
          const metered = askForCapacity(body, input);
          // An answer with each index's units beside the table's total is read whole.
          const units =
            input.ReturnConsumedCapacity === 'INDEXES'
              ? (answer: string) => consumedUnits(JSON.parse(answer))
              : consumedUnitsIn;
          forward(req, res, metered, (answer) => {
            try {
              meter.dynamodb(operation, units(answer.toString('utf8')));
            } catch {
              // not JSON: nothing consumed to count
            }
          });
          return;
        }
      }
      forward(req, res, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  const portKey = `${options.kind} ${options.target} ${options.stage}`;
  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(portsUsed.get(portKey) ?? 0).catch(() => listen(0));
  const { port } = server.address() as AddressInfo;
  portsUsed.set(portKey, port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    denials,
    messagesSent: () => sent,
    calls: () => Object.fromEntries(calls),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};

export interface IamFronts {
  /** The endpoints functions are configured with: each engine's front. */
  readonly dynamodb: string;
  readonly sqs: string;
  readonly eventbridge?: string;
  /**
   * A queue's URL on the front. The SDK sends an SQS call to its queue URL's host, whatever the
   * client's endpoint, so functions get queue URLs on the front, as on AWS a queue's URL is
   * SQS's own endpoint.
   */
  viaFront(queueUrl: string): string;
  /** Every call refused so far, oldest first. */
  denials(): readonly Denial[];
  /** SQS messages the functions have sent (a batch counts its entries). */
  messagesSent(): number;
  /** The calls functions made through the fronts so far, by function and operation. */
  calls(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** A front before each engine a stage's functions call: DynamoDB, SQS and S3, the bus if there is one. */
export const startIamFronts = async (options: {
  readonly engines: { readonly dynamodb: string; readonly sqs: string; readonly eventbridge?: string };
  readonly stage: string;
  readonly archiveBucket: string;
  readonly access?: Readonly<Record<ServiceName, FunctionAccess>>;
  readonly deliveryLanes?: DeliveryLanes;
  readonly meter?: UsageMeter;
  readonly onLog?: (entry: Record<string, unknown>) => void;
}): Promise<IamFronts> => {
  const { engines, ...common } = options;
  const start = (kind: EngineKind, target: string) => startIamFront({ kind, target, ...common });
  const [dynamodb, sqs, eventbridge] = await Promise.all([
    start('dynamodb', engines.dynamodb),
    start('sqs', engines.sqs),
    engines.eventbridge ? start('eventbridge', engines.eventbridge) : undefined,
  ]);
  const fronts = [dynamodb, sqs, ...(eventbridge ? [eventbridge] : [])];
  return {
    dynamodb: dynamodb.endpoint,
    sqs: sqs.endpoint,
    ...(eventbridge ? { eventbridge: eventbridge.endpoint } : {}),
    viaFront: (queueUrl) => `${sqs.endpoint}${new URL(queueUrl).pathname}`,
    denials: () => fronts.flatMap((f) => f.denials),
    messagesSent: () => sqs.messagesSent(),
    calls: () => {
      const all: Record<string, number> = {};
      for (const front of fronts) {
        for (const [call, n] of Object.entries(front.calls())) all[call] = (all[call] ?? 0) + n;
      }
      return all;
    },
    close: async () => {
      await Promise.all(fronts.map((f) => f.close()));
    },
  };
};
