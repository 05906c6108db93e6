import type { Server } from 'node:http';
import type { Drain, ProtocolDrainer } from './drain.interface.js';
import { Http1Drainer } from './http1-drainer.js';
import { ServerDrain } from './server-drain.js';
import { SseDrainer } from './sse-drainer.js';

/** The drain for the application's server, or undefined when there is none the library can drain. */
export function createDrain(server: unknown): Drain | undefined {
  const http = server as Server | undefined;
  // An HTTP/2 server has no closeIdleConnections(): it is left to Nest's own close.
  if (!http || typeof http.closeIdleConnections !== 'function') return undefined;
  const requests = new Http1Drainer(http);
  // Those that ride on HTTP/1.1 responses first: they claim theirs before requests are counted.
  const drainers: ProtocolDrainer[] = [new SseDrainer(requests), requests];
  return new ServerDrain(drainers);
}
