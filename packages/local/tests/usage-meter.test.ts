import { describe, expect, it } from '@jest/globals';
import { askForCapacity, consumedUnitsIn } from '../src/iam/front.js';
import { consumedUnits, UsageMeter } from '../src/usage-meter.js';

describe('UsageMeter', () => {
  it('counts invocations with their durations rounded up to the millisecond, per function', () => {
    const meter = new UsageMeter();
    meter.invoked('worker', 41.2);
    meter.invoked('worker', 3);
    meter.invoked('api', 0.2);
    expect(meter.snapshot().lambda).toEqual({
      worker: { invocations: 2, billedMs: 45 },
      api: { invocations: 1, billedMs: 1 },
    });
  });

  it('bills writes in write units and everything else in read units, and SQS by 64 KB', () => {
    const meter = new UsageMeter();
    meter.dynamodb('PutItem', 1);
    meter.dynamodb('TransactWriteItems', 4);
    meter.dynamodb('GetItem', 0.5);
    meter.dynamodb('Query', 2);
    meter.sqs(900);
    meter.sqs(0);
    meter.sqs(65_537);
    expect(meter.snapshot()).toMatchObject({ dynamodbWru: 5, dynamodbRru: 2.5, sqsRequests: 4 });
  });

  it("reads the units from a DynamoDB answer's ConsumedCapacity, one table or several", () => {
    expect(consumedUnits({ ConsumedCapacity: { TableName: 't', CapacityUnits: 1.5 } })).toBe(1.5);
    expect(
      consumedUnits({ ConsumedCapacity: [{ CapacityUnits: 1 }, { TableName: 'u', CapacityUnits: 2 }] }),
    ).toBe(3);
    expect(consumedUnits({ Item: {} })).toBe(0);
    expect(consumedUnits(null)).toBe(0);
  });
});

describe("the IAM front's metering of DynamoDB calls", () => {
  const ask = (call: Record<string, unknown>) =>
    JSON.parse(askForCapacity(Buffer.from(JSON.stringify(call)), call).toString('utf8'));

  it('asks for the capacity a call consumes, keeping the call as it was', () => {
    const call = { TableName: 't', Key: { pk: { S: 'a' } } };
    expect(ask(call)).toEqual({ ...call, ReturnConsumedCapacity: 'TOTAL' });
    expect(ask({})).toEqual({ ReturnConsumedCapacity: 'TOTAL' });
    expect(ask({ ...call, ReturnConsumedCapacity: 'NONE' })).toEqual({
      ...call,
      ReturnConsumedCapacity: 'TOTAL',
    });
    // A call that asks already is sent as it is.
    const indexes = { ...call, ReturnConsumedCapacity: 'INDEXES' };
    const body = Buffer.from(JSON.stringify(indexes));
    expect(askForCapacity(body, indexes)).toBe(body);
  });

  it("reads the units off an answer without taking an item's attribute for them", () => {
    const answer = {
      Responses: { t: [{ CapacityUnits: { N: '99' }, pk: { S: '"CapacityUnits":7' } }] },
      ConsumedCapacity: [
        { TableName: 't', CapacityUnits: 1.5 },
        { TableName: 'u', CapacityUnits: 2 },
      ],
    };
    expect(consumedUnitsIn(JSON.stringify(answer))).toBe(consumedUnits(answer));
    expect(consumedUnitsIn(JSON.stringify(answer))).toBe(3.5);
    expect(consumedUnitsIn('{"Item":{}}')).toBe(0);
    expect(consumedUnitsIn('not json')).toBe(0);
  });
});
