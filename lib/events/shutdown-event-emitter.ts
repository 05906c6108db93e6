import { messages } from '../messages.js';
import type { ShutdownEvent, ShutdownEventListener } from './shutdown-event.interface.js';

/**
 * Tells every listener; a listener's failure is logged and never reaches the sequence. The
 * listeners are listed once, on first need (they are found among all the application's providers:
 * not at start-up).
 */
export class ShutdownEventEmitter {
  private found?: readonly ShutdownEventListener[];

  constructor(
    private readonly listListeners: () => readonly ShutdownEventListener[],
    private readonly logger: { error(message: string, error?: unknown): void },
  ) {}

  private get all(): readonly ShutdownEventListener[] {
    if (this.found) return this.found;
    try {
      this.found = this.listListeners();
    } catch (error) {
      // A provider that throws when asked (a Proxy): the sequence goes on, without events.
      this.found = [];
      this.logger.error(messages.listenersNotListed(error), error);
    }
    return this.found;
  }

  /** False when nobody listens: callers then skip building per-hook events. */
  get hasListeners(): boolean {
    return this.all.length > 0;
  }

  emit(event: ShutdownEvent): void {
    for (const listener of this.all) {
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
