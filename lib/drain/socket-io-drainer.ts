import type { ProtocolDrainer } from './drain.interface.js';

/** What the library uses of an engine.io connection. */
interface EngineSocketLike {
  readonly readyState: string;
  close(discard?: boolean): void;
  once(event: 'close', listener: () => void): unknown;
}

/** What the library uses of a socket.io Server (the server of `@nestjs/platform-socket.io` gateways). */
export interface SocketIoServerLike {
  readonly engine: { clients: Record<string, EngineSocketLike>; opts: { allowRequest?: unknown } };
  disconnectSockets(close?: boolean): void;
}

/** A socket.io Server, or the Server of a namespace (`server.of('/chat')`, what a gateway with a namespace gets). */
export function socketIoServerOf(server: unknown): SocketIoServerLike | undefined {
  const isServer = (candidate: unknown): candidate is SocketIoServerLike =>
    typeof (candidate as Partial<SocketIoServerLike> | null)?.disconnectSockets === 'function' &&
    typeof (candidate as Partial<SocketIoServerLike>).engine?.clients === 'object';
  if (isServer(server)) return server;
  const parent = (server as { server?: unknown } | null)?.server;
  return isServer(parent) ? parent : undefined;
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

  constructor(private readonly servers: () => SocketIoServerLike[]) {}

  get active(): boolean {
    return this.servers().length > 0;
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    const servers = this.servers();
    this.connections = servers.flatMap((server) => Object.values(server.engine.clients));
    const done = Promise.all(this.connections.map((connection) => this.closed(connection))).then(() => undefined);
    for (const server of servers) {
      // engine.io asks this at every handshake, on either transport: new clients get an error at once.
      server.engine.opts.allowRequest = (_request: unknown, answer: (message: string, ok: boolean) => void) =>
        answer('server shutting down', false);
      server.disconnectSockets(true);
    }
    return { atStart: this.connections.length, done };
  }

  cut(): number {
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
        this.finishedCount++;
        resolve();
      }),
    );
  }
}
