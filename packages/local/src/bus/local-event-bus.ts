import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type EventPattern, matchesPattern } from '@hookrelay/event-patterns';
import { listenOnLoopback } from '../loopback-server.js';

interface BusRule {
  readonly name: string;
  readonly pattern: EventPattern;
  /** The SQS queue the rule's target delivers matching events to. */
  readonly queueUrl: string;
}

interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

interface LocalEventBusOptions {
  readonly busName: string;
  readonly port: number;
  readonly sqs: SQSClient;
  readonly rules: readonly BusRule[];
  readonly onLog?: (entry: Record<string, unknown>) => void;
}

export interface LocalEventBus {
  readonly endpoint: string;
  /** Every event accepted, in the order PutEvents calls arrived (what an archive would hold). */
  readonly events: readonly (BusEvent & { readonly receivedAt: number })[];
  /** Every entry PutEvents was called with, refused or not, in call order. */
  readonly calls: readonly { readonly source: string; readonly detail: unknown; readonly failed: boolean }[];
  /**
   * Refuses the next `times` entries that match (as an outage of the bus would), so tests can
   * see what a failed PutEvents does to the processing order.
   */
  failWhen(match: (event: BusEvent) => boolean, times?: number): void;
  close(): Promise<void>;
}

interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  readonly Time?: number | string;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const MAX_ENTRY_BYTES = 256 * 1024;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
};

const clientError = (res: ServerResponse, type: string, message: string) =>
  send(res, 400, { __type: type, message });

/** The reason an entry is refused, as PutEvents reports it per entry, or undefined. */
const entryError = (entry: PutEventsEntry, busName: string): [string, string] | undefined => {
  if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
    return ['InvalidArgument', 'Parameters Source, DetailType and Detail are required.'];
  }
  const bus = entry.EventBusName ?? 'default';
  if (bus !== busName && !bus.endsWith(`:event-bus/${busName}`)) {
    return ['ResourceNotFoundException', `Event bus ${bus} does not exist.`];
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return ['MalformedDetail', 'Detail is malformed.'];
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
    return ['MalformedDetail', 'Detail must be a JSON object.'];
  }
  if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
    return ['InvalidArgument', 'The entry is larger than 256 KB.'];
  }
  return undefined;
};

const timeOf = (time: PutEventsEntry['Time']): string => {
  if (time === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ms = typeof time === 'number' ? time * 1000 : Date.parse(time);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/**
 * A custom EventBridge bus on loopback: it answers the `AWSEvents.PutEvents` call of the AWS
 * JSON 1.1 protocol the SDK speaks (point `AWS_ENDPOINT_URL_EVENTBRIDGE` at it), matches each
 * event against the rules with EventBridge's pattern syntax and sends it, as the EventBridge
 * envelope, to each matching rule's SQS queue.
 */
export const startLocalEventBus = async (options: LocalEventBusOptions): Promise<LocalEventBus> => {
  const events: (BusEvent & { receivedAt: number })[] = [];
  const calls: { source: string; detail: unknown; failed: boolean }[] = [];
  const faults: { match: (event: BusEvent) => boolean; left: number }[] = [];

  const putEvents = async (entries: readonly PutEventsEntry[]) => {
    const results: Record<string, string>[] = [];
    let failed = 0;
    for (const entry of entries) {
      const error = entryError(entry, options.busName);
      if (error) {
        failed++;
        results.push({ ErrorCode: error[0], ErrorMessage: error[1] });
        continue;
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType ?? '',
        source: entry.Source ?? '',
        account: ACCOUNT,
        time: timeOf(entry.Time),
        region: REGION,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail ?? '{}'),
      };
      const fault = faults.find((f) => f.left > 0 && f.match(event));
      calls.push({ source: event.source, detail: event.detail, failed: fault !== undefined });
      if (fault) {
        fault.left--;
        failed++;
        results.push({ ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure.' });
        continue;
      }
      try {
        for (const rule of options.rules) {
          if (!matchesPattern(rule.pattern, event)) continue;
          await options.sqs.send(
            new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: JSON.stringify(event) }),
          );
        }
      } catch (error) {
        options.onLog?.({ level: 'ERROR', message: 'rule target failed', error: String(error) });
        failed++;
        results.push({ ErrorCode: 'InternalFailure', ErrorMessage: 'A rule target could not be reached.' });
        continue;
      }
      events.push({ ...event, receivedAt: Date.now() });
      results.push({ EventId: event.id });
    }
    return { FailedEntryCount: failed, Entries: results };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith('AWSEvents.')) {
      return clientError(
        res,
        'UnknownOperationException',
        'Only the EventBridge JSON 1.1 protocol is spoken here.',
      );
    }
    if (target !== 'AWSEvents.PutEvents') {
      return clientError(res, 'UnknownOperationException', `${target.slice(10)} is not supported locally.`);
    }
    let input: { Entries?: PutEventsEntry[] };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] };
    } catch {
      return clientError(res, 'SerializationException', 'The request body is not JSON.');
    }
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      return clientError(res, 'ValidationException', 'Entries must hold 1 to 10 entries.');
    }
    send(res, 200, await putEvents(entries));
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      options.onLog?.({ level: 'ERROR', message: 'event bus failure', error: String(error) });
      if (!res.headersSent) send(res, 500, { __type: 'InternalException', message: 'The bus failed.' });
    });
  });
  const { url, close } = await listenOnLoopback(server, options.port);
  return {
    endpoint: url,
    events,
    calls,
    failWhen: (match, times = 1) => {
      faults.push({ match, left: times });
    },
    close,
  };
};
