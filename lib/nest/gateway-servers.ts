import { ApplicationConfig } from '@nestjs/core';

/** What the library reads of a WebSocket adapter: the `create()` every gateway's server comes from. */
interface WebSocketAdapterLike {
  create(port: number, options?: unknown): unknown;
}

const REGISTRY = Symbol.for('nestjs-shutdown.gateway-servers');

type PatchedConfig = {
  setIoAdapter?: (adapter: unknown) => void;
  [REGISTRY]?: WeakMap<object, unknown[]>;
};

/**
 * Nest keeps the servers its gateways run on (a `ws` WebSocketServer, a socket.io Server, or a
 * custom adapter's) to itself. Every adapter reaches Nest through `ApplicationConfig.setIoAdapter()`
 * (`app.useWebSocketAdapter()`, or the default one Nest makes), before any gateway is connected:
 * wrapping that adapter's `create()` there records each server it makes, weakly, per adapter.
 * Idempotent; on Nest's prototype, so that two copies of the library share it.
 */
export function installGatewayServerRecorder(): void {
  const prototype = ApplicationConfig.prototype as unknown as PatchedConfig;
  if (prototype[REGISTRY]) return;
  const original = prototype.setIoAdapter;
  if (typeof original !== 'function') return;
  const registry = new WeakMap<object, unknown[]>();
  Object.defineProperty(prototype, REGISTRY, { value: registry });
  prototype.setIoAdapter = function (this: unknown, adapter: unknown) {
    if (adapter && typeof (adapter as WebSocketAdapterLike).create === 'function' && !registry.has(adapter)) {
      const servers: unknown[] = [];
      registry.set(adapter, servers);
      const create = (adapter as WebSocketAdapterLike).create;
      (adapter as WebSocketAdapterLike).create = function (this: unknown, ...args: [number, unknown?]) {
        const server = create.apply(this, args);
        servers.push(server);
        return server;
      };
    }
    return original.call(this, adapter);
  };
}

/** The servers the application's WebSocket adapter made for its gateways, and the adapter's name. */
export function gatewayServersOf(config: { getIoAdapter?(): unknown } | undefined): { adapter?: string; servers: unknown[] } {
  const adapter = config?.getIoAdapter?.();
  if (!adapter || typeof adapter !== 'object') return { servers: [] };
  const registry = (ApplicationConfig.prototype as unknown as PatchedConfig)[REGISTRY];
  return { adapter: adapter.constructor?.name, servers: [...(registry?.get(adapter) ?? [])] };
}
