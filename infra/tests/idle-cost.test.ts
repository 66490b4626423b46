import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { IDLE_POLLERS, idleCost } from '../src/idle-cost.js';
import { synthPlatform } from './support/synth.js';

const prices = JSON.parse(
  readFileSync(new URL('../../bench/prices-us-east-1.json', import.meta.url), 'utf8'),
);
const benchmarks = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8');

describe('idle cost of a stage', () => {
  const prod = idleCost(synthPlatform('prod').stateless.json.resource, prices);
  const dev = idleCost(synthPlatform('dev').stateless.json.resource, prices);

  it('counts every metric the alarms evaluate, one dashboard, a sweep a minute and the idle polls', () => {
    expect(prod.dashboards).toBe(1);
    expect(prod.sweepsPerMonth).toBe(43_200);
    // Four event source mappings (the main and the slow lane, the ordered line and the inbound
    // FIFO queue), each long-polling its queue; the FIFO queues' polls are billed at the FIFO price.
    expect(prod.pollRequestsPerMonth).toBe(4 * IDLE_POLLERS * 129_600);
    expect(prod.fifoPollRequestsPerMonth).toBe(2 * IDLE_POLLERS * 129_600);
    expect(prod.usd.polls).toBeCloseTo((2 * 0.4 + 2 * 0.5) * IDLE_POLLERS * 0.1296, 2);
    // 16 single-metric alarms (the ordered line's DLQ, oldest message and in-flight count among them), two rates of two metrics each, DynamoDB throttles over 5 tables
    // (prod has no receiver, so no receiver table); the inbound path's 5 function, 3 queue and
    // 7 provider-queue alarms, the ingest 5xx rate over two metrics, the bus rules' failed and
    // dead-lettered invocations over 7 rules each.
    expect(prod.alarmMetrics).toBe(16 + 2 * 2 + 2 * 5 + (5 + 3 + 7) + 2 + 2 * 7);
    expect(prod.usd.total).toBeCloseTo(
      prod.usd.alarms + prod.usd.dashboard + prod.usd.sweeper + prod.usd.polls,
      1,
    );
  });

  it('is the figure docs/benchmarks.md gives, for prod and for dev', () => {
    expect(benchmarks).toContain(
      `| **total** | **$${prod.usd.total.toFixed(2)}** | **$${dev.usd.total.toFixed(2)}** |`,
    );
    expect(benchmarks).toContain(`| alarms (${prod.alarmMetrics} alarm metrics`);
  });
});
