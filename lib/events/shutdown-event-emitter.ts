import { messages } from '../messages.js';
import type { ShutdownEvent, ShutdownEventListener } from './shutdown-event.interface.js';

/** Tells every listener; a listener's failure is logged and never reaches the sequence. */
export class ShutdownEventEmitter {
  constructor(
    private readonly listeners: readonly ShutdownEventListener[],
    private readonly logger: { error(message: string, error?: unknown): void },
  ) {}

  /** False when nobody listens: callers then skip building per-hook events. */
  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  emit(event: ShutdownEvent): void {
    for (const listener of this.listeners) {
      try {
        const result = listener.onShutdownEvent(event);
        if (result && typeof result.then === 'function') result.then(undefined, (error: unknown) => this.report(listener, event, error));
      } catch (error) {
        this.report(listener, event, error);
      }
    }
  }

  private report(listener: ShutdownEventListener, event: ShutdownEvent, error: unknown): void {
    this.logger.error(messages.listenerFailed(nameOf(listener), event.type, error), error);
  }
}

/** The listener's class name; never throws (a listener may be a Proxy). */
function nameOf(listener: ShutdownEventListener): string {
  try {
    return String(listener.constructor.name);
  } catch {
    return 'a ShutdownEventListener';
  }
}
