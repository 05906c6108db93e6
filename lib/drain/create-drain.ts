import type { Server } from 'node:http';
import type { Drain } from './drain.interface.js';
import { HttpDrain } from './http-drain.js';

/** The drain for the application's server, or undefined when there is none the library can drain. */
export function createDrain(server: unknown): Drain | undefined {
  const http = server as Server | undefined;
  // An HTTP/2 server has no closeIdleConnections(): it is left to Nest's own close.
  if (http && typeof http.closeIdleConnections === 'function') return new HttpDrain(http);
  return undefined;
}
