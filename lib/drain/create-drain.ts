import type { Server } from 'node:http';
import type { Drain, ProtocolDrainer } from './drain.interface.js';
import type { GrpcDrainer } from './grpc-drainer.js';
import { Http1Drainer } from './http1-drainer.js';
import { Http2Drainer, isHttp2Server } from './http2-drainer.js';
import { ServerDrain } from './server-drain.js';
import { engineOf, isEngineRequest, SocketIoDrainer, type SocketIoTarget } from './socket-io-drainer.js';
import { SseDrainer } from './sse-drainer.js';
import { isWebSocketServer, WebSocketDrainer } from './websocket-drainer.js';

/** True for a gateway server the library knows how to drain. */
export function isDrainableGatewayServer(server: unknown): boolean {
  return isWebSocketServer(server) || engineOf(server) !== undefined;
}

/**
 * The drain of the application's servers: its HTTP server, if it has one the library can drain,
 * its gRPC microservices (`grpc` follows them from the moment Nest registers them), and its gateways' servers (connected before the application's init hooks run; read again when
 * the drain starts). Undefined when there is nothing to drain.
 */
export function createDrain(httpServer: unknown, gatewayServers: () => readonly unknown[], grpc: GrpcDrainer): Drain | undefined {
  const socketIo = () => gatewayServers().filter((server): server is SocketIoTarget => engineOf(server) !== undefined);
  const socketIoDrainer = new SocketIoDrainer(socketIo);
  const drainers: ProtocolDrainer[] = [grpc, new WebSocketDrainer(() => gatewayServers().filter(isWebSocketServer)), socketIoDrainer];
  const http = httpServer as Server | undefined;
  if (isHttp2Server(http)) {
    drainers.push(new Http2Drainer(http));
  } else if (http && typeof http.closeIdleConnections === 'function') {
    const requests = new Http1Drainer(http);
    // A long-polling client fetches its goodbye with its next poll: on its socket, or on a new one.
    requests.keepSocketsOpenFor(isEngineRequest(socketIo));
    requests.keepListeningUntil(() => socketIoDrainer.sent());
    // Those riding on HTTP/1.1 connections begin and cut first: SSE claims its responses before
    // requests are counted, WebSockets are closed before their sockets would be cut as requests.
    drainers.push(new SseDrainer(requests), requests);
  } else if (gatewayServers().length === 0 && !grpc.following) {
    return undefined;
  }
  return new ServerDrain(drainers);
}
