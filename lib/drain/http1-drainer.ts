import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { ProtocolDrainer } from './drain.interface.js';

/**
 * How long a keep-alive connection that is idle when the drain starts stays open: a request
 * already on its way gets an answer (with `Connection: close`) instead of a reset. Past it, the
 * connections still idle are closed. It delays an otherwise finished drain by this much at most.
 */
export const IDLE_GRACE_MS = 250;

interface Connection {
  /** Requests read on this socket and not yet answered (pipelined ones queue behind the first). */
  pending: number;
  /** The response to the request read last: the only one that may say `Connection: close`. */
  last?: ServerResponse;
}

/**
 * The HTTP/1.1 part of the drain. It stops accepting connections, lets every request already read
 * be answered — all those pipelined on one socket too, only the last of them saying
 * `Connection: close` —, answers a request that arrives on an idle keep-alive socket during the
 * drain (with `Connection: close`) instead of resetting it, closes silent sockets after a short
 * grace, and destroys what remains at the limit.
 */
export class Http1Drainer implements ProtocolDrainer {
  readonly kind = 'requests' as const;
  private readonly connections = new Map<Socket, Connection>();
  private readonly inFlight = new Set<ServerResponse>();
  /** Responses another drainer ends its own way (SSE streams): not counted as requests. */
  private readonly claimed = new WeakSet<ServerResponse>();
  /** Requests of a protocol that needs its socket a little longer (socket.io's long-polling): never marked. */
  private readonly keepOpen: Array<(request: IncomingMessage) => boolean> = [];
  /** What the listener waits for before it closes (at most IDLE_GRACE_MS): goodbyes still to be fetched. */
  private readonly listenerWaits: Array<() => Promise<void> | undefined> = [];
  private draining = false;
  private graceOver = false;
  private graceTimer?: NodeJS.Timeout;
  private finishedCount = 0;

  constructor(private readonly server: Server) {
    server.on('connection', this.onConnection);
    server.on('request', this.onRequest);
  }

  get active(): boolean {
    return this.server.listening;
  }

  get finished(): number {
    return this.finishedCount;
  }

  /** The responses being written now, for drainers of protocols that ride on HTTP/1.1 responses. */
  responsesInFlight(): readonly ServerResponse[] {
    return [...this.inFlight];
  }

  /** `response` is ended by another drainer: it is not counted here. */
  claim(response: ServerResponse): void {
    this.claimed.add(response);
  }

  /**
   * Requests for which `matches` holds never say `Connection: close`: a long-polling client told to
   * go away still has its goodbye to fetch on the same socket, and the listener is closed by then.
   */
  keepSocketsOpenFor(matches: (request: IncomingMessage) => boolean): void {
    this.keepOpen.push(matches);
  }

  /** The listener closes once `until` settles, or after IDLE_GRACE_MS at most: new connections are accepted meanwhile. */
  keepListeningUntil(until: () => Promise<void> | undefined): void {
    this.listenerWaits.push(until);
  }

  begin(): { atStart: number; done: Promise<void>; connections: number } {
    this.draining = true;
    const connections = this.connections.size;
    for (const connection of this.connections.values()) if (connection.last) this.markLast(connection.last);
    // net.Server's close, not http.Server's: that one also closes idle connections at once, and
    // a request already on its way over one of them would meet a reset.
    // At once when nothing asks to wait: a client that learns of the drain must find the listener closed.
    const waits = this.listenerWaits.map((until) => until()).filter((wait) => wait !== undefined);
    const closeListener = () => new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    let done: Promise<void>;
    if (waits.length === 0) {
      done = closeListener();
    } else {
      let waitTimer: NodeJS.Timeout | undefined;
      done = Promise.race([Promise.all(waits), new Promise((resolve) => (waitTimer = setTimeout(resolve, IDLE_GRACE_MS)))])
        .then(() => clearTimeout(waitTimer))
        .then(closeListener);
    }
    this.graceTimer = setTimeout(() => {
      this.graceOver = true;
      this.server.closeIdleConnections();
    }, IDLE_GRACE_MS);
    this.graceTimer.unref();
    let atStart = 0;
    for (const response of this.inFlight) if (!this.claimed.has(response)) atStart++;
    return { atStart, done, connections };
  }

  cut(): number {
    // Whatever is still open: a stuck request, or an upgraded socket no drainer took care of.
    // Sockets another drainer destroyed a moment ago are not counted again.
    const left = [...this.connections.keys()].filter((socket) => !socket.destroyed);
    this.server.closeAllConnections();
    for (const socket of left) socket.destroy();
    return left.length;
  }

  detach(): void {
    clearTimeout(this.graceTimer);
    this.server.removeListener('connection', this.onConnection);
    this.server.removeListener('request', this.onRequest);
  }

  private readonly onConnection = (socket: Socket): void => {
    this.connections.set(socket, { pending: 0 });
    socket.once('close', () => this.connections.delete(socket));
  };

  private readonly onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const connection = this.connections.get(request.socket);
    if (connection) {
      connection.pending++;
      if (this.draining) {
        // The newest request on the socket is now the last one: it alone says Connection: close.
        if (connection.last && !connection.last.headersSent) connection.last.removeHeader('Connection');
        this.markLast(response);
      }
      connection.last = response;
    } else if (this.draining) {
      this.markLast(response);
    }
    this.inFlight.add(response);
    response.once('close', () => this.onResponseClosed(response, connection));
  };

  private markLast(response: ServerResponse): void {
    if (response.headersSent || this.keepOpen.some((matches) => matches(response.req))) return;
    response.setHeader('Connection', 'close');
  }

  private onResponseClosed(response: ServerResponse, connection: Connection | undefined): void {
    this.inFlight.delete(response);
    if (connection) {
      connection.pending--;
      if (connection.last === response) connection.last = undefined;
    }
    if (!this.draining) return;
    if (response.writableFinished && !this.claimed.has(response)) this.finishedCount++;
    // The socket may now be idle with nothing said (its response went out before the drain
    // started): after the grace, close it rather than keep it to the limit.
    if (this.graceOver && connection?.pending === 0) setImmediate(() => this.server.closeIdleConnections());
  }
}
