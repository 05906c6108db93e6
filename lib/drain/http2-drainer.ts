import type { Http2Server, Http2Session } from 'node:http2';
import { Server as NetServer } from 'node:net';
import type { ProtocolDrainer } from './drain.interface.js';

/** Both HTTP/2 server classes have `updateSettings()`; an HTTP/1.1 server has not (node:http2 exports no class to test). */
export function isHttp2Server(server: unknown): server is Http2Server {
  return typeof (server as Partial<Http2Server> | null)?.updateSettings === 'function';
}

/**
 * HTTP/2 (Fastify `http2: true`, a plain `http2` server): the listener closes and every session
 * gets a GOAWAY at once (`session.close()`): its streams in flight complete, no new stream opens
 * on it, and it closes when idle, so that clients reconnect elsewhere. What is left at the limit
 * is destroyed (its streams reset with CANCEL). Node 20 and 22 do not close sessions on
 * `server.close()`, which is why Nest's own close would otherwise wait for them for good.
 */
export class Http2Drainer implements ProtocolDrainer {
  readonly kind = 'http2' as const;
  private readonly sessions = new Set<Http2Session>();
  private finishedCount = 0;
  private draining = false;
  private cutting = false;

  constructor(private readonly server: Http2Server) {
    server.on('session', this.onSession);
  }

  get active(): boolean {
    return this.server.listening;
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    this.draining = true;
    const atStart = this.sessions.size;
    const listenerClosed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    const sessionsClosed = [...this.sessions].map((session) => new Promise<void>((resolve) => session.once('close', () => resolve())));
    for (const session of this.sessions) session.close();
    return { atStart, done: Promise.all([listenerClosed, ...sessionsClosed]).then(() => undefined) };
  }

  cut(): number {
    this.cutting = true;
    const left = [...this.sessions].filter((session) => !session.destroyed);
    for (const session of left) session.destroy();
    return left.length;
  }

  detach(): void {
    this.server.removeListener('session', this.onSession);
  }

  private readonly onSession = (session: Http2Session): void => {
    this.sessions.add(session);
    session.once('close', () => {
      this.sessions.delete(session);
      if (this.draining && !this.cutting) this.finishedCount++;
    });
  };
}
