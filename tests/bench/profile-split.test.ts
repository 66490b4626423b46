import { type CpuProfile, splitProfile } from '../../bench/src/profile-split.js';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url },
  children,
});

describe('splitProfile', () => {
  // (root) → the IAM front's handler → JSON.parse (Node's own); (root) → fauxqs's receive; (root) →
  // a socket write no component's frame sits above; (root) → the gateway → the API's handler → the
  // SDK; idle and GC samples.
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', '', [2, 4, 5, 6, 9, 10]),
      frame(2, 'handle', 'file:///w/packages/local/src/iam/front.ts', [3]),
      frame(3, 'parse', ''),
      frame(
        4,
        'receiveMessage',
        'file:///w/node_modules/.pnpm/fauxqs@2.4.1/node_modules/fauxqs/dist/sqs/a.js',
      ),
      frame(5, 'writev', ''),
      frame(6, 'invoke', 'file:///w/packages/local/src/gateway.ts', [7]),
      frame(7, 'lambdaHandler', 'file:///w/services/api/src/api.ts', [8]),
      frame(8, 'sign', 'file:///w/node_modules/@smithy/signature-v4/dist-cjs/index.js'),
      frame(9, '(idle)', ''),
      frame(10, '(garbage collector)', ''),
    ],
    samples: [3, 3, 4, 5, 5, 5, 8, 6, 9, 9, 10],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 2000, 2000, 1000],
  };

  it('counts each sample for the nearest component above it, Node and the SDK for whoever called them', () => {
    expect(splitProfile(profile)).toEqual({
      node_io_unattributed: 3,
      iam_front: 2,
      fauxqs: 1,
      functions_in_process: 1,
      gateway: 1,
      idle: 4,
      garbage_collector: 1,
    });
  });
});
