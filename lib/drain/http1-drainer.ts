import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { ProtocolDrainer } from './drain.interface.js';

/**
 * How long a keep-alive connection that is idle when the drain starts stays open: a request
 * already on its way gets an answer (with `Connection: close`) instead of a reset. Past it, the
 * connections still idle are closed. It delays an otherwise finished drain by this much at most.
 */
export const IDLE_GRACE_MS = 250;

/*
 * Until the drain starts, a request costs a property read and write on its socket, and nothing
 * else: no closure, no listener, no allocation, no property added to Node's response. What is in
 * flight is found when the drain starts, from the response to each socket's last request. Node
 * answers a socket's requests in the order it read them, so following that one is enough to know
 * when the socket is done. Requests pipelined behind it are answered as well, but count as one with
 * it in the report: knowing each of them would mean keeping every pipelined response until the next
 * request, which made the young generation promote them and cost a client that pipelines ≈1.5 % of
 * the server's CPU (docs/benchmarks.md).
 */
const LAST_RESPONSE = Symbol('nestjs-shutdown:last-response');

interface FollowedSocket extends Socket {
  /** The response to the request read last on this socket: the only one that may say `Connection: close`. */
  [LAST_RESPONSE]?: ServerResponse;
}

/** Not answered yet: neither all written nor closed (a response counts from its request until then). */
function inFlight(response: ServerResponse): boolean {
  return !response.writableFinished && !response.destroyed;
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
  /** Every accepted connection (one entry per connection, kept over keep-alive). */
  private readonly connections = new Set<Socket>();
  /** Sockets carrying requests that are not accepted connections themselves (TLS over one of them). */
  private readonly otherSockets = new Set<Socket>();
  /** Responses another drainer ends its own way (SSE streams): not counted as requests. */
  private readonly claimed = new WeakSet<ServerResponse>();
  /** Requests of a protocol that needs its socket a little longer (socket.io's long-polling): never marked. */
  private readonly keepOpen: Array<(request: IncomingMessage) => boolean> = [];
  /** What the listener waits for before it closes (at most IDLE_GRACE_MS): goodbyes still to be fetched. */
  private readonly listenerWaits: Array<() => Promise<void> | undefined> = [];
  /** One function for every socket (called with the socket as `this`): no closure per connection. */
  private readonly forgetConnection: (this: Socket) => void;
  private readonly forgetOtherSocket: (this: Socket) => void;
  private draining = false;
  private graceOver = false;
  private graceTimer?: NodeJS.Timeout;
  private finishedCount = 0;

  constructor(private readonly server: Server) {
    const { connections, otherSockets } = this;
    this.forgetConnection = function (this: Socket) {
      connections.delete(this);
    };
    this.forgetOtherSocket = function (this: Socket) {
      otherSockets.delete(this);
    };
    server.on('connection', this.onConnection);
    server.on('request', this.onRequest);
  }

  get active(): boolean {
    return this.server.listening;
  }

  get finished(): number {
    return this.finishedCount;
  }

  /** The responses being written now (a socket's last one), for drainers of protocols that ride on HTTP/1.1 responses. */
  responsesInFlight(): readonly ServerResponse[] {
    const responses: ServerResponse[] = [];
    for (const socket of this.requestSockets()) {
      const response = this.inFlightOn(socket);
      if (response !== undefined) responses.push(response);
    }
    return responses;
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
    let atStart = 0;
    // From now on every response is followed to its end: those in flight now, and (onRequest) those to come.
    for (const socket of this.requestSockets()) {
      const response = this.inFlightOn(socket);
      if (response === undefined) continue;
      this.markLast(response);
      this.follow(response, socket);
      if (!this.claimed.has(response)) atStart++;
    }
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
    return { atStart, done, connections };
  }

  cut(): number {
    // Whatever is still open: a stuck request, or an upgraded socket no drainer took care of.
    // Sockets another drainer destroyed a moment ago are not counted again.
    const left = [...this.connections].filter((socket) => !socket.destroyed);
    this.server.closeAllConnections();
    for (const socket of left) socket.destroy();
    for (const socket of this.otherSockets) socket.destroy();
    return left.length;
  }

  detach(): void {
    clearTimeout(this.graceTimer);
    this.server.removeListener('connection', this.onConnection);
    this.server.removeListener('request', this.onRequest);
  }

  private readonly onConnection = (socket: Socket): void => {
    this.connections.add(socket);
    socket.on('close', this.forgetConnection);
  };

  /** Every request, drain or not: kept to a property read and write (see LAST_RESPONSE above). */
  private readonly onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const socket = request.socket as FollowedSocket;
    const previous = socket[LAST_RESPONSE];
    if (previous === undefined) this.firstRequestOn(socket);
    socket[LAST_RESPONSE] = response;
    if (this.draining) this.onRequestWhileDraining(response, previous, socket);
  };

  /** Once per socket. One that is not an accepted connection itself (TLS) is kept apart, to be walked at the drain. */
  private firstRequestOn(socket: Socket): void {
    if (this.connections.has(socket)) return;
    this.otherSockets.add(socket);
    socket.on('close', this.forgetOtherSocket);
  }

  private onRequestWhileDraining(response: ServerResponse, previous: ServerResponse | undefined, socket: Socket): void {
    // The newest request on the socket is now the last one: it alone says Connection: close.
    if (previous !== undefined && !previous.headersSent) previous.removeHeader('Connection');
    this.markLast(response);
    this.follow(response, socket);
  }

  /** Sockets that carry requests: accepted connections, and those riding on them (TLS). */
  private *requestSockets(): Iterable<FollowedSocket> {
    yield* this.connections;
    yield* this.otherSockets;
  }

  /** The response of `socket` not answered yet, if any: its last one (those pipelined before it count as one with it). */
  private inFlightOn(socket: FollowedSocket): ServerResponse | undefined {
    const last = socket[LAST_RESPONSE];
    return last !== undefined && inFlight(last) ? last : undefined;
  }

  private markLast(response: ServerResponse): void {
    if (response.headersSent || this.keepOpen.some((matches) => matches(response.req))) return;
    response.setHeader('Connection', 'close');
  }

  /** Only while draining: counts the response once it is over. */
  private follow(response: ServerResponse, socket: FollowedSocket): void {
    response.once('close', () => {
      if (response.writableFinished && !this.claimed.has(response)) this.finishedCount++;
      // The socket may now be idle with nothing said (its response went out before the drain
      // started): after the grace, close it rather than keep it to the limit.
      if (this.graceOver && socket[LAST_RESPONSE] === response) setImmediate(() => this.server.closeIdleConnections());
    });
  }
}
