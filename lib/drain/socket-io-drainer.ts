import type { ProtocolDrainer } from './drain.interface.js';

/** What the library uses of an engine.io connection. */
interface EngineSocketLike {
  readonly readyState: string;
  readonly writeBuffer?: readonly unknown[];
  close(discard?: boolean): void;
  once(event: 'close' | 'drain', listener: () => void): unknown;
}

interface EngineLike {
  clients: Record<string, EngineSocketLike>;
  opts: { allowRequest?: unknown; path?: string };
}

/** Calls `then` once what the connection had to send is out (at once when nothing is waiting), or once it closed. */
function whenSent(connection: EngineSocketLike, then: () => void): void {
  if (connection.readyState === 'closed' || (connection.writeBuffer?.length ?? 0) === 0) {
    then();
    return;
  }
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    then();
  };
  connection.once('drain', once);
  connection.once('close', once);
}

/** True for a request of engine.io (long-polling, or the handshake) on one of these servers. */
export function isEngineRequest(targets: () => readonly unknown[]): (request: { url?: string }) => boolean {
  return (request) => {
    const paths = targets().map((target) => engineOf(target)?.opts.path ?? '/socket.io');
    return paths.some((path) => request.url?.startsWith(path) === true);
  };
}

/**
 * What the library uses of a socket.io Server or Namespace (a gateway with a namespace gets
 * `server.of('/chat')`): `disconnectSockets()` reaches only the sockets of its own namespace.
 */
export interface SocketIoTarget {
  disconnectSockets(close?: boolean): void;
  /** A Server's engine.io server. */
  readonly engine?: EngineLike;
  /** A Namespace's Server. */
  readonly server?: { engine?: EngineLike };
}

/** The engine.io server under a socket.io Server or Namespace, when `target` is one. */
export function engineOf(target: unknown): EngineLike | undefined {
  const candidate = target as Partial<SocketIoTarget> | null;
  if (typeof candidate?.disconnectSockets !== 'function') return undefined;
  const engine = candidate.engine ?? candidate.server?.engine;
  return typeof engine?.clients === 'object' ? engine : undefined;
}

/**
 * socket.io gateways (`@nestjs/platform-socket.io`, websocket and long-polling transports): from
 * the drain on, a new connection is refused at its handshake, and every client is disconnected by
 * the server, so that it sees `io server disconnect` and its own logic can pick another instance.
 * A connection still open at the limit is closed without its goodbye.
 */
export class SocketIoDrainer implements ProtocolDrainer {
  readonly kind = 'socket.io' as const;
  private connections: EngineSocketLike[] = [];
  private finishedCount = 0;
  /** Set once the limit passed: what closes from then on was cut, not finished. */
  private cutting = false;

  constructor(private readonly targets: () => SocketIoTarget[]) {}

  get active(): boolean {
    return this.targets().length > 0;
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    const targets = this.targets();
    const engines = [...new Set(targets.map(engineOf).filter((engine): engine is EngineLike => engine !== undefined))];
    this.connections = engines.flatMap((engine) => Object.values(engine.clients));
    const done = Promise.all(this.connections.map((connection) => this.closed(connection))).then(() => undefined);
    for (const engine of engines) {
      // engine.io asks this at every handshake, on either transport: new clients get an error at once.
      engine.opts.allowRequest = (_request: unknown, answer: (message: string, ok: boolean) => void) => answer('server shutting down', false);
    }
    // Each socket is told to go (`io server disconnect`), without closing its connection yet: closed
    // with it, the goodbye could be discarded (websocket) or wait for a poll that never comes.
    for (const target of targets) target.disconnectSockets(false);
    // Then each connection is closed from here once its goodbye left: a long-polling client would
    // need a new connection to say its own goodbye, and the listener is closed by then.
    for (const connection of this.connections) whenSent(connection, () => connection.close(true));
    return { atStart: this.connections.length, done };
  }

  /**
   * Settles once every connection had its goodbye sent; undefined when all were sent already. A long-polling client between two polls
   * fetches it with its next poll, which may need a new connection: the HTTP listener waits for this
   * (a short, bounded while) before it closes.
   */
  sent(): Promise<void> | undefined {
    const pending = this.connections.filter((connection) => connection.readyState !== 'closed' && (connection.writeBuffer?.length ?? 0) > 0);
    if (pending.length === 0) return undefined;
    return Promise.all(pending.map((connection) => new Promise<void>((resolve) => whenSent(connection, resolve)))).then(() => undefined);
  }

  cut(): number {
    this.cutting = true;
    const left = this.connections.filter((connection) => connection.readyState !== 'closed');
    for (const connection of left) connection.close(true);
    return left.length;
  }

  detach(): void {
    this.connections = [];
  }

  private closed(connection: EngineSocketLike): Promise<void> {
    return new Promise((resolve) =>
      connection.once('close', () => {
        if (!this.cutting) this.finishedCount++;
        resolve();
      }),
    );
  }
}
