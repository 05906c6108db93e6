import { createServer, type AddressInfo } from 'node:net';

/** A port nothing listens on now, for a server the fixture opens on a port of its own. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
