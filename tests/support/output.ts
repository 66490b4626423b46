type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

/**
 * Copies what this process writes to `streams` (the functions' JSON log lines, as Lambda's
 * runtime sends them to CloudWatch; errors go to stderr) into `into`, still writing it through.
 * Returns what puts the streams back.
 *
 * @example const restore = captureOutput(lines, ['stdout', 'stderr']); … restore();
 */
export const captureOutput = (
  into: string[],
  streams: readonly ('stdout' | 'stderr')[] = ['stdout'],
): (() => void) => {
  const real = streams.map((name) => [name, process[name].write.bind(process[name]) as Write] as const);
  for (const [name, write] of real) {
    process[name].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  return () => {
    for (const [name, write] of real) process[name].write = write as typeof process.stdout.write;
  };
};
