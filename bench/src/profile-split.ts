import { readFileSync } from 'node:fs';

/**
 * Splits a CPU profile of the platform's main thread (`SOAK_CPU_PROFILE`, V8's `.cpuprofile`
 * format) by the component each sample was working for: the nearest frame, from the sample's
 * own upwards, whose script belongs to a component. An SDK call or a JSON parse counts for
 * whoever made it; what no component's frame sits above (Node parsing an HTTP message before
 * any listener runs, the SDK reading an answer off a socket) is `node_io_unattributed`.
 *
 * node --import tsx bench/src/profile-split.ts /tmp/platform.cpuprofile
 */

export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Each component and the scripts that are its own, in the order they are tried on a frame. */
export const COMPONENTS: readonly (readonly [string, RegExp])[] = [
  ['fauxqs', /\/fauxqs\//],
  ['iam_front', /\/packages\/local\/src\/(iam\/|usage-meter)/],
  ['event_source_mappings', /\/packages\/local\/src\/(event-source-mapping|mappings|lambda-instances)/],
  ['event_bus', /\/packages\/local\/src\/bus\//],
  // The functions the platform runs in its own thread: the API, its authorizer, the sweeper, ingest, the receiver.
  ['functions_in_process', /\/(services|packages)\/(?!local\/)[^/]+\/(src|dist)\//],
  ['gateway', /\/packages\/local\/src\/gateway/],
  ['platform_other', /\/packages\/local\/src\//],
];

/** Milliseconds of samples by component, the idle ones apart. */
export const splitProfile = (profile: CpuProfile): Record<string, number> => {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = new Map<number, string>();
  const owner = (id: number): string => {
    const known = ownerOf.get(id);
    if (known) return known;
    let found = 'node_io_unattributed';
    const leaf = byId.get(id)?.callFrame.functionName ?? '';
    if (leaf === '(idle)' || leaf === '(garbage collector)' || leaf === '(program)') {
      found = leaf.slice(1, -1).replace(/ /g, '_');
    } else {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const url = byId.get(at)?.callFrame.url ?? '';
        const component = COMPONENTS.find(([, pattern]) => pattern.test(url));
        if (component) {
          found = component[0];
          break;
        }
      }
    }
    ownerOf.set(id, found);
    return found;
  };
  const ms: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const component = owner(id);
    ms[component] = (ms[component] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return Object.fromEntries(
    Object.entries(ms)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, Math.round(v)]),
  );
};

if (process.argv[1]?.endsWith('profile-split.ts') && process.argv[2]) {
  const split = splitProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')) as CpuProfile);
  const busy = Object.entries(split)
    .filter(([k]) => k !== 'idle')
    .reduce((a, [, v]) => a + v, 0);
  process.stdout.write(
    `${JSON.stringify(
      {
        busy_ms: busy,
        ms: split,
        share_of_busy: Object.fromEntries(
          Object.entries(split)
            .filter(([k]) => k !== 'idle')
            .map(([k, v]) => [k, Math.round((v / Math.max(1, busy)) * 1000) / 1000]),
        ),
      },
      null,
      2,
    )}\n`,
  );
}
