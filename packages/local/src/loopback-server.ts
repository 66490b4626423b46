import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Listening {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops listening, dropping open (kept-alive) connections at once. */
  close(): Promise<void>;
}

/**
 * Listens on loopback only, on `port` (0: any free one), as every local stand-in for an AWS
 * endpoint does.
 *
 * @example
 * const { url, close } = await listenOnLoopback(createServer(handler), 0);
 */
export const listenOnLoopback = async (server: Server, port: number): Promise<Listening> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
