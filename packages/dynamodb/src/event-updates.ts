import {
  type Delivery,
  type DeliveryUpdate,
  type EventStatus,
  eventStatusOf,
  type StoredEvent,
} from '@hookrelay/domain';
import { fromDelivery, type Item, type StoredDelivery, statusIndexPk } from './event-item.js';
import { eventShard, eventsByStatusPk, sweepPkOf } from './keys/data-table.js';

// The update expressions of an event's outcomes: pure functions from what changes to the
// request's expression parts, so each can be read (and tested) apart from the store.

/** The expression parts of one UpdateItem. */
interface UpdateParts {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Item;
}

/** Collects `SET` and `REMOVE` clauses with their names and values. */
class Expression {
  readonly sets: string[] = [];
  readonly removes: string[] = [];
  constructor(
    readonly names: Record<string, string>,
    readonly values: Item,
  ) {}

  /** `SET attribute = :value`, or `REMOVE attribute` when the value is undefined. */
  setOrRemove(attribute: string, placeholder: string, value: unknown): void {
    if (value === undefined) this.removes.push(attribute);
    else {
      this.sets.push(`${attribute} = ${placeholder}`);
      this.values[placeholder] = value;
    }
  }

  parts(condition: string): UpdateParts {
    return {
      UpdateExpression: `SET ${this.sets.join(', ')}${this.removes.length ? ` REMOVE ${this.removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: this.names,
      ExpressionAttributeValues: this.values,
    };
  }
}

/** The status index entry the event's status calls for: set, or removed for DELIVERED. */
const indexFor = (expression: Expression, tenantId: string, eventId: string, status: EventStatus): void =>
  expression.setOrRemove('gsi2pk', ':gsi2pk', statusIndexPk(tenantId, status, eventId));

/**
 * Whether a claim of `webhookId`'s outcome settles the event in the same write: the event was
 * read (`seen`), the outcome is final and every other delivery already is.
 */
export const claimSettles = (
  webhookId: string,
  update: DeliveryUpdate,
  seen?: StoredEvent,
): seen is StoredEvent =>
  seen !== undefined &&
  update.status !== 'PENDING' &&
  Object.values(seen.deliveries).every((d) => d.webhook_id === webhookId || d.status !== 'PENDING');

/**
 * Records attempt `update.attempt_count` of a PENDING delivery that has made one fewer. With
 * `seen` given and `claimSettles`, the event's status is set in the same write as long as nothing
 * else touched the event since `seen` was read; else the event keeps a sweep mark and stays
 * PENDING, listed through the status index, until `settle`.
 */
export const claimUpdate = (
  event: { tenantId: string; eventId: string; webhookId: string },
  update: DeliveryUpdate,
  sweepGraceMs: number,
  seen?: StoredEvent,
): UpdateParts => {
  const { tenantId, eventId, webhookId } = event;
  const expression = new Expression(
    {
      '#d': 'd',
      '#w': webhookId,
      '#s': 's',
      '#n': 'n',
      '#r': 'r',
      '#u': 'u',
      '#t': 't',
      '#x': 'x',
      '#c': 'c',
      '#e': 'e',
    },
    {
      ':status': update.status,
      ':n': update.attempt_count,
      ':prev': update.attempt_count - 1,
      ':r': update.round_attempts,
      ':at': update.at,
      ':none': [],
      ':attempted': [update.at],
      ':pending': 'PENDING',
    },
  );
  expression.sets.push(
    '#d.#w.#s = :status',
    '#d.#w.#n = :n',
    '#d.#w.#r = :r',
    '#d.#w.#u = :at',
    // The attempt's time is its item's key: the event finds its attempts through it.
    '#d.#w.#t = list_append(if_not_exists(#d.#w.#t, :none), :attempted)',
    '#u = :at',
  );
  expression.setOrRemove('#d.#w.#x', ':x', update.next_attempt_at);
  expression.setOrRemove('#d.#w.#c', ':c', update.last_status_code);
  expression.setOrRemove('#d.#w.#e', ':e', update.last_error);
  let condition = '#d.#w.#s = :pending AND #d.#w.#n = :prev';
  if (claimSettles(webhookId, update, seen)) {
    const others = Object.values(seen.deliveries).filter((d) => d.webhook_id !== webhookId);
    const status = eventStatusOf([...others, { status: update.status }]);
    expression.sets.push('#st = :es');
    expression.removes.push('sweep_pk', 'sweep_at');
    expression.names['#st'] = 'st';
    expression.values[':es'] = status;
    indexFor(expression, tenantId, eventId, status);
    expression.values[':seen'] = seen.updated_at;
    condition += ' AND #u = :seen';
  } else {
    // A terminal delivery keeps a sweep mark until `settle` has set the event's status. The
    // event stays PENDING and, having been attempted, is listed through the status index.
    const nextMs = Date.parse(update.next_attempt_at ? update.next_attempt_at : update.at);
    expression.sets.push('sweep_at = :sweep', 'sweep_pk = :sweepPk', 'gsi2pk = :gsi2pk');
    expression.values[':sweep'] = nextMs + sweepGraceMs;
    expression.values[':sweepPk'] = sweepPkOf(eventId);
    expression.values[':gsi2pk'] = eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId));
  }
  return expression.parts(condition);
};

/**
 * Holds while the event is PENDING, and puts it into the status index's PENDING partition (with
 * the other `values` the update uses): a settled event is left as it is.
 */
export const whilePending = (tenantId: string, eventId: string, values: Item = {}) => ({
  ConditionExpression: '#status = :pending',
  ExpressionAttributeNames: { '#status': 'st' },
  ExpressionAttributeValues: {
    ':pending': 'PENDING',
    ...values,
    ':gsi2pk': eventsByStatusPk(tenantId, 'PENDING', eventShard(eventId)),
  },
});

/** When the sweeper should look at an event with these deliveries: none when none is PENDING. */
export const sweepAtOf = (deliveries: readonly Delivery[], now: string, sweepGraceMs: number) => {
  const pending = deliveries.filter((d) => d.status === 'PENDING');
  return pending.length
    ? Math.min(...pending.map((d) => Date.parse(d.next_attempt_at ?? now))) + sweepGraceMs
    : undefined;
};

/**
 * Rewrites the event's deliveries and sets the status, status index entry and sweep mark they
 * call for, under the condition that the event is still as `before` was read.
 */
export const transitionUpdate = (
  tenantId: string,
  before: StoredEvent,
  after: { deliveries: Record<string, Delivery>; stored: Record<string, StoredDelivery>; now: string },
  sweepAt: number | undefined,
): UpdateParts => {
  const { deliveries, stored, now } = after;
  const status = eventStatusOf(Object.values(deliveries));
  const expression = new Expression(
    { '#st': 'st', '#d': 'd', '#u': 'u' },
    {
      ':status': status,
      ':old': before.status,
      ':at': now,
      ':deliveries': Object.fromEntries(
        Object.values(deliveries).map((d) => [d.webhook_id, fromDelivery(d, stored[d.webhook_id]?.t)]),
      ),
      ':updated': before.updated_at,
    },
  );
  expression.sets.push('#st = :status', '#u = :at', '#d = :deliveries');
  indexFor(expression, tenantId, before.event_id, status);
  if (sweepAt === undefined) expression.removes.push('sweep_pk', 'sweep_at');
  else {
    expression.sets.push('sweep_pk = :sweepPk', 'sweep_at = :sweepAt');
    expression.values[':sweepPk'] = sweepPkOf(before.event_id);
    expression.values[':sweepAt'] = sweepAt;
  }
  return expression.parts('#st = :old AND #u = :updated');
};
