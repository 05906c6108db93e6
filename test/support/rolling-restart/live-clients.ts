import { get, type ClientRequest } from 'node:http';
import { WebSocket } from 'ws';

/** What the long-lived clients saw over the whole scenario, as a dashboard would see it. */
export interface LiveClientCounts {
  /** Connections opened, first ones and reconnections. */
  opened: number;
  /** Ended by the server the way the protocol ends it: WebSocket close 1001/1000, an SSE response's end. */
  endedCleanly: number;
  /** Anything else: WebSocket 1006 or another code, an error, an SSE stream reset or cut mid-event, a non-200. */
  abnormal: string[];
  /** Messages received (heartbeats and orders). */
  messages: number;
  /** Clients connected when the load stopped (each must have reconnected after its instance left). */
  connectedAtEnd: number;
}

const RECONNECT_MS = 50;

/**
 * WebSocket and SSE clients through the load balancer that reconnect whenever their connection
 * ends, as browsers' EventSource and a dashboard's WebSocket do. Every way a connection ends is
 * recorded from the client's side.
 */
export class LiveClients {
  private stopped = false;
  private readonly ws: LiveClientCounts = emptyCounts();
  private readonly sse: LiveClientCounts = emptyCounts();
  private readonly sockets = new Set<WebSocket>();
  private readonly streams = new Set<ClientRequest>();

  constructor(
    private readonly baseUrl: string,
    { websockets, wsPath, sseStreams, ssePath }: { websockets: number; wsPath: string; sseStreams: number; ssePath: string },
  ) {
    for (let i = 0; i < websockets; i++) this.openWebSocket(wsPath);
    for (let i = 0; i < sseStreams; i++) this.openStream(ssePath);
  }

  /** Stops reconnecting, closes what is open (client-side, not counted) and returns the counts. */
  stop(): { websockets: LiveClientCounts; sse: LiveClientCounts } {
    this.ws.connectedAtEnd = [...this.sockets].filter((socket) => socket.readyState === WebSocket.OPEN).length;
    this.sse.connectedAtEnd = this.streams.size;
    this.stopped = true;
    for (const socket of this.sockets) socket.close(1000);
    for (const stream of this.streams) stream.destroy();
    return { websockets: { ...this.ws }, sse: { ...this.sse } };
  }

  private openWebSocket(path: string): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.baseUrl.replace(/^http/, 'ws') + path);
    this.sockets.add(socket);
    let failed: string | undefined;
    socket.on('open', () => this.ws.opened++);
    socket.on('message', () => this.ws.messages++);
    socket.on('unexpected-response', (_request, response) => (failed = `upgrade answered ${response.statusCode}`));
    socket.on('error', (error) => (failed ??= `error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    socket.on('close', (code) => {
      this.sockets.delete(socket);
      if (this.stopped) return;
      if (failed) this.ws.abnormal.push(failed);
      else if (code === 1001 || code === 1000) this.ws.endedCleanly++;
      else this.ws.abnormal.push(`close ${code}`);
      setTimeout(() => this.openWebSocket(path), RECONNECT_MS);
    });
  }

  private openStream(path: string): void {
    if (this.stopped) return;
    let settled = false;
    const again = (abnormal?: string) => {
      if (settled) return;
      settled = true;
      this.streams.delete(request);
      if (this.stopped) return;
      if (abnormal) this.sse.abnormal.push(abnormal);
      else this.sse.endedCleanly++;
      setTimeout(() => this.openStream(path), RECONNECT_MS);
    };
    const request = get(`${this.baseUrl}${path}`, { headers: { accept: 'text/event-stream' }, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return again(`status ${response.statusCode}`);
      }
      this.sse.opened++;
      let pending = '';
      response.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const events = pending.split('\n\n');
        pending = events.pop() ?? '';
        this.sse.messages += events.filter((event) => event.includes('data:')).length;
      });
      // A clean end leaves no half event behind.
      response.on('end', () => again(pending.trim() ? 'ended mid-event' : undefined));
      response.on('aborted', () => again('reset'));
      response.on('error', (error) => again(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    request.on('error', (error) => again(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    this.streams.add(request);
  }
}

function emptyCounts(): LiveClientCounts {
  return { opened: 0, endedCleanly: 0, abnormal: [], messages: 0, connectedAtEnd: 0 };
}
