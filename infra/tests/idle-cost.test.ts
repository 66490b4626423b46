import { readFileSync } from 'node:fs';
import { SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';
import { describe, expect, it } from '@jest/globals';
import { IDLE_POLLERS, IDLE_SWEEP, idleCost } from '../src/idle-cost.js';
import { type DeliveryLanes, type MonitoringKind, stageSettings } from '../src/stage.js';
import { synthPlatform } from './support/synth.js';

const prices = JSON.parse(
  readFileSync(new URL('../../bench/prices-us-east-1.json', import.meta.url), 'utf8'),
);
const benchmarks = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8');

/** Both stacks' resources of a stage (the archive's key is stateful, the rest stateless). */
const idleOf = (stage: string, monitoring?: MonitoringKind, deliveryLanes?: DeliveryLanes) => {
  const { stateful, stateless } = synthPlatform(stage, undefined, {
    ...(monitoring ? { monitoring } : {}),
    ...(deliveryLanes ? { deliveryLanes } : {}),
  });
  return idleCost({ ...stateful.json.resource, ...stateless.json.resource }, prices);
};

describe('idle cost of a stage', () => {
  const prod = idleOf('prod');
  const dev = idleOf('dev');
  const staging = idleOf('staging');
  const devWatched = idleOf('dev', 'full');

  it('counts every metric the alarms evaluate, the dashboard, every sweep and the idle polls', () => {
    expect(prod.dashboards).toBe(1);
    expect(prod.sweepsPerMonth).toBe(43_200);
    // Four event source mappings (the main and the slow lane, the ordered line and the inbound
    // FIFO queue), each long-polling its queue; the FIFO queues' polls are billed at the FIFO price.
    expect(prod.pollRequestsPerMonth).toBe(4 * IDLE_POLLERS * 129_600);
    expect(prod.fifoPollRequestsPerMonth).toBe(2 * IDLE_POLLERS * 129_600);
    expect(prod.usd.polls).toBeCloseTo((2 * 0.4 + 2 * 0.5) * IDLE_POLLERS * 0.1296, 2);
    // 16 single-metric alarms (the ordered line's DLQ, oldest message and in-flight count among them), two rates of two metrics each, DynamoDB throttles over 6 tables (the endpoint credentials table among them)
    // (prod has no receiver, so no receiver table); the inbound path's 5 function, 3 queue and
    // 7 provider-queue alarms, the ingest 5xx rate over two metrics, the bus rules' failed and
    // dead-lettered invocations over 7 rules each.
    expect(prod.alarmMetrics).toBe(16 + 2 * 2 + 2 * 6 + (5 + 3 + 7) + 2 + 2 * 7);
    // The ingest stage's web ACL and its rate rule (an HTTP API takes no web ACL); the archive's key.
    expect([prod.webAcls, prod.webAclRules, prod.kmsKeys]).toEqual([1, 1, 1]);
    const { total, ...lines } = prod.usd;
    expect(total).toBeCloseTo(
      Object.values(lines).reduce((a, b) => a + b, 0),
      1,
    );
  });

  it('prices a sweep with nothing to do as what it asks: every shard, the lanes’ lag and depths, its mark', () => {
    expect(IDLE_SWEEP).toMatchObject({
      readUnits: SWEEP_INDEX_SHARDS * 0.5 + 1,
      writeUnits: 1,
      sqsRequestsPerLane: 1,
    });
    // Production's sweeper reads both lanes' depth; a stage of one lane reads the main queue's.
    expect([prod.deliveryLanes, dev.deliveryLanes, staging.deliveryLanes]).toEqual([2, 1, 1]);
    // 43,200 runs of 17 read units, a write unit and two queue-depth requests, a request and
    // 50 ms at 512 MB each.
    expect(prod.usd.sweeper).toBeCloseTo(
      (43_200 * (17 * 0.125 + 0.625 + 2 * 0.4 + 0.2 + 0.05 * 0.5 * 13.3334)) / 1e6,
      2,
    );
    expect(dev.usd.sweeper).toBeCloseTo(
      (8_640 * (17 * 0.125 + 0.625 + 0.4 + 0.2 + 0.05 * 0.5 * 13.3334)) / 1e6,
      2,
    );
    // Not traced (nothing in it records a subsegment), and prod writes no START/REPORT records.
    expect(prod.usd.sweeperLogsAndTraces).toBe(0);
  });

  it('a lean development stage of one lane pays for nothing but three mappings’ pollers and a sweep every 5 minutes, under $1.00; watched in full it pays for the alarms and dashboard too', () => {
    for (const stage of [dev, staging]) {
      expect(stage.alarmMetrics).toBe(0);
      expect(stage.dashboards).toBe(0);
      expect(stage.sweepsPerMonth).toBe((30 * 24 * 60) / stageSettings('dev').sweepIntervalMinutes);
      // The main lane, the ordered line and the inbound FIFO queue: no slow lane's pollers.
      expect(stage.pollRequestsPerMonth).toBe(3 * IDLE_POLLERS * 129_600);
      expect(stage.fifoPollRequestsPerMonth).toBe(2 * IDLE_POLLERS * 129_600);
      // Everything but the event source mappings' idle long polls is under 10 cents a month.
      expect(stage.usd.total - stage.usd.polls).toBeLessThan(0.1);
      expect(stage.usd.total).toBeLessThanOrEqual(1);
    }
    // Asked for both lanes, a development stage pays the slow lane's five pollers again.
    const twoLanes = idleOf('dev', undefined, 2);
    expect(twoLanes.usd.polls - dev.usd.polls).toBeCloseTo(IDLE_POLLERS * 129_600 * 0.4e-6, 2);
    expect(twoLanes.usd.total).toBeGreaterThan(1);
    expect(devWatched.usd.total).toBeCloseTo(
      dev.usd.total + devWatched.usd.alarms + devWatched.usd.dashboard,
      1,
    );
  });

  it('is the figure docs/benchmarks.md gives, per stage kind', () => {
    expect(benchmarks).toContain(
      `| **total** | **$${prod.usd.total.toFixed(2)}** | **$${dev.usd.total.toFixed(2)}** | **$${devWatched.usd.total.toFixed(2)}** |`,
    );
    expect(benchmarks).toContain(`| alarms (${prod.alarmMetrics} alarm metrics`);
  });
});
