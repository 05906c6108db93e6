import type { ModulesContainer } from '@nestjs/core';
import { messages } from '../messages.js';
import { findProvider } from './find-provider.js';
import type { StoppedWork, WorkSource } from './work-source.interface.js';

/** What the library uses of a BullMQ Worker: its close() waits for the jobs it is processing. */
interface Worker {
  close(force?: boolean): Promise<void>;
  on(event: 'active' | 'completed' | 'failed', listener: (job: { id?: string }) => void): unknown;
}

/** @nestjs/bullmq's explorer keeps every worker it made for a @Processor() class (on 11 and 12). */
interface BullExplorer {
  workers: Worker[];
}

function isWorker(value: unknown): value is Worker {
  const candidate = value as Record<string, unknown> | null;
  return typeof candidate?.close === 'function' && typeof candidate.on === 'function';
}

/**
 * @nestjs/bullmq: at the trigger every worker of a @Processor() is closed, which takes no new job
 * and resolves once the jobs it is processing ended (BullMQ's own close()); Nest's teardown closes
 * them again later, which joins that close. Jobs are counted from the moment the application is built
 * through the workers' own events. Undefined when the app has no BullModule.
 */
export function bullmqWorkSource(container: ModulesContainer, logger: { warn(message: string): void }): WorkSource | undefined {
  const explorer = findProvider(container, 'BullModule', 'BullExplorer') as BullExplorer | undefined;
  if (!explorer) return undefined;
  if (!Array.isArray(explorer.workers)) {
    logger.warn(messages.integrationUnknownShape('@nestjs/bullmq', 'BullExplorer', 'bullmq'));
    return undefined;
  }
  const active = new Map<Worker, number>();
  const follow = (worker: Worker): void => {
    if (active.has(worker) || !isWorker(worker)) return;
    active.set(worker, 0);
    const ended = (): void => void active.set(worker, Math.max(0, (active.get(worker) ?? 1) - 1));
    worker.on('active', () => void active.set(worker, (active.get(worker) ?? 0) + 1));
    worker.on('completed', ended);
    worker.on('failed', ended);
  };
  const running = (): number => [...active.values()].reduce((sum, count) => sum + count, 0);

  return {
    name: '@nestjs/bullmq',
    // Workers are made in BullModule's onModuleInit (or by BullRegistrar.register() later, which stop() still finds).
    ready: () => explorer.workers.forEach(follow),
    stop(): StoppedWork {
      const workers = explorer.workers.filter(isWorker);
      const inProgress = running();
      const closes = workers.map((worker) => {
        try {
          return worker.close().catch(() => undefined);
        } catch {
          return undefined;
        }
      });
      return { stopped: workers.length, inProgress, settled: Promise.all(closes).then(() => undefined), unfinished: running };
    },
  };
}
