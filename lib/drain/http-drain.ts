import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DrainReport } from '../interfaces/shutdown-report.interface.js';
import type { Drain } from './drain.interface.js';

/**
 * Follows the requests of one HTTP server so that a shutdown can let them finish: it stops
 * accepting connections, closes idle keep-alive sockets, marks every response still to be written
 * `Connection: close` so that no client reuses its socket, and destroys what remains at a limit.
 */
export class HttpDrain implements Drain {
  private readonly inFlight = new Set<ServerResponse>();
  /**
   * Every open connection. Node's closeAllConnections() skips sockets taken over by an upgrade
   * (WebSocket); an 'upgrade' listener of ours would change how Node answers upgrade requests,
   * so connections are followed from the 'connection' event instead.
   */
  private readonly connections = new Set<Socket>();
  private draining = false;
  private completedDuringDrain = 0;

  constructor(private readonly server: Server) {
    server.on('request', this.onRequest);
    server.on('connection', this.onConnection);
  }

  /** Stops following requests: called once the application is closed. */
  detach(): void {
    this.server.removeListener('request', this.onRequest);
    this.server.removeListener('connection', this.onConnection);
  }

  /** `onClosed` is told how many requests are in flight once the server stopped accepting connections. */
  async drain(limitMs: number, onClosed?: (inFlight: number) => void): Promise<DrainReport | undefined> {
    if (!this.server.listening) return undefined;
    const startedAt = performance.now();
    const inFlightAtStart = this.inFlight.size;
    this.draining = true;
    for (const response of this.inFlight) markConnectionClose(response);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    onClosed?.(inFlightAtStart);

    let timer: NodeJS.Timeout | undefined;
    const limitReached = new Promise<'limit'>((resolve) => {
      timer = setTimeout(() => resolve('limit'), limitMs);
    });
    const winner = await Promise.race([closed.then(() => 'closed' as const), limitReached]);
    clearTimeout(timer);
    let cut = 0;
    if (winner === 'limit') {
      cut = this.connections.size;
      this.server.closeAllConnections();
      for (const socket of this.connections) socket.destroy();
    }
    return {
      inFlightAtStart,
      completed: this.completedDuringDrain,
      cut,
      durationMs: Math.round(performance.now() - startedAt),
    };
  }

  private readonly onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
    if (this.draining) markConnectionClose(response);
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      if (!this.draining) return;
      if (response.writableFinished) this.completedDuringDrain++;
      // The socket may now be idle (its response went out before it could be marked): close it.
      setImmediate(() => this.server.closeIdleConnections());
    });
  };

  private readonly onConnection = (socket: Socket): void => {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
  };
}

function markConnectionClose(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
