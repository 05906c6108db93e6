import type { HttpServer } from '@nestjs/common';

/**
 * Answers `GET path` straight from the HTTP adapter (Express or Fastify): 200 while serving, 503
 * from the first moment of a shutdown. Registered on the adapter rather than as a controller so
 * that no guard, interceptor or global prefix stands between a load balancer's probe and the answer.
 */
export function registerReadinessRoute(adapter: HttpServer, path: string, isShuttingDown: () => boolean): void {
  adapter.get(path, (_request: unknown, response: unknown) => {
    const shuttingDown = isShuttingDown();
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.reply(response, { status: shuttingDown ? 'shutting-down' : 'ready' }, shuttingDown ? 503 : 200);
  });
}
