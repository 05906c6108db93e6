import type { ServerResponse } from 'node:http';
import type { ProtocolDrainer } from './drain.interface.js';
import type { Http1Drainer } from './http1-drainer.js';

/** True for a Server-Sent Events response: its content type, or what an EventSource asks for. */
export function isEventStream(response: ServerResponse): boolean {
  const type = response.getHeader('content-type');
  if (typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream')) return true;
  // Nest's @Sse() writes its headers with writeHead(), which getHeader() does not always see.
  const accept = response.req?.headers.accept;
  return response.headersSent && typeof accept === 'string' && accept.includes('text/event-stream');
}

/**
 * Server-Sent Events streams (`@Sse()`, any `text/event-stream` response): each one is ended
 * cleanly when the drain starts — the last complete event, then the end of the response and a
 * closed socket —, so that an `EventSource` reconnects to another instance at once instead of
 * being held to the limit and reset mid-event.
 */
export class SseDrainer implements ProtocolDrainer {
  readonly kind = 'sse' as const;
  private streams = new Set<ServerResponse>();
  private finishedCount = 0;

  constructor(private readonly http: Http1Drainer) {}

  get active(): boolean {
    return this.http.active;
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    this.streams = new Set(this.http.responsesInFlight().filter(isEventStream));
    const done = Promise.all([...this.streams].map((stream) => this.end(stream))).then(() => undefined);
    return { atStart: this.streams.size, done };
  }

  cut(): number {
    let cut = 0;
    for (const stream of this.streams) {
      if (stream.destroyed) continue;
      stream.destroy();
      cut++;
    }
    return cut;
  }

  detach(): void {
    this.streams.clear();
  }

  private end(stream: ServerResponse): Promise<void> {
    this.http.claim(stream);
    return new Promise<void>((resolve) => {
      stream.once('close', () => {
        if (stream.writableFinished) this.finishedCount++;
        resolve();
      });
      // The socket closes after this response: the producer sees its client gone and stops.
      stream.shouldKeepAlive = false;
      stream.end();
      // Events the producer emits before it notices are dropped: the stream is over, and a
      // write after its end would only raise an error nobody can handle.
      stream.write = () => true;
    });
  }
}
