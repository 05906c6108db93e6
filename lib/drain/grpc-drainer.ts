import type { ProtocolDrainer } from './drain.interface.js';

/** `Transport.GRPC` of @nestjs/microservices, without loading it. */
const GRPC_TRANSPORT = 4;
/** gRPC status UNAVAILABLE: the client may retry elsewhere. */
const UNAVAILABLE = 14;
const SHUTTING_DOWN = 'server shutting down';

/** What the library uses of a grpc-js server call, as an interceptor receives it. */
interface ServerCallLike {
  start(listener: object): void;
  sendStatus(status: { code: number; details: string }): void;
}

/** What the library uses of a grpc-js Server. */
interface GrpcServerLike {
  tryShutdown(callback: (error?: Error) => void): void;
}

/** What the library uses of Nest's ServerGrpc. */
export interface ServerGrpcLike {
  readonly transportId?: unknown;
  options?: { channelOptions?: { interceptors?: unknown[] } & Record<string, unknown> } & Record<string, unknown>;
  readonly grpcClient?: GrpcServerLike | null;
}

export function isServerGrpc(server: unknown): server is ServerGrpcLike {
  return (server as ServerGrpcLike | null)?.transportId === GRPC_TRANSPORT && typeof server === 'object';
}

/**
 * gRPC microservices (`Transport.GRPC`, alone or in a hybrid app). grpc-js does not expose its
 * calls, so each ServerGrpc gets a server interceptor of ours before it listens (added to a copy
 * of its options), which follows the calls. At the drain's start the server shuts down gracefully
 * (GOAWAY; new calls fail with UNAVAILABLE at once, calls in flight complete); at the limit every
 * call still open — a stream, say — ends with UNAVAILABLE "server shutting down", which a client
 * may retry elsewhere. Nest's own close then finds nothing left to wait for.
 */
export class GrpcDrainer implements ProtocolDrainer {
  readonly kind = 'grpc' as const;
  private readonly servers: ServerGrpcLike[] = [];
  private readonly calls = new Set<ServerCallLike>();
  private draining = false;
  private cutting = false;
  private finishedCount = 0;

  /** Called for each ServerGrpc as Nest registers it, before it listens. */
  follow(server: ServerGrpcLike): void {
    if (this.servers.includes(server)) return;
    this.servers.push(server);
    const options = server.options ?? {};
    const channelOptions = options.channelOptions ?? {};
    server.options = { ...options, channelOptions: { ...channelOptions, interceptors: [...(channelOptions.interceptors ?? []), this.intercept] } };
  }

  /** A gRPC microservice was registered: there will be something to drain once it listens. */
  get following(): boolean {
    return this.servers.length > 0;
  }

  get active(): boolean {
    return this.servers.some((server) => server.grpcClient);
  }

  get finished(): number {
    return this.finishedCount;
  }

  begin(): { atStart: number; done: Promise<void> } {
    this.draining = true;
    const atStart = this.calls.size;
    const listening = this.servers.flatMap((server) => (server.grpcClient ? [server.grpcClient] : []));
    const done = Promise.all(listening.map((grpc) => new Promise<void>((resolve) => grpc.tryShutdown(() => resolve())))).then(() => undefined);
    return { atStart, done };
  }

  cut(): number {
    this.cutting = true;
    const left = [...this.calls];
    for (const call of left) call.sendStatus({ code: UNAVAILABLE, details: SHUTTING_DOWN });
    return left.length;
  }

  detach(): void {
    this.calls.clear();
  }

  /** A grpc-js server interceptor: the call passes through unchanged, its start and end are seen. */
  private readonly intercept = (_method: unknown, call: ServerCallLike): ServerCallLike => {
    let open = true;
    const ended = (): void => {
      if (!open) return;
      open = false;
      this.calls.delete(call);
      if (this.draining && !this.cutting) this.finishedCount++;
    };
    this.calls.add(call);
    return forwarding(call, {
      start: (listener: object) => call.start(forwarding(listener, { onCancel: () => (ended(), callOf(listener, 'onCancel')) })),
      sendStatus: (status: { code: number; details: string }) => (ended(), call.sendStatus(status)),
    });
  };
}

/** `target` with `overrides` in front; every other member is the target's own, bound to it. */
function forwarding<T extends object>(target: T, overrides: Record<string, (...args: never[]) => unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function callOf(listener: object, method: string): unknown {
  const member = (listener as Record<string, unknown>)[method];
  return typeof member === 'function' ? member.call(listener) : undefined;
}
