import type { Delivery, DeliveryStatus, EventStatus } from './models.js';

const ALLOWED: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  PENDING: ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'],
  FAILED: ['PENDING'],
  DELIVERED: [],
  CANCELLED: [],
};

/** Whether a delivery may move from one status to another (a FAILED one only back to PENDING). */
export const canTransition = (from: DeliveryStatus, to: DeliveryStatus): boolean =>
  ALLOWED[from].includes(to);

export const isTerminal = (status: DeliveryStatus): boolean => status !== 'PENDING';

/**
 * An event's status from its deliveries: PENDING while any is; otherwise FAILED if any
 * failed, CANCELLED if all were cancelled, else DELIVERED (an event that matched no
 * webhook has nothing left to do and is DELIVERED).
 */
export const eventStatusOf = (deliveries: readonly Pick<Delivery, 'status'>[]): EventStatus => {
  if (deliveries.some((d) => d.status === 'PENDING')) return 'PENDING';
  if (deliveries.some((d) => d.status === 'FAILED')) return 'FAILED';
  if (deliveries.length > 0 && deliveries.every((d) => d.status === 'CANCELLED')) return 'CANCELLED';
  return 'DELIVERED';
};
