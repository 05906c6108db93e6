import type { IntegrationReport } from '../interfaces/shutdown-report.interface.js';
import type { StoppedWork, WorkSource } from '../integrations/work-source.interface.js';
import { messages } from '../messages.js';
import { describeError } from '../report/describe-error.js';

interface Stopping {
  source: WorkSource;
  stopped?: StoppedWork;
  error?: unknown;
  /** ms from the stop until its work in progress ended, once it did. */
  settledAfter?: number;
}

/**
 * Stops every source at once (synchronously: no tick or job starts in between), then tells when
 * their work in progress ended and what became of it. A source that throws is reported failed and
 * changes nothing for the others.
 */
export class StopWork {
  private readonly stopping: Stopping[];
  private readonly started = performance.now();
  private readonly settled: Promise<void>;

  constructor(sources: readonly WorkSource[], logger: { error(message: string, error?: unknown): void }) {
    this.stopping = sources.map((source) => {
      try {
        return { source, stopped: source.stop() };
      } catch (error) {
        logger.error(messages.integrationFailed(source.name, error), error);
        return { source, error };
      }
    });
    this.settled = Promise.all(
      this.stopping.map(async (entry) => {
        await entry.stopped?.settled;
        entry.settledAfter = Math.round(performance.now() - this.started);
      }),
    ).then(() => undefined);
  }

  /** True when some work in progress is still to be waited for. */
  get pending(): boolean {
    // Not by the count alone: a job that began before the count did is still waited for by the source.
    return this.stopping.some((entry) => entry.stopped && entry.settledAfter === undefined);
  }

  /** Resolves once every source's work in progress ended, or after `limitMs`. */
  async wait(limitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled, new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  }

  /** What each source stopped and what became of its work in progress, as of now. */
  report(): IntegrationReport[] {
    const now = Math.round(performance.now() - this.started);
    return this.stopping.map(({ source, stopped, error, settledAfter }) => {
      if (!stopped) return { name: source.name, stopped: 0, inProgress: 0, finished: 0, unfinished: 0, durationMs: 0, error: describeError(error) };
      const unfinished = settledAfter === undefined ? Math.min(stopped.inProgress, stopped.unfinished()) : 0;
      return {
        name: source.name,
        stopped: stopped.stopped,
        inProgress: stopped.inProgress,
        finished: stopped.inProgress - unfinished,
        unfinished,
        durationMs: settledAfter ?? now,
      };
    });
  }
}
