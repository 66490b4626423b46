import { afterAll, describe, expect, it } from '@jest/globals';
import { type Engines, startEngines } from '../src/engines.js';
import { listeningAddresses } from './listening-addresses.js';

/* The local engines are for this machine only: nothing listens on another interface. */
describe('the local engines', () => {
  let engines: Engines | undefined;
  afterAll(async () => {
    await engines?.stop();
  });

  it('listen on 127.0.0.1 and nowhere else', async () => {
    engines = await startEngines();
    const ports = [engines.dynamodbEndpoint, engines.sqsEndpoint].map((e) => Number(new URL(e).port));
    expect(ports.map((port) => listeningAddresses(port))).toEqual([['127.0.0.1'], ['127.0.0.1']]);
  });
});
