import { createServer, type Server } from 'node:net';

/** `count` distinct TCP ports free on 127.0.0.1 right now (held open together, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            if (address && typeof address === 'object') resolve(address.port);
            else reject(new Error('no port assigned'));
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** One TCP port free on 127.0.0.1 right now, for a server a test or fixture opens on a port of its own. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}
