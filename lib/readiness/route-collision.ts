/** What the library reads of an Express router layer (Express 5's `router` package, and Express 4). */
interface RouterLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  match?(path: string): unknown;
}

/**
 * The route of the application's that would answer `GET path` before the readiness route, if any.
 * Express answers with the first matching route, and controllers' routes are registered before
 * ours: a controller's `GET /health`, or `GET /:id`, would silently shadow the readiness route.
 */
export function expressRouteShadowing(instance: unknown, path: string): string | undefined {
  const app = instance as { router?: { stack?: RouterLayer[] }; _router?: { stack?: RouterLayer[] } } | undefined;
  let stack: RouterLayer[] | undefined;
  try {
    stack = app?.router?.stack ?? app?._router?.stack;
  } catch {
    return undefined; // Not Express.
  }
  for (const layer of stack ?? []) {
    const methods = layer.route?.methods;
    if (!methods || !(methods.get || methods._all) || typeof layer.match !== 'function') continue;
    try {
      if (layer.match(path)) return `GET ${String(layer.route?.path)}`;
    } catch {
      // A layer that can't be asked: not ours to judge.
    }
  }
  return undefined;
}

/** Fastify refuses a second `GET path` itself; its error names no option. */
export function isDuplicateRouteError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'FST_ERR_DUPLICATED_ROUTE';
}
