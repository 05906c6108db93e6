import type { HttpServer } from '@nestjs/common';
import { expressRouteShadowing, isDuplicateRouteError } from './route-collision.js';

/**
 * Answers `GET path` straight from the HTTP adapter (Express or Fastify): 200 while serving, 503
 * from the first moment of a shutdown. Registered on the adapter rather than as a controller so
 * that no guard, interceptor or global prefix stands between a load balancer's probe and the answer.
 * A route of the application's that would take the path is refused at startup, naming both.
 */
export function registerReadinessRoute(adapter: HttpServer, path: string, isShuttingDown: () => boolean): void {
  const collision = (route: string) =>
    new Error(
      `ShutdownModule: option "readinessPath" "${path}" collides with the application's route ${route}, ` +
        'which would answer the probe instead: choose another readinessPath, or remove that route',
    );
  const shadowing = expressRouteShadowing(adapter.getInstance?.(), path);
  if (shadowing) throw collision(shadowing);
  try {
    adapter.get(path, (_request: unknown, response: unknown) => {
      const shuttingDown = isShuttingDown();
      adapter.setHeader(response, 'Cache-Control', 'no-store');
      adapter.reply(response, { status: shuttingDown ? 'shutting-down' : 'ready' }, shuttingDown ? 503 : 200);
    });
  } catch (error) {
    if (isDuplicateRouteError(error)) throw collision(`GET ${path}`);
    throw error;
  }
}
