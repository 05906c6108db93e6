import type { Duplex } from 'node:stream';
import type { ProtocolDrainer } from './drain.interface.js';

/** What the library uses of a `ws` WebSocket. */
interface WebSocketLike {
  readonly readyState: number;
  close(code: number, reason: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** What the library uses of a `ws` WebSocketServer (the server of `@nestjs/platform-ws` gateways). */
export interface WebSocketServerLike {
  readonly clients: Set<WebSocketLike>;
  handleUpgrade(request: unknown, socket: Duplex, head: Buffer, callback: (client: unknown) => void): void;
}

export function isWebSocketServer(server: unknown): server is WebSocketServerLike {
  const candidate = server as Partial<WebSocketServerLike> | null;
  return typeof candidate?.handleUpgrade === 'function' && candidate.clients instanceof Set;
}

/** RFC 6455: the endpoint is going away (a server shutting down). */
export const GOING_AWAY = 1001;
export const GOING_AWAY_REASON = 'server shutting down';
const CLOSED = 3;

const UNAVAILABLE =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 0\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nserver shutting down';

/**
 * WebSocket gateways on `ws` (`@nestjs/platform-ws`, on the HTTP server or a port of their own):
 * from the drain on, an upgrade request is answered 503; every open connection gets a close frame
 * 1001 "server shutting down", and the drain waits for the close handshakes. A client that never
 * answers is terminated at the limit. Nest runs each gateway's `handleDisconnect` as its client
 * closes, while the hooks of order >= 0 have not yet closed what it needs.
 */
export class WebSocketDrainer implements ProtocolDrainer {
  readonly kind = 'websockets' as const;
  private clients: WebSocketLike[] = [];
  private finishedCount = 0;
  /** Set once the limit passed: what closes from then on was cut, not finished. */
  private cutting = false;

  constructor(private readonly servers: () => WebSocketServerLike[]) {}

  get active(): boolean {
    return this.servers().length > 0;
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    const servers = this.servers();
    for (const server of servers) refuseUpgrades(server);
    this.clients = servers.flatMap((server) => [...server.clients].filter((client) => client.readyState !== CLOSED));
    const done = Promise.all(this.clients.map((client) => this.sayGoodbye(client))).then(() => undefined);
    return { atStart: this.clients.length, done };
  }

  cut(): number {
    this.cutting = true;
    const left = this.clients.filter((client) => client.readyState !== CLOSED);
    for (const client of left) client.terminate();
    return left.length;
  }

  detach(): void {
    this.clients = [];
  }

  private sayGoodbye(client: WebSocketLike): Promise<void> {
    return new Promise((resolve) => {
      client.once('close', () => {
        if (!this.cutting) this.finishedCount++;
        resolve();
      });
      client.close(GOING_AWAY, GOING_AWAY_REASON);
    });
  }
}

/** ws answers every upgrade through `handleUpgrade()`, whoever listens to 'upgrade': the one place to refuse them. */
function refuseUpgrades(server: WebSocketServerLike): void {
  server.handleUpgrade = (_request, socket) => {
    socket.once('finish', () => socket.destroy());
    socket.end(UNAVAILABLE);
  };
}
